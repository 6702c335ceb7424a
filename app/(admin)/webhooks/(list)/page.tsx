import { searchField, selectField } from "@/components/lists/fields";
import { ListPage, listAccess, type ListPageProps } from "@/components/lists/list-page";
import { choiceField, terminalLabel } from "@/components/transactions/filter-fields";
import type { FilterField } from "@/components/ui/filter-bar";
import { keysetSummary } from "@/components/ui/keyset-pagination";
import { DeliveryTable } from "@/components/webhooks/delivery-table";
import { DELIVERY_VERDICTS, type DeliveryVerdict } from "@/lib/domain";
import { DELIVERY_VERDICT_LABELS } from "@/lib/labels";
import { deliveryList, LIST_COUNT_CAP } from "@/lib/lists/lists";
import { queryTransactionFilterOptions } from "@/lib/transactions/list-queries";
import { queryDeliveries } from "@/lib/webhooks/queries";

export const metadata = { title: "Webhook deliveries" };

export default async function WebhooksPage({ searchParams }: ListPageProps) {
  const { params: input, ctx } = await listAccess(deliveryList, "webhooks:read", searchParams);
  const list = await queryDeliveries(ctx, input);
  const params = list.params;
  const { terminals } = await queryTransactionFilterOptions(ctx);
  const fields = [
    searchField("delivery-search", "Transaction id (or its start)", 200),
    selectField("delivery-verdict", "Verdict", "verdict", [
      ["all", "All verdicts"],
      ["rejected", "Refused (any reason)"],
      ...DELIVERY_VERDICTS.map((v) => [v, DELIVERY_VERDICT_LABELS[v]] as const),
    ]),
    choiceField({ id: "delivery-terminal", label: "Terminal", name: "terminal", all: "All terminals" }, terminals, params.terminal, terminalLabel),
  ].filter((f): f is FilterField => f !== null);
  return (
    <ListPage
      list={deliveryList}
      params={params}
      title="Webhook deliveries"
      description="Every request Pay-Connect made to Pairdesk's webhook URLs, stored as received before it was answered, with its verdict and what it reported. Refused ones are kept for 30 days (at most 10,000)."
      filters={{ label: "Filter webhook deliveries", fields }}
      chips={{
        verdict: (v) => (v === "rejected" ? "Refused" : (DELIVERY_VERDICT_LABELS[v as DeliveryVerdict] ?? v)),
        pairing: (v) => `#${v}`,
        terminal: (v) => {
          const t = terminals?.find((x) => x.id === Number(v));
          return t ? terminalLabel(t) : `#${v}`;
        },
        // The transaction filter is named by its id, from its rows (or by number).
        transaction: (v) => list.rows.flatMap((r) => r.events).find((e) => e.transactionRef === Number(v))?.providerTransactionId ?? `#${v}`,
      }}
      exportPath="/api/deliveries/export"
      noun={["deliveries", "delivery"]}
      empty="No webhook deliveries yet."
      paging={{
        prev: list.prev,
        next: list.next,
        summary: keysetSummary({ start: list.start, shown: list.rows.length, total: list.total, cap: LIST_COUNT_CAP, noun: "deliveries", singular: "delivery" }),
      }}
    >
      {({ empty }) => (
        <DeliveryTable
          rows={list.rows}
          now={list.readAt}
          showMerchant={ctx.scope.kind === "all"}
          transactionHref={(ref) => deliveryList.href(params, { transaction: ref, page: 1 })}
          empty={empty}
        />
      )}
    </ListPage>
  );
}
