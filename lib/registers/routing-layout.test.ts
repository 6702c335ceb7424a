import { describe, expect, it } from "vitest";
import {
  REGISTER_ROW_HEIGHT,
  TERMINAL_ROW_HEIGHT,
  countCrossings,
  layoutRouting,
  type RoutingRegister,
  type RoutingTerminal,
} from "./routing-layout";

const reg = (id: number, name: string, parentId: number | null = null): RoutingRegister => ({
  id,
  name,
  kind: parentId === null ? "physical" : "virtual",
  parentId,
  href: `/registers/${id}`,
});

const term = (ref: number, terminalId: string, extra: Partial<RoutingTerminal> = {}): RoutingTerminal => ({
  ref,
  terminalId,
  environment: "sandbox",
  pairingName: `Pairing ${ref}`,
  active: true,
  href: `/terminals/${ref}`,
  ...extra,
});

/** Lines that cross, computed from the coordinates (not from the layout's own count). */
function geometricCrossings(lines: { y1: number; y2: number }[]): number {
  let n = 0;
  for (let i = 0; i < lines.length; i++) {
    for (let j = i + 1; j < lines.length; j++) {
      const a = lines[i]!;
      const b = lines[j]!;
      if ((a.y1 - b.y1) * (a.y2 - b.y2) < 0) n++;
    }
  }
  return n;
}

describe("layoutRouting", () => {
  it("lists physical registers by name (numbers in order), each followed by its virtual registers, indented", () => {
    const layout = layoutRouting({
      registers: [reg(3, "Till 10"), reg(4, "Mobile B", 1), reg(1, "Till 2"), reg(5, "mobile a", 1), reg(6, "Kiosk V", 3)],
      terminals: [],
      routes: [],
    });
    expect(layout.registers.map((r) => [r.name, r.depth])).toEqual([
      ["Till 2", 0],
      ["mobile a", 1],
      ["Mobile B", 1],
      ["Till 10", 0],
      ["Kiosk V", 1],
    ]);
    expect(layout.registers[0]!.childIds).toEqual([5, 4]);
    expect(layout.registers.map((r) => r.y)).toEqual([0.5, 1.5, 2.5, 3.5, 4.5].map((k) => k * REGISTER_ROW_HEIGHT));
    expect(layout.height).toBe(5 * REGISTER_ROW_HEIGHT);
  });

  it("draws one line per route, from the register's row to its terminal's row", () => {
    const layout = layoutRouting({
      registers: [reg(1, "Till 1"), reg(2, "Till 2")],
      terminals: [term(10, "SIM-A")],
      routes: [
        { registerId: 1, terminalRef: 10 },
        { registerId: 2, terminalRef: 10 },
      ],
    });
    const t = layout.terminals[0]!;
    expect(layout.lines).toEqual([
      { registerId: 1, terminalRef: 10, x1: layout.lineStartX, y1: layout.registers[0]!.y, x2: layout.lineEndX, y2: t.y, active: true },
      { registerId: 2, terminalRef: 10, x1: layout.lineStartX, y1: layout.registers[1]!.y, x2: layout.lineEndX, y2: t.y, active: true },
    ]);
    expect(layout.lineEndX).toBeGreaterThan(layout.lineStartX);
    expect(t.registerIds).toEqual([1, 2]);
    // The terminal column is centred against the taller register column.
    expect(layout.height).toBe(Math.max(2 * REGISTER_ROW_HEIGHT, TERMINAL_ROW_HEIGHT));
    expect(t.y).toBe(layout.height / 2);
  });

  it("orders terminals to remove crossings in a simple case", () => {
    // Given in the 'wrong' order: B serves the top registers, A the bottom ones.
    const input = {
      registers: [reg(1, "R1"), reg(2, "R2"), reg(3, "R3"), reg(4, "R4")],
      terminals: [term(10, "A"), term(20, "B")],
      routes: [
        { registerId: 1, terminalRef: 20 },
        { registerId: 2, terminalRef: 20 },
        { registerId: 3, terminalRef: 10 },
        { registerId: 4, terminalRef: 10 },
      ],
    };
    const layout = layoutRouting(input);
    expect(layout.terminals.map((t) => t.terminalId)).toEqual(["B", "A"]);
    expect(layout.crossings).toBe(0);
    expect(geometricCrossings(layout.lines)).toBe(0);
    // In the given order, all four lines would cross pairwise: B's two over A's two.
    expect(countCrossings([[2, 3], [0, 1]])).toBe(4);
  });

  it("untangles many terminals given in reverse order, each serving a block of registers", () => {
    const registers = Array.from({ length: 18 }, (_, i) => reg(i + 1, `R${String(i).padStart(2, "0")}`));
    const terminals = Array.from({ length: 6 }, (_, k) => term(k + 1, `T${k}`)).reverse();
    const routes = registers.map((r, i) => ({ registerId: r.id, terminalRef: Math.floor(i / 3) + 1 }));
    const layout = layoutRouting({ registers, terminals, routes });
    expect(layout.terminals.map((t) => t.terminalId)).toEqual(["T0", "T1", "T2", "T3", "T4", "T5"]);
    expect(geometricCrossings(layout.lines)).toBe(0);
  });

  it("keeps the best order when a crossing cannot be avoided", () => {
    // Z serves rows 0, 1, 2 and 9; W row 4. Z above W: one crossing (9 over 4); W above Z: three.
    const registers = Array.from({ length: 10 }, (_, i) => reg(i + 1, `R${i}`));
    const layout = layoutRouting({
      registers,
      terminals: [term(1, "Z"), term(2, "W")],
      routes: [
        { registerId: 1, terminalRef: 1 },
        { registerId: 2, terminalRef: 1 },
        { registerId: 3, terminalRef: 1 },
        { registerId: 10, terminalRef: 1 },
        { registerId: 5, terminalRef: 2 },
      ],
    });
    expect(layout.terminals.map((t) => t.terminalId)).toEqual(["Z", "W"]);
    expect(layout.crossings).toBe(1);
    expect(geometricCrossings(layout.lines)).toBe(1);
  });

  it("swaps neighbours when the mean order is worse", () => {
    // P: rows 0, 1, 2, 3, 20 (mean 5.2). Q: rows 4, 5 (mean 4.5): mean order Q, P has 8 crossings; P, Q has 2.
    const registers = Array.from({ length: 21 }, (_, i) => reg(i + 1, `R${i}`));
    const layout = layoutRouting({
      registers,
      terminals: [term(1, "Q"), term(2, "P")],
      routes: [
        ...[0, 1, 2, 3, 20].map((row) => ({ registerId: row + 1, terminalRef: 2 })),
        ...[4, 5].map((row) => ({ registerId: row + 1, terminalRef: 1 })),
      ],
    });
    expect(layout.terminals.map((t) => t.terminalId)).toEqual(["P", "Q"]);
    expect(layout.crossings).toBe(2);
    expect(geometricCrossings(layout.lines)).toBe(2);
  });

  it("keeps unrouted registers in their place, without a line", () => {
    const layout = layoutRouting({
      registers: [reg(1, "Till 1"), reg(2, "Till 2"), reg(3, "Mobile", 1)],
      terminals: [term(10, "SIM-A")],
      routes: [{ registerId: 3, terminalRef: 10 }],
    });
    expect(layout.registers.map((r) => [r.name, r.terminalRef])).toEqual([
      ["Till 1", null],
      ["Mobile", 10],
      ["Till 2", null],
    ]);
    expect(layout.lines.map((l) => l.registerId)).toEqual([3]);
  });

  it("puts terminals that no register routes to last, by terminal id", () => {
    const layout = layoutRouting({
      registers: [reg(1, "Till 1")],
      terminals: [term(30, "SIM-C"), term(20, "SIM-B"), term(10, "SIM-Z")],
      routes: [{ registerId: 1, terminalRef: 10 }],
    });
    expect(layout.terminals.map((t) => [t.terminalId, t.registerIds])).toEqual([
      ["SIM-Z", [1]],
      ["SIM-B", []],
      ["SIM-C", []],
    ]);
    expect(layout.height).toBe(3 * TERMINAL_ROW_HEIGHT);
    // The single register is centred against the taller terminal column.
    expect(layout.registers[0]!.y).toBe(layout.height / 2);
  });

  it("marks a line to a terminal without an active pairing, and leaves out routes to unknown rows or a second route", () => {
    const layout = layoutRouting({
      registers: [reg(1, "Till 1"), reg(2, "Till 2")],
      terminals: [term(10, "SIM-A", { active: false, pairingName: null }), term(20, "SIM-B")],
      routes: [
        { registerId: 1, terminalRef: 10 },
        { registerId: 1, terminalRef: 20 },
        { registerId: 2, terminalRef: 99 },
        { registerId: 99, terminalRef: 20 },
      ],
    });
    expect(layout.lines).toHaveLength(1);
    expect(layout.lines[0]).toMatchObject({ registerId: 1, terminalRef: 10, active: false });
    expect(layout.registers[1]!.terminalRef).toBeNull();
  });

  it("lays out nothing for an empty location", () => {
    const layout = layoutRouting({ registers: [], terminals: [], routes: [] });
    expect(layout).toMatchObject({ height: 0, registers: [], terminals: [], lines: [], crossings: 0 });
  });
});
