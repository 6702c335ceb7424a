import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Card, CardBody, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TBody, TD, TH, THead, TR } from "@/components/ui/table";
import { Truncate } from "@/components/ui/truncate";
import type { RegisterListRow } from "@/lib/registers/queries";

/**
 * The registers that route to a terminal (its payments' sources): physical and virtual, in tree
 * order, each a link to its page. Pay-Connect keeps one pairing per terminal; all of them send
 * their payments through it, queued in the order received.
 */
export function TerminalRegisters({ rows, terminalId }: { rows: RegisterListRow[]; terminalId: string }) {
  return (
    <Card className="mb-6" aria-labelledby="terminal-registers-title">
      <CardHeader>
        <CardTitle id="terminal-registers-title">Registers</CardTitle>
      </CardHeader>
      <CardBody>
        {rows.length === 0 ? (
          <p className="text-slate-600" data-testid="no-registers">
            No register routes to this terminal. Route one from its page under Registers.
          </p>
        ) : (
          <>
            <p className="mb-3 text-sm text-slate-700">
              {rows.length === 1 ? "1 register sends its" : `${rows.length} registers send their`} payments to {terminalId}, through
              the terminal&apos;s active pairing.
            </p>
            <Table label={`Registers routed to ${terminalId}`} data-testid="terminal-registers" stack>
              <THead>
                <tr>
                  <TH>Register</TH>
                  <TH>Kind</TH>
                  <TH>Location</TH>
                </tr>
              </THead>
              <TBody>
                {rows.map((r) => (
                  <TR key={r.id} data-testid="terminal-register-row">
                    <TD data-stack="primary">
                      <Link
                        href={`/registers/${r.id}`}
                        className="font-medium text-brand-700 underline-offset-4 hover:underline"
                      >
                        <Truncate text={r.name} className="max-w-[16rem]" />
                      </Link>
                    </TD>
                    <TD data-stack="aside" className="whitespace-nowrap">
                      {r.kind === "virtual" ? (
                        <span>
                          <Badge tone="info">virtual</Badge>{" "}
                          {r.parentName ? <span className="text-xs text-slate-600">of {r.parentName}</span> : null}
                        </span>
                      ) : (
                        <Badge>physical</Badge>
                      )}
                    </TD>
                    <TD data-label="Location">
                      <Truncate text={r.locationName} className="max-w-[14rem]" />
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </>
        )}
      </CardBody>
    </Card>
  );
}
