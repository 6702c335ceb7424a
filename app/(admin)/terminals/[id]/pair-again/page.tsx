import { randomUUID } from "node:crypto";
import { ArrowLeft } from "lucide-react";
import Link from "next/link";
import { notFound } from "next/navigation";
import { pairAgainWarning } from "@/components/terminals/pair-again-warning";
import { PairTerminalForm } from "@/components/terminals/pair-terminal-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { pageAccess } from "@/lib/auth/access";
import { queryTerminalDetail } from "@/lib/pairing/terminal-detail-queries";
import { pairEnvironmentOptions } from "@/lib/pairing/form-options";
import { webhookEndpoint } from "@/lib/pairing/webhook-url";

export const metadata = { title: "Pair a terminal again" };

export default async function PairAgainPage({ params }: { params: Promise<{ id: string }> }) {
  // Another merchant's terminal is not found (404), as on the terminal's page.
  const { user, ctx } = await pageAccess("pairing:create");
  const { id } = await params;
  const ref = Number(id);
  if (!Number.isSafeInteger(ref) || ref <= 0) notFound();
  const detail = await queryTerminalDetail(ctx, ref);
  if (!detail) notFound();
  const { terminal, pairings, routedRegisterCount } = detail;
  const current = pairings.find((p) => p.status === "active") ?? null;
  // The current pairing's name, or the last one's: the terminal keeps its name on Pay-Connect.
  const defaultName = current?.name ?? pairings[0]?.name ?? `Terminal ${terminal.terminalId}`;
  const suspended = terminal.merchantStatus === "suspended";
  return (
    <>
      <Link href={`/terminals/${terminal.id}`} className="mb-4 inline-flex items-center gap-1 text-sm text-brand-700 hover:underline">
        <ArrowLeft aria-hidden className="size-4" /> Terminal {terminal.terminalId}
      </Link>
      <PageHeader
        title={`Pair ${terminal.terminalId} again`}
        description="Generate a new Pay-Connect OTP on the terminal's screen and type it below. Pay-Connect returns the new credentials once; Pairdesk stores them encrypted in the vault."
      />
      <Alert tone="warning" title={current ? "This replaces the current pairing" : "Pair this terminal again"} className="mb-6" data-testid="pair-again-warning">
        {pairAgainWarning(terminal.terminalId, current, routedRegisterCount)}
      </Alert>
      {suspended ? (
        <Alert tone="danger" role="alert" title="Merchant suspended">
          This terminal&apos;s merchant is suspended: nothing can be paired for it until it is reactivated.
        </Alert>
      ) : (
        <PairTerminalForm
          requestKey={randomUUID()}
          webhookEndpoint={webhookEndpoint()}
          environments={pairEnvironmentOptions(user.role)}
          merchant={{ kind: "own", name: terminal.merchantName }}
          target={{
            kind: "again",
            terminalRef: terminal.id,
            terminalId: terminal.terminalId,
            environment: terminal.environment,
            merchantName: terminal.merchantName,
            defaultName,
          }}
          submitLabel="Pair again"
        />
      )}
    </>
  );
}
