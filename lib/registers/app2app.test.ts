import jsQR from "jsqr";
import { describe, expect, it } from "vitest";
import { APP2APP_PACKAGES, app2appHandoff, qrCodeSvg, type App2AppInput } from "./app2app";

const input: App2AppInput = {
  integratorId: "integrator-42",
  payConnectId: "pc_7f3a9c",
  environment: "sandbox",
  registerId: "6f1c2b9e-8d4a-4c1e-9b7a-2e5d3f0a1b2c",
};

/** Draws the SVG path (only M, h, v and z, as qrCodeSvg writes them) into RGBA pixels and reads it with a real QR decoder. */
function decode(svg: { size: number; path: string }, scale = 4): string | null {
  const width = svg.size * scale;
  const pixels = new Uint8ClampedArray(width * width * 4).fill(255);
  const dark = new Set<string>();
  for (const [, x, y, w] of svg.path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(w); i++) dark.add(`${Number(x) + i},${y}`);
  }
  for (let py = 0; py < width; py++) {
    for (let px = 0; px < width; px++) {
      if (!dark.has(`${Math.floor(px / scale)},${Math.floor(py / scale)}`)) continue;
      const at = (py * width + px) * 4;
      pixels[at] = pixels[at + 1] = pixels[at + 2] = 0;
    }
  }
  return jsQR(pixels, width, width)?.data ?? null;
}

describe("app2appHandoff", () => {
  it("gives the integrator id, pay_connect_id, the environment's app package and the register ID", () => {
    const handoff = app2appHandoff(input);
    expect(handoff).toMatchObject({
      integratorId: "integrator-42",
      payConnectId: "pc_7f3a9c",
      environment: "sandbox",
      package: "com.lab4pay.pos.staging",
      registerId: input.registerId,
    });
    expect(app2appHandoff({ ...input, environment: "production" }).package).toBe("com.lab4pay.pos");
    expect(APP2APP_PACKAGES).toEqual({ production: "com.lab4pay.pos", sandbox: "com.lab4pay.pos.staging" });
  });

  it("writes the QR payload as one line of JSON named like the App2App extras, keys in a fixed order", () => {
    const handoff = app2appHandoff(input);
    expect(handoff.payloadText).toBe(
      '{"payConnectIntegratorId":"integrator-42","payConnectId":"pc_7f3a9c","package":"com.lab4pay.pos.staging","registerId":"6f1c2b9e-8d4a-4c1e-9b7a-2e5d3f0a1b2c"}',
    );
    expect(JSON.parse(handoff.payloadText)).toEqual(handoff.payload);
  });

  it("refuses a field that looks like a secret, naming the field and never its value", () => {
    const leaky = { ...input, client_secret: "s3cr3t-value", webhook_secret_key: "whk-value" };
    // @ts-expect-error the input type is closed: extra fields do not compile, even from a variable.
    expect(() => app2appHandoff(leaky)).toThrow("app2appHandoff refuses the field “client_secret”: the App2App hand-off never carries a secret.");
    try {
      // @ts-expect-error as above
      app2appHandoff(leaky);
    } catch (error) {
      expect(String(error)).not.toContain("s3cr3t-value");
    }
    for (const key of ["otp", "accessToken", "clientId", "password", "webhookSecretKey"]) {
      const extra = { ...input, [key]: "x" } as unknown as App2AppInput;
      expect(() => app2appHandoff(extra)).toThrow(`refuses the field “${key}”`);
    }
  });

  it("refuses any other field, and invalid values", () => {
    // @ts-expect-error as above
    expect(() => app2appHandoff({ ...input, terminalId: "T-1" })).toThrow("refuses the unknown field “terminalId”");
    expect(() => app2appHandoff({ ...input, integratorId: "  " })).toThrow("The integrator id is empty.");
    expect(() => app2appHandoff({ ...input, registerId: "till-1" })).toThrow("The register ID must be a UUID.");
    expect(() => app2appHandoff({ ...input, payConnectId: "pc 1" })).toThrow("The pay_connect_id has spaces");
    // @ts-expect-error not an environment
    expect(() => app2appHandoff({ ...input, environment: "staging" })).toThrow("The environment must be production or sandbox.");
  });
});

describe("qrCodeSvg", () => {
  it("draws a QR code that a decoder reads back as the payload", () => {
    const { payloadText } = app2appHandoff(input);
    const svg = qrCodeSvg(payloadText);
    expect(svg.path).toMatch(/^(M\d+ \d+h\d+v1h-\d+z)+$/);
    expect(decode(svg)).toBe(payloadText);
  });

  it("keeps a 4-module quiet zone on every side", () => {
    const svg = qrCodeSvg("hello");
    const coords = [...svg.path.matchAll(/M(\d+) (\d+)h(\d+)/g)].map(([, x, y, w]) => [Number(x), Number(y), Number(w)] as const);
    expect(Math.min(...coords.map(([x]) => x))).toBe(4);
    expect(Math.min(...coords.map(([, y]) => y))).toBe(4);
    expect(Math.max(...coords.map(([x, , w]) => x + w))).toBe(svg.size - 4);
    expect(Math.max(...coords.map(([, y]) => y + 1))).toBe(svg.size - 4);
  });
});
