import { CornerDownRight } from "lucide-react";
import Link from "next/link";
import { EnvironmentBadge } from "@/components/ui/status-badges";
import { layoutRouting, type PlacedRegister, type PlacedTerminal, type RoutingInput, type RoutingLayout } from "@/lib/registers/routing-layout";
import { TERM_CLASS } from "@/components/ui/description-list";
import { cn } from "@/lib/utils";

/**
 * A location's routing at a glance: its registers on the left (virtual registers indented under
 * their physical register), terminals on the right, one line per route. The lines are an
 * aria-hidden SVG; the labels are HTML links. Screen readers get the same information as a list
 * ("Till 1 → terminal SIM-… (sandbox, pairing “Front / Till 1”)", "Till 2: not routed"), which is
 * also what a phone shows instead of the diagram. A server component.
 */
/**
 * Past this many registers the diagram is a summary: drawn three times (the diagram, the phone's
 * list, the screen reader's list), 50 registers cost the page about 90 KiB, and a diagram 2,000
 * pixels tall is no longer a glance. The registers table says the same, row by row.
 */
export const ROUTING_DIAGRAM_MAX = 24;

export function RoutingDiagram({ registers, terminals, routes, className }: RoutingInput & { className?: string }) {
  if (registers.length === 0 && terminals.length === 0) {
    return (
      <p className={cn("text-sm text-slate-600", className)} data-testid="routing-diagram">
        This location has no registers yet.
      </p>
    );
  }
  if (registers.length > ROUTING_DIAGRAM_MAX) {
    const routed = new Set(routes.map((r) => r.registerId)).size;
    const used = new Set(routes.map((r) => r.terminalRef)).size;
    return (
      <p className={cn("text-sm text-slate-700", className)} data-testid="routing-diagram" data-summary="">
        {routed === 0
          ? `None of these ${registers.length} registers is routed yet.`
          : `${routed} of these ${registers.length} registers route to ${used} ${used === 1 ? "terminal" : "terminals"}.`}{" "}
        Too many to draw here: the registers table lists each register&apos;s route.
      </p>
    );
  }
  const layout = layoutRouting({ registers, terminals, routes });
  return (
    <div className={className} data-testid="routing-diagram">
      {/* Phone: the list is the view. */}
      <div className="md:hidden" data-testid="routing-list-phone">
        <RoutingList layout={layout} links />
      </div>
      {/* Wider screens: the diagram, and the list for screen readers only (its links are the diagram's labels). */}
      <div className="hidden md:block">
        <Diagram layout={layout} />
        <div className="sr-only" data-testid="routing-list-reader">
          <RoutingList layout={layout} links={false} />
        </div>
      </div>
    </div>
  );
}

function Diagram({ layout }: { layout: RoutingLayout }) {
  const gap = layout.lineEndX - layout.lineStartX;
  const anyDead = layout.lines.some((l) => !l.active);
  return (
    <div>
      <div className={cn("grid grid-cols-[minmax(0,2fr)_minmax(4rem,1fr)_minmax(0,2fr)]", TERM_CLASS)}>
        <p className="pb-2">Registers</p>
        <span />
        <p className="pb-2">Terminals</p>
      </div>
      <div className="grid grid-cols-[minmax(0,2fr)_minmax(4rem,1fr)_minmax(0,2fr)]" style={{ height: layout.height }}>
        <ul className="relative" aria-label="Registers">
          {layout.registers.map((r) => (
            <RegisterLabel key={r.id} register={r} rowHeight={layout.registerRowHeight} />
          ))}
        </ul>
        <svg
          aria-hidden="true"
          focusable="false"
          viewBox={`0 0 ${gap} ${Math.max(layout.height, 1)}`}
          preserveAspectRatio="none"
          className="block h-full w-full overflow-visible"
          data-testid="routing-lines"
        >
          {layout.lines.map((l) => {
            const y1 = l.y1;
            const y2 = l.y2;
            return (
              <path
                key={l.registerId}
                d={`M0 ${y1} C${gap / 2} ${y1} ${gap / 2} ${y2} ${gap} ${y2}`}
                fill="none"
                stroke="currentColor"
                strokeWidth={1.5}
                strokeDasharray={l.active ? undefined : "4 3"}
                vectorEffect="non-scaling-stroke"
                className={l.active ? "text-brand-600" : "text-red-600"}
                data-register={l.registerId}
                data-terminal={l.terminalRef}
              />
            );
          })}
        </svg>
        <ul className="relative" aria-label="Terminals">
          {layout.terminals.map((t) => (
            <TerminalLabel key={t.ref} terminal={t} rowHeight={layout.terminalRowHeight} />
          ))}
        </ul>
      </div>
      {anyDead ? (
        <p className="mt-3 text-xs text-slate-600" aria-hidden="true">
          A dashed red line goes to a terminal without an active pairing: payments on it cannot work until it is paired again.
        </p>
      ) : null}
    </div>
  );
}

function RegisterLabel({ register: r, rowHeight }: { register: PlacedRegister; rowHeight: number }) {
  const height = rowHeight - 8;
  return (
    <li
      className={cn("absolute right-0 flex items-center", r.depth === 1 ? "left-6" : "left-0")}
      style={{ top: r.y - height / 2, height }}
      data-register-id={r.id}
    >
      {r.depth === 1 ? <CornerDownRight aria-hidden className="absolute -left-5 size-4 text-slate-400" /> : null}
      <span
        className={cn(
          "flex h-full min-w-0 flex-1 items-center gap-2 rounded-md border bg-white px-2.5 text-sm",
          r.terminalRef === null ? "border-dashed border-slate-300" : "border-slate-200 shadow-sm",
        )}
      >
        <Link href={r.href} className="min-w-0 truncate font-medium text-slate-900 hover:text-brand-700 hover:underline" title={r.name}>
          {r.name}
        </Link>
        {r.kind === "virtual" ? <span className="shrink-0 text-xs text-slate-500">virtual</span> : null}
        {r.terminalRef === null ? <span className="ml-auto shrink-0 text-xs font-medium text-amber-800">not routed</span> : null}
      </span>
    </li>
  );
}

function TerminalLabel({ terminal: t, rowHeight }: { terminal: PlacedTerminal; rowHeight: number }) {
  const height = rowHeight - 8;
  return (
    <li className="absolute inset-x-0" style={{ top: t.y - height / 2, height }} data-terminal-ref={t.ref}>
      <span
        className={cn(
          "flex h-full min-w-0 flex-col justify-center rounded-md border bg-white px-2.5 text-sm",
          t.active ? "border-slate-200 shadow-sm" : "border-dashed border-red-600/40",
        )}
      >
        <span className="flex min-w-0 items-center gap-2">
          <Link href={t.href} className="min-w-0 truncate font-mono text-xs font-medium text-slate-900 hover:text-brand-700 hover:underline" title={t.terminalId}>
            {t.terminalId}
          </Link>
          <EnvironmentBadge environment={t.environment} />
        </span>
        <span className={cn("truncate text-xs", t.active ? "text-slate-600" : "font-medium text-red-700")} title={t.pairingName ?? undefined}>
          {!t.active ? "no active pairing" : t.pairingName ? `“${t.pairingName}”` : "paired"}
          {t.registerIds.length === 0 ? " · no registers" : null}
        </span>
      </span>
    </li>
  );
}

/** "terminal SIM-1 (sandbox, pairing “Front / Till 1”)": a terminal as words. */
function terminalWords(t: PlacedTerminal): string {
  const details = [t.environment, t.active ? (t.pairingName ? `pairing “${t.pairingName}”` : null) : "no active pairing"].filter(Boolean);
  return `(${details.join(", ")})`;
}

function RoutingList({ layout, links }: { layout: RoutingLayout; links: boolean }) {
  const terminals = new Map(layout.terminals.map((t) => [t.ref, t]));
  const registers = new Map(layout.registers.map((r) => [r.id, r]));
  const name = (text: string, href: string, mono = false) =>
    links ? (
      <Link href={href} className={cn("font-medium text-slate-900 underline decoration-slate-300 hover:text-brand-700", mono && "font-mono text-xs")}>
        {text}
      </Link>
    ) : (
      text
    );
  const item = (r: PlacedRegister) => {
    const t = r.terminalRef === null ? undefined : terminals.get(r.terminalRef);
    return (
      <>
        {name(r.name, r.href)}
        {r.kind === "virtual" ? " (virtual)" : ""}
        {t ? (
          <>
            {" → terminal "}
            {name(t.terminalId, t.href, true)} {terminalWords(t)}
          </>
        ) : (
          ": not routed"
        )}
      </>
    );
  };
  const roots = layout.registers.filter((r) => r.depth === 0);
  const idle = layout.terminals.filter((t) => t.registerIds.length === 0);
  return (
    <div className="space-y-3 text-sm text-slate-800">
      {roots.length > 0 ? (
        <ul aria-label="Registers and the terminals they route to" className="space-y-1.5">
          {roots.map((r) => (
            <li key={r.id} data-register-id={r.id}>
              {item(r)}
              {r.childIds.length > 0 ? (
                <ul className="mt-1 space-y-1 border-l border-slate-200 pl-4">
                  {r.childIds.map((id) => {
                    const child = registers.get(id)!;
                    return (
                      <li key={id} data-register-id={id}>
                        {item(child)}
                      </li>
                    );
                  })}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : (
        <p>This location has no registers yet.</p>
      )}
      {idle.length > 0 ? (
        <ul aria-label="Terminals that no register routes to" className="space-y-1">
          {idle.map((t) => (
            <li key={t.ref} data-terminal-ref={t.ref}>
              {"Terminal "}
              {name(t.terminalId, t.href, true)} {terminalWords(t)}: no registers
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
