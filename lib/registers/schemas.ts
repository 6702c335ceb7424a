/**
 * What a location or register form accepts. Shared by the actions, the CSV import and the
 * operator commands, so that a name valid in one is valid in all.
 */
import { z } from "zod";

const LOCATION_NAME_MAX = 80;
const ADDRESS_MAX = 300;
const REGISTER_NAME_MAX = 80;
const REGISTER_EXTERNAL_REF_MAX = 120;

/** The IANA time zones this server knows (Node's list, plus UTC which it leaves out). */
export function timeZones(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone")];
}

let known: Set<string> | null = null;
function isTimeZone(value: string): boolean {
  known ??= new Set(timeZones());
  return known.has(value);
}

/** Trimmed, inner runs of white space made one space; no control characters. */
const cleanText = (label: string, max: number) =>
  z
    .string({ error: `Enter the ${label}.` })
    .transform((v) => v.trim().replace(/\s+/g, " "))
    .pipe(
      z
        .string()
        .min(1, `Enter the ${label}.`)
        .max(max, `The ${label} is at most ${max} characters.`)
        .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), `The ${label} cannot contain control characters.`),
    );

const locationNameSchema = cleanText("location's name", LOCATION_NAME_MAX);
const registerNameSchema = cleanText("register's name", REGISTER_NAME_MAX);

const addressSchema = z
  .string()
  .optional()
  // A textarea sends its line breaks as CRLF: kept as plain newlines.
  .transform((v) => (v ?? "").replace(/\r\n?/g, "\n").trim())
  .pipe(z.string().max(ADDRESS_MAX, `The address is at most ${ADDRESS_MAX} characters.`));

const timeZoneSchema = z
  .string({ error: "Choose the location's time zone." })
  .trim()
  .min(1, "Choose the location's time zone.")
  .refine(isTimeZone, "Choose a time zone from the list (an IANA name such as Europe/Lisbon).");

const registerExternalRefSchema = z
  .string()
  .optional()
  .transform((v) => {
    const t = (v ?? "").trim();
    return t === "" ? null : t;
  })
  .pipe(
    z
      .string()
      .max(REGISTER_EXTERNAL_REF_MAX, `The external reference is at most ${REGISTER_EXTERNAL_REF_MAX} characters.`)
      .refine((v) => !/[\u0000-\u001f\u007f]/.test(v), "The external reference cannot contain control characters.")
      .nullable(),
  );

export const locationFormSchema = z.object({
  name: locationNameSchema,
  address: addressSchema,
  timeZone: timeZoneSchema,
});
export type LocationForm = z.output<typeof locationFormSchema>;

export const registerFormSchema = z.object({
  name: registerNameSchema,
  externalRef: registerExternalRefSchema,
});
export type RegisterForm = z.output<typeof registerFormSchema>;

export const idSchema = (what: string) =>
  z.coerce.number({ error: `Choose ${what}.` }).int(`Choose ${what}.`).positive(`Choose ${what}.`);
