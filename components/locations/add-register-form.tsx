"use client";

import { Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { createRegisterAction } from "@/lib/registers/actions";

type Physical = { id: number; name: string };

/**
 * Adds a physical register, or a virtual register under one of this location's physical
 * registers. The new register's ID (what the POS sends) is shown with a copy button and a link
 * to its page, where it is routed.
 */
export function AddRegisterForm({
  locationId,
  physicalRegisters,
  parent,
}: {
  locationId: number;
  physicalRegisters: Physical[];
  /** `?parent=<id>`: a virtual register under this physical register, preselected. */
  parent: number | null;
}) {
  const preselected = physicalRegisters.some((p) => p.id === parent) ? parent : null;
  const [kind, setKind] = useState<"physical" | "virtual">(preselected !== null ? "virtual" : "physical");
  const [parentId, setParentId] = useState(preselected !== null ? String(preselected) : "");
  // Remounts the name and reference fields after an add: empty again, the kind and parent kept.
  const [round, setRound] = useState(0);
  const [added, setAdded] = useState<{ id: number; registerId: string; name: string } | null>(null);
  const { formProps, pending, fieldErrors, formError } = useActionForm(createRegisterAction, {
    onSuccess: (data) => {
      const form = document.getElementById("add-register-form");
      const name = form instanceof HTMLFormElement ? String(new FormData(form).get("name") ?? "").trim() : "";
      setAdded({ ...data, name });
      setRound((n) => n + 1);
    },
  });
  const noPhysical = physicalRegisters.length === 0;

  return (
    <div className="space-y-4">
      {added ? (
        <Alert tone="success" title={`Added ${added.name || "the register"}`} data-testid="added-register">
          <p className="flex flex-wrap items-center gap-1">
            Its register ID (the POS sends it):{" "}
            <span className="break-all font-mono text-xs" data-testid="added-register-id">
              {added.registerId}
            </span>
            <CopyButton value={added.registerId} label="the new register ID" />
          </p>
          <p className="mt-1">
            <Link href={`/registers/${added.id}`} className="font-medium underline underline-offset-4">
              Open {added.name || "the register"} to route it to a terminal
            </Link>
          </p>
        </Alert>
      ) : null}
      <form {...formProps} id="add-register-form" noValidate aria-label="Add a register" className="grid gap-4 sm:grid-cols-2">
        <input type="hidden" name="locationId" value={locationId} />
        {formError ? (
          <Alert tone="danger" role="alert" className="sm:col-span-2" data-testid="add-register-error">
            {formError}
          </Alert>
        ) : null}
        <fieldset className="space-y-1.5 sm:col-span-2" aria-describedby="new-register-kind-hint">
          <legend className="text-sm font-medium text-slate-800">Kind</legend>
          <div className="flex flex-wrap gap-x-6 gap-y-2">
            <label className="inline-flex items-center gap-2 text-sm">
              <input type="radio" name="kind" value="physical" checked={kind === "physical"} onChange={() => setKind("physical")} />
              Physical
            </label>
            <label className="inline-flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="kind"
                value="virtual"
                checked={kind === "virtual"}
                disabled={noPhysical}
                onChange={() => setKind("virtual")}
              />
              Virtual
            </label>
          </div>
          <p id="new-register-kind-hint" className="text-xs text-slate-600">
            A virtual register is a second register ID on the same POS, so that it can reach another terminal.
            {noPhysical ? " Add a physical register first: a virtual register belongs to one." : null}
          </p>
          {fieldErrors.kind?.length ? <p className="text-sm text-red-700">{fieldErrors.kind.join(" ")}</p> : null}
        </fieldset>
        {kind === "virtual" ? (
          <div className="sm:col-span-2">
            <Field
              id="new-register-parent"
              label="Physical register"
              hint="The POS register it belongs to. Only this location's physical registers can be chosen."
              errors={fieldErrors.parentId}
            >
              <Select name="parentId" value={parentId} onChange={(e) => setParentId(e.target.value)} required>
                <option value="" disabled>
                  Choose a physical register
                </option>
                {physicalRegisters.map((p) => (
                  <option key={p.id} value={String(p.id)}>
                    {p.name}
                  </option>
                ))}
              </Select>
            </Field>
          </div>
        ) : null}
        <Field id="new-register-name" label="Name" hint="Unique in this location, e.g. Till 1." errors={fieldErrors.name}>
          <Input key={round} name="name" autoComplete="off" required />
        </Field>
        <Field
          id="new-register-external-ref"
          label="External reference"
          hint="Optional: the POS's own id for it. Unique in the merchant when given."
          errors={fieldErrors.externalRef}
        >
          <Input key={round} name="externalRef" autoComplete="off" />
        </Field>
        <div className="sm:col-span-2">
          <Button type="submit" disabled={pending}>
            <Plus aria-hidden />
            {pending ? "Adding…" : kind === "virtual" ? "Add virtual register" : "Add register"}
          </Button>
        </div>
      </form>
    </div>
  );
}
