import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import type { RoutingInput } from "@/lib/registers/routing-layout";
import { ROUTING_DIAGRAM_MAX, RoutingDiagram } from "./routing-diagram";

const input: RoutingInput = {
  registers: [
    { id: 1, name: "Till 1", kind: "physical", parentId: null, href: "/registers/r-1" },
    { id: 2, name: "Till 2", kind: "physical", parentId: null, href: "/registers/r-2" },
    { id: 3, name: "Mobile A", kind: "virtual", parentId: 1, href: "/registers/r-3" },
    { id: 4, name: "Mobile B", kind: "virtual", parentId: 1, href: "/registers/r-4" },
  ],
  terminals: [
    { ref: 10, terminalId: "SIM-0001", environment: "sandbox", pairingName: "Front / Till 1", active: true, href: "/terminals/10" },
    { ref: 20, terminalId: "SIM-0002", environment: "production", pairingName: "Front / Mobile B", active: true, href: "/terminals/20" },
    { ref: 30, terminalId: "SIM-0003", environment: "sandbox", pairingName: null, active: true, href: "/terminals/30" },
  ],
  routes: [
    { registerId: 1, terminalRef: 10 },
    { registerId: 3, terminalRef: 10 },
    { registerId: 4, terminalRef: 20 },
  ],
};

function render(p: RoutingInput): string {
  return renderToStaticMarkup(<RoutingDiagram {...p} />);
}

/** A fragment's text: tags dropped, entities decoded, spaces collapsed. */
function text(html: string): string {
  return html
    .replace(/<[^>]+>/g, "")
    .replaceAll("&quot;", '"')
    .replaceAll("&amp;", "&")
    .replaceAll("&lt;", "<")
    .replaceAll("&gt;", ">")
    .replaceAll("&#x27;", "'")
    .replace(/\s+/g, " ")
    .trim();
}

/** The `<li>` items of the first `<ul aria-label="…">` with this label inside the element with `testId`, as text (a nested list's items follow its parent's). */
function listItems(html: string, testId: string, label: string): string[] {
  const start = html.indexOf(`data-testid="${testId}"`);
  const from = html.indexOf(`aria-label="${label}"`, start);
  if (start < 0 || from < 0) return [];
  // Walk the list's <li> elements, keeping each item's own text (before a nested list).
  const rest = html.slice(from);
  const end = rest.search(/<\/ul><\/div>|<\/ul><ul aria-label/);
  const body = rest.slice(0, end);
  return body
    .split(/<li[^>]*>/)
    .slice(1)
    .map((chunk) => text(chunk.split(/<ul|<\/li>/)[0]!));
}

describe("RoutingDiagram", () => {
  it("sums a location with more registers than a glance takes up, and draws no diagram", () => {
    const many: RoutingInput = {
      registers: Array.from({ length: ROUTING_DIAGRAM_MAX + 1 }, (_, i) => ({ id: i + 1, name: `Till ${i + 1}`, kind: "physical" as const, parentId: null, href: `/registers/${i + 1}` })),
      terminals: input.terminals,
      routes: [
        { registerId: 1, terminalRef: 10 },
        { registerId: 2, terminalRef: 10 },
        { registerId: 3, terminalRef: 20 },
      ],
    };
    const html = render(many);
    expect(text(html)).toBe(`3 of these ${ROUTING_DIAGRAM_MAX + 1} registers route to 2 terminals. Too many to draw here: the registers table lists each register's route.`);
    expect(text(render({ ...many, routes: [] }))).toBe(
      `None of these ${ROUTING_DIAGRAM_MAX + 1} registers is routed yet. Too many to draw here: the registers table lists each register's route.`,
    );
    expect(html).not.toContain("routing-list-reader");
    // At the limit, the diagram.
    expect(render({ ...many, registers: many.registers.slice(0, ROUTING_DIAGRAM_MAX) })).toContain("routing-list-reader");
  });

  it("gives screen readers the routing as a list, virtual registers under their register, unrouted ones said so", () => {
    const html = render(input);
    expect(listItems(html, "routing-list-reader", "Registers and the terminals they route to")).toEqual([
      "Till 1 → terminal SIM-0001 (sandbox, pairing “Front / Till 1”)",
      "Mobile A (virtual) → terminal SIM-0001 (sandbox, pairing “Front / Till 1”)",
      "Mobile B (virtual) → terminal SIM-0002 (production, pairing “Front / Mobile B”)",
      "Till 2: not routed",
    ]);
    expect(listItems(html, "routing-list-reader", "Terminals that no register routes to")).toEqual([
      "Terminal SIM-0003 (sandbox): no registers",
    ]);
    // Nested: the virtual registers' list sits inside Till 1's item.
    expect(html).toMatch(/<li data-register-id="1">(?:(?!<\/li>)[\s\S])*<ul[^>]*><li data-register-id="3">/);
  });

  it("shows the same list with links on a phone, and the diagram's labels as links on wider screens", () => {
    const html = render(input);
    expect(listItems(html, "routing-list-phone", "Registers and the terminals they route to")[3]).toBe("Till 2: not routed");
    const phone = html.slice(html.indexOf('data-testid="routing-list-phone"'), html.indexOf('class="hidden md:block"'));
    expect(html).toContain('<div class="md:hidden" data-testid="routing-list-phone">');
    expect(phone).toContain('href="/registers/r-1"');
    expect(phone).toContain('href="/terminals/20"');
    const reader = html.slice(html.indexOf('data-testid="routing-list-reader"'));
    expect(reader).not.toContain("href=");
    const diagram = html.slice(html.indexOf('class="hidden md:block"'), html.indexOf('data-testid="routing-list-reader"'));
    for (const href of ["/registers/r-1", "/registers/r-2", "/registers/r-3", "/registers/r-4", "/terminals/10", "/terminals/20", "/terminals/30"]) {
      expect(diagram).toContain(`href="${href}"`);
    }
  });

  it("draws one line per route in an aria-hidden SVG", () => {
    const html = render(input);
    const svg = /<svg[^>]*data-testid="routing-lines"[^>]*>[\s\S]*?<\/svg>/.exec(html)![0];
    expect(svg).toContain('aria-hidden="true"');
    const lines = [...svg.matchAll(/<path [^>]*data-register="(\d+)" data-terminal="(\d+)"/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(lines).toEqual([
      [1, 10],
      [3, 10],
      [4, 20],
    ]);
  });

  it("says when a route goes to a terminal without an active pairing", () => {
    const html = render({
      ...input,
      terminals: input.terminals.map((t) => (t.ref === 20 ? { ...t, active: false } : t)),
    });
    expect(listItems(html, "routing-list-reader", "Registers and the terminals they route to")[2]).toBe(
      "Mobile B (virtual) → terminal SIM-0002 (production, no active pairing)",
    );
    expect(html).toMatch(/<path [^>]*stroke-dasharray="4 3"[^>]*data-register="4"/);
  });

  it("escapes names", () => {
    const html = render({ ...input, registers: [{ ...input.registers[0]!, name: '<img src=x onerror="alert(1)">' }] });
    expect(html).not.toContain("<img");
  });

  it("says an empty location has no registers", () => {
    expect(text(render({ registers: [], terminals: [], routes: [] }))).toBe("This location has no registers yet.");
  });
});
