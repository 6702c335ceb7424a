/** The register CSV tests' helpers (lib/registers/csv-parse.test.ts, csv-plan.test.ts). */
import { parseRegisterCsv, type CsvRegisterRow, type ImportError } from "../registers/csv-parse";

/** The rows of a file that must parse. */
export function rowsOf(text: string): CsvRegisterRow[] {
  const result = parseRegisterCsv(text);
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

/** The errors of a result that must be refused. */
export function errorsOf(result: { ok: true } | { ok: false; errors: ImportError[] }): ImportError[] {
  if (result.ok) throw new Error("expected errors, got ok");
  return result.errors;
}
