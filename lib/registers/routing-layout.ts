/**
 * The layout of a location's routing diagram (pure; components/locations/routing-diagram.tsx
 * draws it). Registers stand in a left column — each physical register followed by its virtual
 * registers, indented — and terminals in a right column; each route is one line from a register
 * to its terminal.
 *
 * Terminals are ordered to keep lines from crossing: by the mean row of the registers routed to
 * them (the barycenter heuristic of layered graph drawing), then improved by swapping neighbours
 * while that removes crossings. Terminals that no register routes to come last.
 *
 * Coordinates are in pixels: y from the top of the diagram (each row's centre), x of a line from
 * the register column's right edge (`lineStartX`) to the terminal column's left edge (`lineEndX`).
 * The component stretches the space between the columns; y is never scaled.
 */
import type { Environment } from "@/lib/domain";

export type RoutingRegister = {
  id: number;
  name: string;
  kind: "physical" | "virtual";
  parentId: number | null;
  href: string;
};

export type RoutingTerminal = {
  ref: number;
  terminalId: string;
  environment: Environment;
  pairingName: string | null;
  /** Whether the terminal has an active pairing. */
  active: boolean;
  href: string;
};

type RoutingRoute = { registerId: number; terminalRef: number };

export type RoutingInput = {
  registers: readonly RoutingRegister[];
  terminals: readonly RoutingTerminal[];
  routes: readonly RoutingRoute[];
};

export type PlacedRegister = RoutingRegister & {
  /** 0: a physical register (or a virtual one whose parent is not in the list); 1: a virtual register under its parent. */
  depth: 0 | 1;
  y: number;
  /** The terminal it routes to, or null when it is not routed. */
  terminalRef: number | null;
  /** Its virtual registers, in order (ids). */
  childIds: number[];
};

export type PlacedTerminal = RoutingTerminal & {
  y: number;
  /** The registers routed to it, in the order of the left column. */
  registerIds: number[];
};

type RoutingLine = {
  registerId: number;
  terminalRef: number;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
  /** False when the terminal has no active pairing (payments on this route cannot work). */
  active: boolean;
};

export type RoutingLayout = {
  width: number;
  height: number;
  registerRowHeight: number;
  terminalRowHeight: number;
  lineStartX: number;
  lineEndX: number;
  registers: PlacedRegister[];
  terminals: PlacedTerminal[];
  lines: RoutingLine[];
  /** How many pairs of lines cross. */
  crossings: number;
};

export const REGISTER_ROW_HEIGHT = 40;
export const TERMINAL_ROW_HEIGHT = 64;
const COLUMN_WIDTH = 280;
const GAP_WIDTH = 240;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** Crossings between the lines of two terminals when `upper` is above `lower` (rows of their registers). */
function pairCrossings(upper: readonly number[], lower: readonly number[]): number {
  let count = 0;
  for (const a of upper) for (const b of lower) if (a > b) count++;
  return count;
}

/** Pairs of lines that cross, given each terminal's register rows in terminal order. */
export function countCrossings(rowsByTerminal: readonly (readonly number[])[]): number {
  let count = 0;
  for (let i = 0; i < rowsByTerminal.length; i++) {
    for (let j = i + 1; j < rowsByTerminal.length; j++) count += pairCrossings(rowsByTerminal[i]!, rowsByTerminal[j]!);
  }
  return count;
}

/**
 * Places registers, terminals and one line per route. A route naming a register or terminal not
 * in the lists is left out, as is any second route of a register (the database allows one).
 */
export function layoutRouting({ registers, terminals, routes }: RoutingInput): RoutingLayout {
  const byName = (a: { name: string; id: number }, b: { name: string; id: number }) => collator.compare(a.name, b.name) || a.id - b.id;
  const ids = new Set(registers.map((r) => r.id));
  const children = new Map<number, RoutingRegister[]>();
  const roots: RoutingRegister[] = [];
  for (const r of registers) {
    if (r.kind === "virtual" && r.parentId !== null && r.parentId !== r.id && ids.has(r.parentId)) {
      const list = children.get(r.parentId) ?? [];
      list.push(r);
      children.set(r.parentId, list);
    } else {
      roots.push(r);
    }
  }
  const ordered: { register: RoutingRegister; depth: 0 | 1 }[] = [];
  for (const root of [...roots].sort(byName)) {
    ordered.push({ register: root, depth: 0 });
    for (const child of [...(children.get(root.id) ?? [])].sort(byName)) ordered.push({ register: child, depth: 1 });
  }
  // A virtual register under a virtual "parent" is drawn at the root level: it was not placed above.
  const placedIds = new Set(ordered.map((o) => o.register.id));
  for (const r of [...registers].filter((x) => !placedIds.has(x.id)).sort(byName)) ordered.push({ register: r, depth: 0 });

  const terminalByRef = new Map(terminals.map((t) => [t.ref, t]));
  const rowOf = new Map(ordered.map((o, i) => [o.register.id, i]));
  const routeOf = new Map<number, number>();
  for (const route of routes) {
    if (!rowOf.has(route.registerId) || !terminalByRef.has(route.terminalRef) || routeOf.has(route.registerId)) continue;
    routeOf.set(route.registerId, route.terminalRef);
  }

  const rowsOfTerminal = new Map<number, number[]>(terminals.map((t) => [t.ref, []]));
  for (const [registerId, ref] of routeOf) rowsOfTerminal.get(ref)!.push(rowOf.get(registerId)!);
  for (const rows of rowsOfTerminal.values()) rows.sort((a, b) => a - b);

  const mean = (rows: readonly number[]) => rows.reduce((s, r) => s + r, 0) / rows.length;
  const routed = terminals.filter((t) => rowsOfTerminal.get(t.ref)!.length > 0);
  const unrouted = terminals.filter((t) => rowsOfTerminal.get(t.ref)!.length === 0);
  routed.sort(
    (a, b) =>
      mean(rowsOfTerminal.get(a.ref)!) - mean(rowsOfTerminal.get(b.ref)!) ||
      rowsOfTerminal.get(a.ref)![0]! - rowsOfTerminal.get(b.ref)![0]! ||
      collator.compare(a.terminalId, b.terminalId) ||
      a.ref - b.ref,
  );
  // Swap neighbours while it removes crossings (each swap strictly lowers the count, so this ends).
  for (let pass = 0, improved = true; improved && pass < routed.length; pass++) {
    improved = false;
    for (let i = 0; i + 1 < routed.length; i++) {
      const a = rowsOfTerminal.get(routed[i]!.ref)!;
      const b = rowsOfTerminal.get(routed[i + 1]!.ref)!;
      if (pairCrossings(b, a) < pairCrossings(a, b)) {
        [routed[i], routed[i + 1]] = [routed[i + 1]!, routed[i]!];
        improved = true;
      }
    }
  }
  unrouted.sort((a, b) => collator.compare(a.terminalId, b.terminalId) || a.ref - b.ref);
  const terminalOrder = [...routed, ...unrouted];

  const height = Math.max(ordered.length * REGISTER_ROW_HEIGHT, terminalOrder.length * TERMINAL_ROW_HEIGHT);
  // Each column spreads its rows over the diagram's height, so a short column is centred against a long one.
  const registerSlot = ordered.length > 0 ? height / ordered.length : 0;
  const terminalSlot = terminalOrder.length > 0 ? height / terminalOrder.length : 0;

  const placedRegisters: PlacedRegister[] = ordered.map(({ register, depth }, i) => ({
    ...register,
    depth,
    y: registerSlot * (i + 0.5),
    terminalRef: routeOf.get(register.id) ?? null,
    childIds: depth === 0 ? (children.get(register.id) ?? []).filter((c) => rowOf.has(c.id)).sort(byName).map((c) => c.id) : [],
  }));
  const placedTerminals: PlacedTerminal[] = terminalOrder.map((t, i) => ({
    ...t,
    y: terminalSlot * (i + 0.5),
    registerIds: rowsOfTerminal.get(t.ref)!.map((row) => ordered[row]!.register.id),
  }));
  const terminalY = new Map(placedTerminals.map((t) => [t.ref, t.y]));

  const lineStartX = COLUMN_WIDTH;
  const lineEndX = COLUMN_WIDTH + GAP_WIDTH;
  const lines: RoutingLine[] = placedRegisters
    .filter((r) => r.terminalRef !== null)
    .map((r) => ({
      registerId: r.id,
      terminalRef: r.terminalRef!,
      x1: lineStartX,
      y1: r.y,
      x2: lineEndX,
      y2: terminalY.get(r.terminalRef!)!,
      active: terminalByRef.get(r.terminalRef!)!.active,
    }));

  return {
    width: COLUMN_WIDTH * 2 + GAP_WIDTH,
    height,
    registerRowHeight: REGISTER_ROW_HEIGHT,
    terminalRowHeight: TERMINAL_ROW_HEIGHT,
    lineStartX,
    lineEndX,
    registers: placedRegisters,
    terminals: placedTerminals,
    lines,
    crossings: countCrossings(terminalOrder.map((t) => rowsOfTerminal.get(t.ref)!)),
  };
}
