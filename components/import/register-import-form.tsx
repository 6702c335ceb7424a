"use client";

import { FileUp, Loader2 } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { importRegistersAction, type ImportResult } from "@/lib/registers/import-actions";
import { MerchantOptions } from "@/components/merchants/merchant-options";

export type ImportMerchantChoice =
  | { kind: "own"; name: string }
  | { kind: "choose"; options: { id: number; name: string }[]; preselected: number | null };

/** The largest file read (the server refuses more, with the same words). */
const MAX_BYTES = 1024 * 1024;

/**
 * Import registers from CSV: choose a file (read here as UTF-8), preview (the dry run: what would
 * be created, or every row's error), then import. Changing the file or the merchant drops the
 * preview.
 */
export function RegisterImportForm({ merchant }: { merchant: ImportMerchantChoice }) {
  const [csv, setCsv] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [merchantId, setMerchantId] = useState<string>(
    merchant.kind === "choose" && merchant.preselected !== null ? String(merchant.preselected) : "",
  );
  const [result, setResult] = useState<ImportResult | null>(null);
  const { pending, failed, fieldErrors, formError, formProps } = useActionForm(importRegistersAction, {
    successMessage: false,
    refresh: false,
    onSuccess: (data) => setResult(data),
  });
  const imported = result?.mode === "import" && result.ok;

  async function readFile(file: File | undefined) {
    setResult(null);
    setFileError(null);
    setCsv("");
    setFileName(file?.name ?? null);
    if (!file) return;
    if (file.size > MAX_BYTES) {
      setFileError(`This file is ${Math.ceil(file.size / 1024)} KiB: at most 1 MiB (about 5,000 rows). Split it into smaller files.`);
      return;
    }
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(await file.arrayBuffer());
      if (text.trim() === "") {
        setFileError("This file is empty.");
        return;
      }
      setCsv(text);
    } catch {
      setFileError("This file is not UTF-8 text. Save it from your spreadsheet as “CSV UTF-8”, then choose it again.");
    }
  }

  const preview = result?.mode === "preview" ? result : null;
  return (
    <div className="space-y-6">
      <form {...formProps} className="max-w-xl space-y-5" noValidate>
        {formError ? (
          <Alert tone="danger" role="alert" title="Not imported">
            {formError}
          </Alert>
        ) : null}
        <input type="hidden" name="csv" value={csv} />
        {merchant.kind === "own" ? (
          <p className="text-sm text-slate-700">
            Importing into <strong className="font-semibold text-slate-900">{merchant.name}</strong>
          </p>
        ) : (
          <Field id="merchantId" label="Merchant" hint="Its locations are the ones the file names." errors={fieldErrors.merchantId}>
            <Select
              name="merchantId"
              value={merchantId}
              onChange={(e) => {
                setMerchantId(e.target.value);
                setResult(null);
              }}
              required
            >
              <MerchantOptions options={merchant.options} />
            </Select>
          </Field>
        )}
        <Field
          id="file"
          label="CSV file"
          hint="UTF-8, with a header row; at most 1 MiB."
          errors={fileError ? [fileError] : fieldErrors.csv}
        >
          <Input type="file" accept=".csv,text/csv" onChange={(e) => void readFile(e.target.files?.[0])} />
        </Field>
        <div className="flex flex-wrap gap-2">
          <Button type="submit" name="mode" value="preview" variant={preview?.ok ? "secondary" : "primary"} disabled={pending || !csv}>
            {pending ? <Loader2 aria-hidden className="animate-spin" /> : <FileUp aria-hidden />}
            Preview
          </Button>
          {preview?.ok && preview.plan.create.length > 0 ? (
            <Button type="submit" name="mode" value="import" disabled={pending}>
              Import {preview.plan.create.length} register{preview.plan.create.length === 1 ? "" : "s"}
            </Button>
          ) : null}
        </div>
        {failed && failed.code === "invalid" && !fieldErrors.merchantId && !fieldErrors.csv ? (
          <p className="text-sm text-red-700">{failed.error}</p>
        ) : null}
      </form>

      {result && !result.ok ? (
        <section aria-labelledby="import-errors" className="space-y-3" data-testid="import-errors">
          <Alert tone="danger" role="alert" title="Nothing was imported">
            {result.errors.length === 1 ? "1 problem" : `${result.errors.length} problems`} in {fileName ?? "the file"}: correct{" "}
            {result.errors.length === 1 ? "it" : "them"} and preview again. No register is created until every row is valid.
          </Alert>
          <h2 id="import-errors" className="text-base font-semibold">
            Problems
          </h2>
          <Table label="Problems in the file">
            <THead>
              <TR>
                <TH>Line</TH>
                <TH>Column</TH>
                <TH>Problem</TH>
              </TR>
            </THead>
            <TBody>
              {result.errors.map((e, i) => (
                <TR key={i}>
                  <TD className="tabular-nums">{e.line ?? "–"}</TD>
                  <TD>{e.column ?? "–"}</TD>
                  <TD>{e.message}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </section>
      ) : null}

      {result?.ok ? (
        <section aria-labelledby="import-plan" className="space-y-3" data-testid="import-plan">
          {imported ? (
            <Alert tone="success" title={result.created === 0 ? "Nothing new" : "Imported"}>
              {result.created === 0
                ? "Every register in the file is already there: nothing was created."
                : `Created ${result.created} register${result.created === 1 ? "" : "s"}${result.plan.unchanged.length ? `; ${result.plan.unchanged.length} ${result.plan.unchanged.length === 1 ? "was" : "were"} already there` : ""}.`}{" "}
              <Link href="/registers?route=unrouted" className="font-medium underline">
                Route them
              </Link>
            </Alert>
          ) : (
            <Alert tone="info" title="Preview: nothing is imported yet">
              {result.plan.create.length === 0
                ? "Every register in the file is already there: importing it would create nothing."
                : `Importing would create ${result.plan.create.length} register${result.plan.create.length === 1 ? "" : "s"}`}
              {result.plan.create.length > 0 && result.plan.unchanged.length > 0
                ? `; ${result.plan.unchanged.length} already there ${result.plan.unchanged.length === 1 ? "stays as it is" : "stay as they are"}.`
                : result.plan.create.length > 0
                  ? "."
                  : null}
            </Alert>
          )}
          {result.plan.create.length > 0 ? (
            <>
              <h2 id="import-plan" className="text-base font-semibold">
                {imported ? "Created" : "To create"}
              </h2>
              <Table label={imported ? "Registers created" : "Registers to create"}>
                <THead>
                  <TR>
                    <TH>Line</TH>
                    <TH>Location</TH>
                    <TH>Register</TH>
                    <TH>Kind</TH>
                    <TH>Physical register</TH>
                    <TH>External reference</TH>
                  </TR>
                </THead>
                <TBody>
                  {result.plan.create.map((r) => (
                    <TR key={r.line}>
                      <TD className="tabular-nums">{r.line}</TD>
                      <TD>{r.locationName}</TD>
                      <TD>{r.name}</TD>
                      <TD>{r.kind}</TD>
                      <TD>{r.parentName ?? "–"}</TD>
                      <TD>{r.externalRef ?? "–"}</TD>
                    </TR>
                  ))}
                </TBody>
              </Table>
            </>
          ) : (
            <h2 id="import-plan" className="sr-only">
              Plan
            </h2>
          )}
        </section>
      ) : null}
    </div>
  );
}
