import jsQR from "jsqr";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { App2AppHandoff, type App2AppHandoffProps } from "./app2app-handoff";

const props: App2AppHandoffProps = {
  registerName: "Till 1",
  registerId: "6f1c2b9e-8d4a-4c1e-9b7a-2e5d3f0a1b2c",
  route: { terminalId: "SIM-0001", payConnectId: "pc_7f3a9c", environment: "sandbox" },
  integratorId: "integrator-42",
};

function render(p: App2AppHandoffProps): string {
  return renderToStaticMarkup(<App2AppHandoff {...p} />);
}

/** The text of the element with this data-testid (entities decoded). */
function testIdText(html: string, id: string): string | null {
  const match = new RegExp(`data-testid="${id}"[^>]*>([^<]*)<`).exec(html);
  return match ? match[1]!.replaceAll("&quot;", '"').replaceAll("&amp;", "&") : null;
}

/** The copy buttons' accessible names. */
function copyLabels(html: string): string[] {
  return [...html.matchAll(/aria-label="(Copy [^"]*)"/g)].map((m) => m[1]!);
}

/** Rasterises the rendered QR SVG's path and decodes it with a real QR reader. */
function decodeQr(html: string): string | null {
  const svg = /<svg[^>]*data-testid="app2app-qr"[^>]*>[\s\S]*?<\/svg>/.exec(html)?.[0];
  if (!svg) return null;
  const size = Number(/viewBox="0 0 (\d+) \d+"/.exec(svg)![1]);
  const path = /<path d="([^"]+)" fill="#000000"/.exec(svg)![1]!;
  const scale = 4;
  const width = size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let py = Number(y) * scale; py < (Number(y) + 1) * scale; py++) {
      for (let px = Number(x) * scale; px < (Number(x) + Number(w)) * scale; px++) {
        const at = (py * width + px) * 4;
        pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
      }
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

describe("App2AppHandoff", () => {
  it("shows each field with a copy button, the QR code with its accessible name, and the payload to copy", () => {
    const html = render(props);
    expect(testIdText(html, "app2app-integrator-id")).toBe("integrator-42");
    expect(testIdText(html, "app2app-pay-connect-id")).toBe("pc_7f3a9c");
    expect(testIdText(html, "app2app-package")).toBe("com.lab4pay.pos.staging");
    expect(testIdText(html, "app2app-register-id")).toBe(props.registerId);
    expect(copyLabels(html)).toEqual(["Copy Integrator id", "Copy pay_connect_id", "Copy App package", "Copy Register ID", "Copy QR payload"]);

    const payload = '{"payConnectIntegratorId":"integrator-42","payConnectId":"pc_7f3a9c","package":"com.lab4pay.pos.staging","registerId":"6f1c2b9e-8d4a-4c1e-9b7a-2e5d3f0a1b2c"}';
    expect(testIdText(html, "app2app-payload")).toBe(payload);
    expect(html).toContain('role="img" aria-label="QR code for the App2App hand-off of register Till 1"');
    expect(html).toContain("<title>QR code for the App2App hand-off of register Till 1</title>");
    expect(decodeQr(html)).toBe(payload);
    // The card is a region named by its title, with an id unique to the register.
    expect(html).toContain(`aria-labelledby="app2app-title-${props.registerId}"`);
    expect(html).toContain(`id="app2app-title-${props.registerId}">App2App hand-off</h2>`);
  });

  it("uses the production package for a production route", () => {
    const html = render({ ...props, route: { ...props.route!, environment: "production" } });
    expect(testIdText(html, "app2app-package")).toBe("com.lab4pay.pos");
    expect(JSON.parse(decodeQr(html)!)).toMatchObject({ package: "com.lab4pay.pos" });
  });

  it("names the variables to set when the integrator id is not configured, and draws no QR code", () => {
    for (const [environment, specific] of [
      ["sandbox", "PAY_CONNECT_SANDBOX_INTEGRATOR_ID"],
      ["production", "PAY_CONNECT_PRODUCTION_INTEGRATOR_ID"],
    ] as const) {
      const html = render({ ...props, integratorId: undefined, route: { ...props.route!, environment } });
      expect(html).toContain("Integrator id not configured");
      expect(html).toContain(`Set <code class="font-mono text-xs">${specific}</code>`);
      expect(html).toContain("PAY_CONNECT_INTEGRATOR_ID</code> for both environments");
      expect(html).not.toContain("app2app-qr");
      expect(html).not.toContain("app2app-payload");
      expect(testIdText(html, "app2app-pay-connect-id")).toBe("pc_7f3a9c");
    }
    expect(render({ ...props, integratorId: "  " })).toContain("Integrator id not configured");
  });

  it("says a register that routes nowhere must be routed first", () => {
    const html = render({ ...props, route: null });
    expect(html).toContain("Register Till 1 routes to no terminal yet.");
    expect(html).not.toContain("app2app-qr");
    expect(copyLabels(html)).toEqual(["Copy Register ID"]);
  });

  it("escapes a register name in the QR code's name and the text", () => {
    const html = render({ ...props, registerName: '<b>"Till"</b>' });
    expect(html).not.toContain("<b>");
    expect(html).toContain('aria-label="QR code for the App2App hand-off of register &lt;b&gt;&quot;Till&quot;&lt;/b&gt;"');
  });
});
