import Link from "next/link";
import { VerdictBadge, VERDICT_WORDS } from "@/components/webhooks/verdict-badge";
import { FilterBar } from "@/components/ui/filter-bar";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { EmptyRow, Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { pageAccess } from "@/lib/data/access";
import { queryDeliveries } from "@/lib/data/webhooks";
import { DELIVERY_VERDICTS, type DeliveryVerdict } from "@/lib/domain";
import { formatDateTime } from "@/lib/format";
import { deliveryList } from "@/lib/lists/lists";

export const metadata = { title: "Webhook deliveries" };

function size(bytes: number) {
  return bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = deliveryList.load(await searchParams);
  const { ctx } = await pageAccess("webhooks:read", params);
  const list = queryDeliveries(ctx, params);
  const staff = ctx.scope.kind === "all";
  const hidden: Record<string, string> = {};
  if (params.merchant) hidden.merchant = String(params.merchant);
  if (params.pairing) hidden.pairing = String(params.pairing);
  return (
    <>
      <PageHeader
        title="Webhook deliveries"
        description="Every request Pay-Connect made to Pairdesk's webhook URLs, stored as received before it was answered, with its verdict. Refused ones are kept for 30 days (at most 10,000)."
      />
      <FilterBar
        action={deliveryList.pathname}
        label="Filter webhook deliveries"
        defaults={{ verdict: deliveryList.defaults.verdict }}
        hidden={hidden}
        fields={[
          {
            kind: "select",
            id: "delivery-verdict",
            label: "Verdict",
            name: "verdict",
            options: [
              { value: "all", label: "All verdicts" },
              { value: "rejected", label: "Refused (any reason)" },
              ...DELIVERY_VERDICTS.map((v) => ({ value: v, label: VERDICT_WORDS[v] })),
            ],
          },
        ]}
      />
      <ListToolbar
        chips={deliveryList.chips(params, {
          verdict: (v) => (v === "rejected" ? "Refused" : (VERDICT_WORDS[v as DeliveryVerdict] ?? v)),
          pairing: (v) => `#${v}`,
        })}
        clearHref={deliveryList.clearHref(params)}
      />
      <Table label="Webhook deliveries" data-testid="delivery-table">
        <caption className="sr-only">Webhook deliveries, newest first</caption>
        <THead>
          <tr>
            <TH>Received</TH>
            <TH>Verdict</TH>
            <TH>Pairing</TH>
            {staff ? <TH>Merchant</TH> : null}
            <TH className="text-right">Size</TH>
            <TH className="text-right">Events</TH>
          </tr>
        </THead>
        <TBody>
          {list.rows.length === 0 ? (
            <EmptyRow colSpan={staff ? 6 : 5}>
              {deliveryList.isFiltered(params) ? <NoMatches noun="deliveries" clearHref={deliveryList.clearHref(params)} /> : "No webhook deliveries yet."}
            </EmptyRow>
          ) : (
            list.rows.map((d) => (
              <TR key={d.id} data-testid="delivery-row" data-delivery-id={d.id}>
                <TD className="whitespace-nowrap">
                  <Link href={`/webhooks/${d.id}`} className="text-brand-700 hover:underline">
                    {formatDateTime(d.receivedAt)}
                  </Link>
                </TD>
                <TD>
                  <VerdictBadge verdict={d.verdict} /> <span className="text-xs text-slate-600">HTTP {d.httpStatus}</span>
                  {d.processError ? <span className="block text-xs text-red-700">not applied</span> : null}
                </TD>
                <TD>
                  {d.terminalRef ? (
                    <Link href={`/terminals/${d.terminalRef}`} className="text-brand-700 hover:underline">
                      {d.pairingName} <span className="font-mono text-xs">({d.terminalId})</span>
                    </Link>
                  ) : (
                    <span className="text-slate-500">unknown</span>
                  )}
                </TD>
                {staff ? <TD>{d.merchantName ?? "—"}</TD> : null}
                <TD className="text-right tabular-nums">{size(d.sizeBytes)}</TD>
                <TD className="text-right tabular-nums">{d.eventCount ?? "—"}</TD>
              </TR>
            ))
          )}
        </TBody>
      </Table>
      <Pagination hrefFor={(p) => deliveryList.pageHref(params, p)} page={list.page} pageSize={list.pageSize} total={list.total} noun="deliveries" singular="delivery" />
    </>
  );
}
