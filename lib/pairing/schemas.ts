/** What the pairing form accepts. Shared by the server action and its tests. */
import { z } from "zod";
import { ENVIRONMENTS } from "../db/schema";
import { normalizeOtp } from "./otp";

export { OTP_FIELD_HINT_AFTER_REJECTION } from "./otp";

const LOCAL_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);

const OTP_PATTERN = /^[A-Za-z0-9-]{4,32}$/;

const webhookUrlSchema = z
  .string()
  .trim()
  .max(2000, "Webhook URL must be at most 2000 characters.")
  .transform((v, ctx) => {
    if (v === "") return null;
    let url: URL;
    try {
      url = new URL(v);
    } catch {
      ctx.addIssue({ code: "custom", message: "Enter a full URL, like https://pairdesk.example.com/api/webhooks/…" });
      return z.NEVER;
    }
    if (url.username || url.password) {
      ctx.addIssue({ code: "custom", message: "The webhook URL must not contain a user name or password." });
      return z.NEVER;
    }
    if (url.protocol === "https:" || (url.protocol === "http:" && LOCAL_HOSTS.has(url.hostname))) {
      return url.toString();
    }
    ctx.addIssue({
      code: "custom",
      message: "The webhook URL must use https (http is allowed only for localhost).",
    });
    return z.NEVER;
  });

const optionalId = (message: string) =>
  z.preprocess(
    (v) => (v === "" || v === undefined || v === null ? undefined : v),
    z.coerce.number({ error: message }).int(message).positive(message).optional(),
  );

/** A pairing's name, as typed when pairing or renaming. */
export const pairingNameSchema = z
  .string({ error: "Enter a name." })
  .trim()
  .min(1, "Enter a name for this pairing.")
  .max(100, "Name must be at most 100 characters.")
  // Control characters and text-direction marks (which turn the words after a name around in
  // the audit log) have no place in a name a person reads.
  .refine((v) => !/[\p{Cc}\u200E\u200F\u202A-\u202E\u2066-\u2069]/u.test(v), "A name cannot contain control characters or text-direction marks.");

export const pairFormSchema = z.object({
  requestKey: z.uuid("This form has expired: reload the page."),
  name: pairingNameSchema,
  otp: z
    .string({ error: "Enter the OTP." })
    .transform(normalizeOtp)
    .pipe(
      z
        .string()
        .min(1, { error: "Enter the OTP shown on the terminal.", abort: true })
        .regex(OTP_PATTERN, "The OTP is 4 to 32 letters, digits or dashes, exactly as the terminal shows it."),
    ),
  environment: z.enum(ENVIRONMENTS, { error: "Choose production or sandbox." }),
  webhookUrl: webhookUrlSchema,
  /** Staff choose it; a merchant's people pair into their own (the field is ignored). */
  merchantId: optionalId("Choose a merchant."),
  /** Pairing from a register's page: the register routes to the terminal paired (its merchant is the pairing's). */
  registerId: optionalId("Unknown register: reload the page."),
  /** "Pair again" of this terminal (its merchant and environment are the pairing's). */
  terminalRef: optionalId("Unknown terminal: reload the page."),
});
