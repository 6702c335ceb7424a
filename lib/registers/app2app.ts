/**
 * The App2App hand-off of a routed register: what an Android POS needs to send this register's
 * payments through the Pay-Connect app on its terminal (reference: pay-connect-api.md, "App2App").
 *
 * The POS starts the Pay-Connect app (`package`) with an intent whose extras include
 * `payConnectIntegratorId` and `payConnectId` (the pairing of the terminal the register routes
 * to); it sends the register ID (our UUID) with its own requests. Nothing else is needed, and no
 * secret is in it: `client_secret`, `webhook_secret_key`, tokens and OTPs stay on the server.
 *
 * The QR code's payload is one line of JSON, with the keys in this order:
 *
 *   {"payConnectIntegratorId":"…","payConnectId":"…","package":"com.lab4pay.pos.staging","registerId":"…"}
 *
 * `payConnectIntegratorId` and `payConnectId` are named as the App2App request extras are;
 * `package` is the Android application id to start (`com.lab4pay.pos` for production,
 * `com.lab4pay.pos.staging` for sandbox); `registerId` is the register's UUID. A POS that scans
 * it reads it as JSON and ignores keys it does not know (so keys may be added, never renamed).
 */
import QRCode from "qrcode";
import { z } from "zod";
import type { Environment } from "@/lib/domain";

export const APP2APP_PACKAGES = {
  production: "com.lab4pay.pos",
  sandbox: "com.lab4pay.pos.staging",
} as const satisfies Record<Environment, string>;

/** The settings that give an environment's integrator id, most specific first (see lib/env.ts). */
export const INTEGRATOR_ID_VARIABLES = {
  production: ["PAY_CONNECT_PRODUCTION_INTEGRATOR_ID", "PAY_CONNECT_INTEGRATOR_ID"],
  sandbox: ["PAY_CONNECT_SANDBOX_INTEGRATOR_ID", "PAY_CONNECT_INTEGRATOR_ID"],
} as const satisfies Record<Environment, readonly [string, string]>;

/** Everything the hand-off is made of, and nothing else: the type is closed (see `app2appHandoff`). */
export type App2AppInput = {
  integratorId: string;
  payConnectId: string;
  environment: Environment;
  registerId: string;
};

type App2AppPayload = {
  payConnectIntegratorId: string;
  payConnectId: string;
  package: (typeof APP2APP_PACKAGES)[Environment];
  registerId: string;
};

export type App2AppHandoff = {
  integratorId: string;
  payConnectId: string;
  environment: Environment;
  package: (typeof APP2APP_PACKAGES)[Environment];
  registerId: string;
  payload: App2AppPayload;
  /** The QR code's text: `JSON.stringify(payload)`. */
  payloadText: string;
};

/** Field names that would mean a credential is on its way into a QR code. */
const SECRET_NAME = /secret|password|passwd|otp|token|credential|client_?id|api_?key|private|bearer|vault/i;

const identifier = (what: string) =>
  z
    .string({ error: `${what} must be text.` })
    .trim()
    .min(1, `${what} is empty.`)
    .max(200, `${what} is longer than 200 characters.`)
    .regex(/^[\x21-\x7e]+$/, `${what} has spaces or characters that are not printable ASCII.`);

const inputSchema = z.strictObject({
  integratorId: identifier("The integrator id"),
  payConnectId: identifier("The pay_connect_id"),
  environment: z.enum(["production", "sandbox"], { error: "The environment must be production or sandbox." }),
  registerId: z.uuid("The register ID must be a UUID."),
});

/** Extra keys are a type error, even on a variable of a wider type (TypeScript's excess-property check covers only literals). */
type Closed<T> = T & Record<Exclude<keyof T, keyof App2AppInput>, never>;

/**
 * The hand-off's fields and QR payload. Throws on an input with any other field (and says so
 * plainly when its name looks like a secret's), or an invalid value: callers pass the four
 * values, never a pairing row.
 */
export function app2appHandoff<T extends App2AppInput>(input: Closed<T>): App2AppHandoff {
  if (typeof input !== "object" || input === null) throw new TypeError("app2appHandoff needs an object.");
  for (const key of Object.keys(input)) {
    if (key in inputSchema.shape) continue;
    if (SECRET_NAME.test(key)) {
      throw new TypeError(`app2appHandoff refuses the field “${key}”: the App2App hand-off never carries a secret.`);
    }
    throw new TypeError(`app2appHandoff refuses the unknown field “${key}”: it takes integratorId, payConnectId, environment and registerId only.`);
  }
  const parsed = inputSchema.safeParse(input);
  if (!parsed.success) throw new TypeError(`app2appHandoff: ${parsed.error.issues.map((i) => i.message).join(" ")}`);
  const { integratorId, payConnectId, environment, registerId } = parsed.data;
  const appPackage = APP2APP_PACKAGES[environment];
  const payload: App2AppPayload = { payConnectIntegratorId: integratorId, payConnectId, package: appPackage, registerId };
  return {
    integratorId,
    payConnectId,
    environment,
    package: appPackage,
    registerId,
    payload,
    payloadText: JSON.stringify(payload),
  };
}

/**
 * A QR code of `text` as one SVG path (dark modules, in module units) and its size including a
 * 4-module quiet zone, drawn synchronously so that a server component (or a static render) can
 * inline it. Error correction M (15 %): a screen or a print both scan well.
 */
export function qrCodeSvg(text: string): { size: number; path: string } {
  const { modules } = QRCode.create(text, { errorCorrectionLevel: "M" });
  const quiet = 4;
  const n = modules.size;
  let path = "";
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!modules.data[row * n + col]) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && modules.data[row * n + col]) col++;
      path += `M${start + quiet} ${row + quiet}h${col - start}v1h-${col - start}z`;
    }
  }
  return { size: n + 2 * quiet, path };
}
