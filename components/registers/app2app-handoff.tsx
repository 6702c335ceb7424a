import { Alert } from "@/components/ui/alert";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Description, DescriptionList, TERM_CLASS } from "@/components/ui/description-list";
import { CopyButton } from "@/components/ui/copy-button";
import type { Environment } from "@/lib/domain";
import { APP2APP_PACKAGES, INTEGRATOR_ID_VARIABLES, app2appHandoff, qrCodeSvg } from "@/lib/registers/app2app";

export type App2AppHandoffProps = {
  registerName: string;
  /** The register's UUID. */
  registerId: string;
  /** The pairing of the terminal the register routes to; null when it routes to none. */
  route: { terminalId: string; payConnectId: string; environment: Environment } | null;
  /** That environment's integrator id (`getEnv().payConnect[environment].integratorId`); undefined when not configured. */
  integratorId: string | undefined;
};

type Field = { key: string; label: string; extra?: string; value: string };

/**
 * What an Android POS needs to send this register's payments through the Pay-Connect app
 * (App2App): copyable fields and a QR code of the same, drawn on the server as inline SVG. No
 * secret is in it (lib/registers/app2app.ts refuses one). A server component: no client code but
 * the copy buttons.
 */
export function App2AppHandoff({ registerName, registerId, route, integratorId }: App2AppHandoffProps) {
  const configured = integratorId !== undefined && integratorId.trim() !== "";
  const handoff =
    route && configured
      ? app2appHandoff({ integratorId, payConnectId: route.payConnectId, environment: route.environment, registerId })
      : null;
  const fields: Field[] = [
    ...(handoff ? [{ key: "integrator-id", label: "Integrator id", extra: "payConnectIntegratorId", value: handoff.integratorId }] : []),
    ...(route ? [{ key: "pay-connect-id", label: "pay_connect_id", extra: "payConnectId", value: route.payConnectId }] : []),
    ...(route ? [{ key: "package", label: "App package", value: APP2APP_PACKAGES[route.environment] }] : []),
    { key: "register-id", label: "Register ID", value: registerId },
  ];
  const qr = handoff ? qrCodeSvg(handoff.payloadText) : null;
  const qrName = `QR code for the App2App hand-off of register ${registerName}`;
  // Unique per register, so that two cards on one page never share an id.
  const titleId = `app2app-title-${registerId}`;

  return (
    <Card aria-labelledby={titleId} data-testid="app2app-handoff">
      <CardHeader>
        <CardTitle id={titleId}>App2App hand-off</CardTitle>
        <p className="mt-1 text-sm text-slate-600">
          {route ? (
            <>
              What an Android POS needs to send register {registerName}&rsquo;s payments through the Pay-Connect app on terminal{" "}
              <span className="font-mono text-xs">{route.terminalId}</span> ({route.environment}). It holds no secret.
            </>
          ) : (
            <>What an Android POS needs to send register {registerName}&rsquo;s payments through the Pay-Connect app.</>
          )}
        </p>
      </CardHeader>
      <CardBody className="space-y-4">
        {!route ? (
          <Alert tone="warning" title="Not routed">
            Register {registerName} routes to no terminal yet. Route it to a paired terminal: the hand-off needs that
            terminal&rsquo;s pairing.
          </Alert>
        ) : !configured ? (
          <Alert tone="warning" title="Integrator id not configured">
            Pairdesk has no {route.environment} integrator id, so there is no QR code. Set{" "}
            <code className="font-mono text-xs">{INTEGRATOR_ID_VARIABLES[route.environment][0]}</code> (or{" "}
            <code className="font-mono text-xs">{INTEGRATOR_ID_VARIABLES[route.environment][1]}</code> for both environments) and
            restart Pairdesk.
          </Alert>
        ) : null}
        <div className="flex flex-col gap-6 md:flex-row md:items-start">
          <DescriptionList className="min-w-0 flex-1">
            {fields.map((f) => (
              <Description
                key={f.key}
                label={f.label}
                aside={f.extra ? <span className="ml-1 font-mono normal-case tracking-normal text-slate-500">({f.extra})</span> : null}
                mono
                valueClassName="text-slate-900"
                copy={f.value}
                testId={`app2app-${f.key}`}
              >
                {f.value}
              </Description>
            ))}
          </DescriptionList>
          {handoff && qr ? (
            <figure className="flex shrink-0 flex-col items-center gap-2">
              {/* Black on white in both themes: a scanner needs the contrast, and the quiet zone is part of the code. */}
              <svg
                role="img"
                aria-label={qrName}
                viewBox={`0 0 ${qr.size} ${qr.size}`}
                shapeRendering="crispEdges"
                className="size-44 rounded border border-slate-200"
                data-testid="app2app-qr"
              >
                <title>{qrName}</title>
                <rect width={qr.size} height={qr.size} fill="#ffffff" />
                <path d={qr.path} fill="#000000" />
              </svg>
              <figcaption className="text-xs text-slate-600">The same fields, for the POS to scan</figcaption>
            </figure>
          ) : null}
        </div>
        {handoff ? (
          <div className="min-w-0">
            <p className={TERM_CLASS}>
              QR payload (JSON)
            </p>
            <div className="mt-1 flex min-w-0 items-start gap-1">
              <pre
                className="min-w-0 flex-1 whitespace-pre-wrap break-all rounded bg-slate-50 px-2 py-1.5 font-mono text-xs text-slate-900"
                data-testid="app2app-payload"
              >
                {handoff.payloadText}
              </pre>
              <CopyButton value={handoff.payloadText} label="QR payload" />
            </div>
          </div>
        ) : null}
      </CardBody>
    </Card>
  );
}
