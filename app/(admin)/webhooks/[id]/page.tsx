import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ReprocessButton } from "@/components/webhooks/reprocess-button";
import { VerdictBadge } from "@/components/webhooks/verdict-badge";
import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList } from "@/components/ui/description-list";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryDelivery } from "@/lib/webhooks/queries";
import { formatDateTime } from "@/lib/format";
import { can } from "@/lib/auth/permissions";

export const metadata = { title: "Webhook delivery" };

/** A refused body is shown as text, cut, never parsed or rendered as HTML. */
const REFUSED_SHOWN = 2_000;

function payload(body: Buffer | null, verified: boolean): { text: string; cut: boolean } {
  if (!body) return { text: "", cut: false };
  const raw = body.toString("utf8");
  if (verified) {
    try {
      return { text: JSON.stringify(JSON.parse(raw), null, 2), cut: false };
    } catch {
      // not JSON: shown as received
    }
  }
  return raw.length > REFUSED_SHOWN ? { text: raw.slice(0, REFUSED_SHOWN), cut: true } : { text: raw, cut: false };
}

export default async function DeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { user, ctx } = await pageAccess("webhooks:read");
  const { id } = await params;
  const ref = Number(id);
  if (!Number.isSafeInteger(ref) || ref <= 0) notFound();
  const d = await queryDelivery(ctx, ref);
  if (!d) notFound();
  const row = d.row;
  const verified = row.verdict === "accepted" || row.verdict === "unparsed";
  const shown = payload(row.body, row.verdict === "accepted");
  return (
    <>
      <Link href="/webhooks" className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Webhook deliveries
      </Link>
      <PageHeader
        title={`Delivery ${row.id}`}
        description={
          <span className="inline-flex flex-wrap items-center gap-2">
            <VerdictBadge verdict={row.verdict} /> HTTP {row.httpStatus} · {formatDateTime(row.receivedAt)} · {row.sizeBytes} bytes
          </span>
        }
        actions={verified && can(user.role, "webhooks:reprocess") ? <ReprocessButton deliveryId={row.id} /> : null}
      />
      {row.reason ? (
        <Alert tone={row.verdict === "accepted" ? "info" : "warning"} className="mb-6" title="Why" data-testid="delivery-reason">
          {row.reason}
        </Alert>
      ) : null}
      {row.processError ? (
        <Alert tone="danger" className="mb-6" title="Not applied" data-testid="delivery-process-error">
          {row.processError}
        </Alert>
      ) : null}
      {row.conflict ? (
        <Alert tone="danger" className="mb-6" title="Applied in part: a conflict was refused" data-testid="delivery-conflict">
          <span className="whitespace-pre-line">{row.conflict}</span>
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,2fr)_minmax(0,1fr)]">
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>{row.verdict === "accepted" ? "Payload" : "Body as received"}</CardTitle>
          </CardHeader>
          <CardBody>
            {row.body === null ? (
              <p className="text-sm text-slate-600">Not stored (it was not read).</p>
            ) : (
              <>
                <pre className="max-h-[32rem] overflow-auto whitespace-pre-wrap break-all rounded bg-slate-50 p-3 font-mono text-xs" data-testid="delivery-body">
                  {shown.text}
                </pre>
                {shown.cut || row.bodyTruncated ? (
                  <p className="mt-2 text-xs text-slate-600" data-testid="delivery-truncated">
                    Cut: refused bodies are kept and shown only in part.
                  </p>
                ) : null}
              </>
            )}
          </CardBody>
        </Card>
        <Card className="min-w-0">
          <CardHeader>
            <CardTitle>Details</CardTitle>
          </CardHeader>
          <CardBody>
            <DescriptionList columns={1}>
              <Description label="Pairing">
                  {d.terminalRef ? (
                    <Link href={`/terminals/${d.terminalRef}`} className="text-brand-700 hover:underline">
                      {d.pairingName} ({d.terminalId})
                    </Link>
                  ) : (
                    "No pairing has this URL"
                  )}
                  {d.pairingStatus && d.pairingStatus !== "active" ? ` · ${d.pairingStatus}` : ""}
              </Description>
              <Description label="Signature">
                {row.signatureForm ? `verified (${row.signatureForm === "raw" ? "over the body as sent" : "over the sorted-keys form"})` : "not verified"}
              </Description>
              <Description label="Applied">
                {row.processedAt ? `${formatDateTime(row.processedAt)}: ${row.eventCount ?? 0} new observation(s)` : "no"}
                {row.reprocessCount > 0 ? ` · reprocessed ${row.reprocessCount}×` : ""}
              </Description>
              {d.touched.length > 0 ? (
                <Description label="Transactions">
                    <ul data-testid="delivery-transactions">
                      {d.touched.map((t) => (
                        <li key={t.id}>
                          <Link href={`/transactions/${t.id}`} className="font-mono text-xs break-all text-brand-700 hover:underline">
                            {t.providerTransactionId}
                          </Link>{" "}
                          {t.status}
                        </li>
                      ))}
                    </ul>
                </Description>
              ) : null}
            </DescriptionList>
          </CardBody>
        </Card>
      </div>
    </>
  );
}
