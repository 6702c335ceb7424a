import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { RegisterTree } from "./register-tree";
import type { TreeRow } from "./tree-row";

const row = (id: number, name: string, kind: "physical" | "virtual", parent: { id: number; name: string } | null = null): TreeRow => ({
  id,
  registerId: `00000000-0000-4000-a000-${String(id).padStart(12, "0")}`,
  name,
  kind,
  parentId: parent?.id ?? null,
  parentName: parent?.name ?? null,
  externalRef: null,
  locationId: 1,
  locationName: "Front",
  merchantName: "Northwind",
  route: null,
});

const levels = (html: string) => [...html.matchAll(/data-register="(\d+)"[^>]*data-level="(\d)"/g)].map((m) => [Number(m[1]), Number(m[2])]);

describe("RegisterTree", () => {
  it("nests virtual registers under their physical register on the page", () => {
    const till = { id: 1, name: "Till 1" };
    const html = renderToStaticMarkup(<RegisterTree rows={[row(1, "Till 1", "physical"), row(2, "Lane A", "virtual", till), row(3, "Lane B", "virtual", till)]} empty="none" showMerchant={false} merchant={null} />);
    expect(levels(html)).toEqual([[1, 1], [2, 2], [3, 2]]);
    expect(html).toContain('aria-label="Virtual registers of Till 1"');
  });

  it("lists the virtual registers of a physical register on the previous page each as a continuation, none under another", () => {
    const till = { id: 1, name: "Till 1" };
    const html = renderToStaticMarkup(
      <RegisterTree rows={[row(2, "Lane A", "virtual", till), row(3, "Lane B", "virtual", till), row(4, "Till 2", "physical")]} empty="none" showMerchant={false} merchant={null} />,
    );
    expect(levels(html)).toEqual([[2, 1], [3, 1], [4, 1]]);
    expect(html.match(/of Till 1/g)).toHaveLength(2);
    expect(html).not.toContain("Virtual registers of");
  });
});
