import { optionLabel, terminalLabel } from "@/components/transactions/transaction-filters";
import { DeliveryTable } from "@/components/webhooks/delivery-table";
import { FilterBar, type FilterField } from "@/components/ui/filter-bar";
import { ListToolbar } from "@/components/ui/filter-chips";
import { NoMatches } from "@/components/ui/no-matches";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { pageAccess } from "@/lib/auth/access";
import { queryTransactionFilterOptions } from "@/lib/transactions/queries";
import { queryDeliveries } from "@/lib/webhooks/queries";
import { DELIVERY_VERDICTS, type DeliveryVerdict } from "@/lib/domain";
import { deliveryList } from "@/lib/lists/lists";
import { DELIVERY_VERDICT_LABELS } from "@/lib/labels";

export const metadata = { title: "Webhook deliveries" };

export default async function WebhooksPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = deliveryList.load(await searchParams);
  const { ctx } = await pageAccess("webhooks:read", params);
  const list = queryDeliveries(ctx, params);
  const { terminals } = queryTransactionFilterOptions(ctx);
  const staff = ctx.scope.kind === "all";
  const terminalListed = terminals !== null && (!params.terminal || terminals.some((t) => t.id === params.terminal));
  const hidden: Record<string, string> = {};
  if (params.merchant) hidden.merchant = String(params.merchant);
  if (params.pairing) hidden.pairing = String(params.pairing);
  if (params.transaction) hidden.transaction = String(params.transaction);
  if (params.terminal && !terminalListed) hidden.terminal = String(params.terminal);
  const fields: FilterField[] = [
    { kind: "search", id: "delivery-search", label: "Search", name: "q", placeholder: "Transaction id (or its start)", maxLength: 200 },
    {
      kind: "select",
      id: "delivery-verdict",
      label: "Verdict",
      name: "verdict",
      options: [
        { value: "all", label: "All verdicts" },
        { value: "rejected", label: "Refused (any reason)" },
        ...DELIVERY_VERDICTS.map((v) => ({ value: v, label: DELIVERY_VERDICT_LABELS[v] })),
      ],
    },
  ];
  if (terminalListed && terminals) {
    fields.push({
      kind: "select",
      id: "delivery-terminal",
      label: "Terminal",
      name: "terminal",
      options: [{ value: "0", label: "All terminals" }, ...terminals.map((t) => ({ value: String(t.id), label: optionLabel(terminalLabel(t)) }))],
    });
  }
  // The chip of the transaction filter names it by its id, from its rows (or by number).
  const transactionChip = (v: string) =>
    list.rows.flatMap((r) => r.events).find((e) => e.transactionRef === Number(v))?.providerTransactionId ?? `#${v}`;
  const terminalChip = (v: string) => {
    const t = terminals?.find((x) => x.id === Number(v));
    return t ? terminalLabel(t) : `#${v}`;
  };
  return (
    <>
      <PageHeader
        title="Webhook deliveries"
        description="Every request Pay-Connect made to Pairdesk's webhook URLs, stored as received before it was answered, with its verdict and what it reported. Refused ones are kept for 30 days (at most 10,000)."
      />
      <FilterBar
        action={deliveryList.pathname}
        label="Filter webhook deliveries"
        defaults={{ q: deliveryList.defaults.q, verdict: deliveryList.defaults.verdict, terminal: "0" }}
        hidden={hidden}
        fields={fields}
      />
      <ListToolbar
        chips={deliveryList.chips(params, {
          verdict: (v) => (v === "rejected" ? "Refused" : (DELIVERY_VERDICT_LABELS[v as DeliveryVerdict] ?? v)),
          pairing: (v) => `#${v}`,
          terminal: terminalChip,
          transaction: transactionChip,
        })}
        clearHref={deliveryList.clearHref(params)}
        exportHref={`/api/deliveries/export${deliveryList.search(params, { page: 1 })}`}
      />
      <DeliveryTable
        rows={list.rows}
        now={list.readAt}
        showMerchant={staff}
        transactionHref={(ref) => deliveryList.href(params, { transaction: ref, page: 1 })}
        empty={deliveryList.isFiltered(params) ? <NoMatches noun="deliveries" clearHref={deliveryList.clearHref(params)} /> : "No webhook deliveries yet."}
      />
      <Pagination hrefFor={(p) => deliveryList.pageHref(params, p)} page={list.page} pageSize={list.pageSize} total={list.total} noun="deliveries" singular="delivery" />
    </>
  );
}
