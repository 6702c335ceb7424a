import Link from "next/link";
import { RegisterImportForm, type ImportMerchantChoice } from "@/components/import/register-import-form";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryMerchantOptions } from "@/lib/merchants/queries";
import { isMerchantRole } from "@/lib/domain";
import { loadMerchantView } from "@/lib/lists/lists";

export const metadata = { title: "Import registers" };

const EXAMPLE = `location,register,parent register,external reference
Main Street,Window till,,POS-31
Main Street,Window till – lane A,Window till,
Main Street,Terrace till,,POS-32`;

export default async function ImportRegistersPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { user, ctx } = await pageAccess("registers:manage");
  let merchant: ImportMerchantChoice;
  if (isMerchantRole(user.role)) {
    merchant = { kind: "own", name: user.merchantName ?? "your merchant" };
  } else {
    const options = (await queryMerchantOptions(ctx))
      .filter((m) => m.status === "active")
      .map((m) => ({ id: m.id, name: m.name }));
    const { merchant: viewed } = loadMerchantView(await searchParams);
    merchant = {
      kind: "choose",
      options,
      preselected: options.find((m) => m.id === viewed)?.id ?? (options.length === 1 ? options[0]!.id : null),
    };
  }
  return (
    <>
      <PageHeader
        title="Import registers"
        description="Create many registers and virtual registers at once from a CSV file. Preview first: nothing is imported while any row is invalid, and registers already there are left as they are, so importing the same file twice creates nothing new."
      />
      <div className="grid grid-cols-1 gap-8 lg:grid-cols-[minmax(0,1fr)_minmax(0,24rem)]">
        <RegisterImportForm merchant={merchant} />
        <aside className="min-w-0 space-y-3 text-sm text-slate-700" aria-labelledby="csv-format">
          <h2 id="csv-format" className="text-base font-semibold text-slate-900">
            The file
          </h2>
          <p>A header row, then one register per row. Columns, in any order:</p>
          <ul className="list-disc space-y-1 pl-5">
            <li>
              <strong>location</strong>: the name of an existing location of the merchant (
              <Link href="/locations" className="underline">
                create it first
              </Link>
              ).
            </li>
            <li>
              <strong>register</strong>: its name, unique in the location.
            </li>
            <li>
              <strong>parent register</strong> (optional): for a virtual register, the name of its physical register in
              the same location; empty for a physical register.
            </li>
            <li>
              <strong>external reference</strong> (optional): the POS&apos;s own id for it.
            </li>
          </ul>
          <p>Each new register gets its register ID (a UUID) when it is imported. Routes are made afterwards, on each register&apos;s page.</p>
          <pre
            tabIndex={0}
            className="overflow-x-auto rounded-md border border-slate-200 bg-slate-50 p-3 font-mono text-xs"
            aria-label="Example file"
          >
            {EXAMPLE}
          </pre>
        </aside>
      </div>
    </>
  );
}
