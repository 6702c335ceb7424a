/**
 * Register CSV import, reading the file: `decodeRegisterCsv` (the uploaded bytes as text) and
 * `parseRegisterCsv` (the text as rows). Pure: no database, no session. What the rows would
 * create, and whether each is valid, is `planRegisterImport`'s (csv-plan.ts).
 *
 * The file: UTF-8 text (a BOM is fine), at most 1 MiB and 5,000 data rows, commas between fields,
 * fields with a comma, quote or line break in double quotes (RFC 4180), CRLF or LF line ends,
 * blank lines ignored. A header row is required; its names are matched case-insensitively, with
 * spaces, `_` and `-` alike, in any order:
 *
 *   location            required  the location's name, as it is in Pairdesk
 *   register            required  the register's name (also accepted: "register name")
 *   parent register     optional  empty: a physical register; else the physical register of the
 *                                 same location it belongs to (also accepted: "parent register name")
 *   external reference  optional  up to 120 characters, unique among the merchant's registers
 *
 * Any other column is refused by name. A cell that Pairdesk's CSV export guarded against
 * spreadsheet formulas (`'=…`, `'+…`, `'-…`, `'@…`) is read without the apostrophe, so an export
 * imports back unchanged.
 */
import { parse, CsvError } from "csv-parse/sync";

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;

export type ImportColumn = "location" | "register" | "parent register" | "external reference";
export const IMPORT_COLUMNS: readonly ImportColumn[] = ["location", "register", "parent register", "external reference"];
const REQUIRED_COLUMNS: readonly ImportColumn[] = ["location", "register"];
const COLUMN_ALIASES: Record<string, ImportColumn> = {
  location: "location",
  "location name": "location",
  register: "register",
  "register name": "register",
  "parent register": "parent register",
  "parent register name": "parent register",
  "external reference": "external reference",
};

export type CsvRegisterRow = {
  /** The 1-based line of the file where the row starts. */
  line: number;
  location: string;
  register: string;
  /** null: a physical register. */
  parent: string | null;
  externalRef: string | null;
};

export type ImportError = {
  /** The 1-based line of the file; null for the file as a whole. */
  line: number | null;
  /** One of IMPORT_COLUMNS (or the file's own header for an unknown column); null for a whole row or file. */
  column: string | null;
  message: string;
};

export type ParseResult = { ok: true; rows: CsvRegisterRow[] } | { ok: false; errors: ImportError[] };

const fileError = (message: string): { ok: false; errors: ImportError[] } => ({
  ok: false,
  errors: [{ line: null, column: null, message }],
});

const formatCount = (n: number) => n.toLocaleString("en-US");

function mebibytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

const SIZE_MESSAGE = (bytes: number) =>
  `The file is ${mebibytes(bytes)}; an import takes at most 1 MiB (about ${formatCount(MAX_IMPORT_ROWS)} registers). Split it into smaller files.`;
const NOT_UTF8_MESSAGE =
  "The file is not UTF-8 text. Save it as CSV in UTF-8 (in Excel: “CSV UTF-8 (comma delimited)”) and try again.";
const NOT_TEXT_MESSAGE = "The file is not a CSV text file (it contains binary data). Choose the CSV file of registers.";

/**
 * Decodes an uploaded file: refuses one over 1 MiB or not valid UTF-8 (rather than guessing a
 * legacy encoding, which would turn “Café” into “CafÃ©” without a word).
 */
export function decodeRegisterCsv(bytes: Uint8Array): { ok: true; text: string } | { ok: false; errors: ImportError[] } {
  if (bytes.byteLength > MAX_IMPORT_BYTES) return fileError(SIZE_MESSAGE(bytes.byteLength));
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return fileError(NOT_UTF8_MESSAGE);
  }
  return { ok: true, text };
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).byteLength;
}

/** The header cell as a column key: trimmed, lower case, runs of spaces, `_` and `-` as one space. */
function columnKey(header: string): string {
  return header.trim().toLowerCase().replace(/[\s_-]+/g, " ");
}

/** Our CSV export writes `'` before a cell that a spreadsheet would run as a formula: undo it. */
function unguard(value: string): string {
  return /^'[=+\-@]/.test(value) ? value.slice(1) : value;
}

const isBlank = (record: readonly string[]) => record.every((f) => f.trim() === "");

function csvSyntaxMessage(error: CsvError, recordStart: number): { line: number | null; message: string } {
  const line = typeof error.lines === "number" ? error.lines : recordStart;
  switch (error.code) {
    case "CSV_QUOTE_NOT_CLOSED":
      return {
        line: recordStart,
        message:
          "A double quote opened a field and was never closed, so the rest of the file reads as one field. Close the quote (a quote inside a field is written twice: \"\").",
      };
    case "CSV_INVALID_CLOSING_QUOTE":
    case "CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE":
      return {
        line,
        message:
          "A quoted field is followed by other characters before the next comma. Put the whole field in quotes, and write a quote inside it twice (\"\").",
      };
    case "INVALID_OPENING_QUOTE":
      return {
        line,
        message: "A field has a double quote in the middle of unquoted text. Put the whole field in quotes and write the quote twice (\"\").",
      };
    default:
      return { line, message: "The file is not valid CSV at this line." };
  }
}

type Refused = { ok: false; errors: ImportError[] };

/** A CSV record of the file and the 1-based line it starts on. */
type FileRecord = { line: number; record: string[] };

/** The text is UTF-8 (no replacement character), not binary, and at most 1 MiB. */
function unreadableText(text: string): Refused | null {
  if (text.includes("\uFFFD")) return fileError(NOT_UTF8_MESSAGE);
  if (text.includes("\u0000")) return fileError(NOT_TEXT_MESSAGE);
  const bytes = utf8Length(text);
  if (bytes > MAX_IMPORT_BYTES) return fileError(SIZE_MESSAGE(bytes));
  return null;
}

/** The text as CSV records (blank ones included), each with its line; refused where it is not CSV. */
function readRecords(text: string): { ok: true; records: FileRecord[] } | Refused {
  // One line end everywhere (CRLF, LF or a lone CR), so that line numbers are exact.
  const normalised = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");

  const ends: number[] = [];
  let records: string[][];
  try {
    records = parse(normalised, {
      delimiter: ",",
      record_delimiter: "\n",
      relax_column_count: true,
      skip_empty_lines: false,
      on_record: (record: string[], context) => {
        ends.push(context.lines);
        return record;
      },
    });
  } catch (error) {
    if (error instanceof CsvError) {
      // The failing record starts on the line after the last one read.
      const { line, message } = csvSyntaxMessage(error, (ends.at(-1) ?? 0) + 1);
      return { ok: false, errors: [{ line, column: null, message }] };
    }
    throw error;
  }

  // The line a record starts on: the line after the previous record ended (blank lines are records too).
  const startLine = (i: number) => (i === 0 ? 1 : ends[i - 1]! + 1);
  return { ok: true, records: records.map((record, i) => ({ line: startLine(i), record })) };
}

/**
 * Where each column is in the header. Refuses unknown columns (saying so when the file is
 * separated by semicolons or tabs), a column named twice, and a missing required column.
 */
function readHeader(header: string[], headerLine: number): { ok: true; columnAt: Map<ImportColumn, number> } | Refused {
  const errors: ImportError[] = [];

  const columnAt = new Map<ImportColumn, number>();
  const unknown: string[] = [];
  header.forEach((cell, index) => {
    const key = columnKey(cell);
    if (key === "") {
      // A trailing empty header cell (a spreadsheet's stray comma) with nothing below it is harmless:
      // checked per row below.
      return;
    }
    const column = COLUMN_ALIASES[key];
    if (!column) {
      unknown.push(cell.trim());
      return;
    }
    if (columnAt.has(column)) {
      errors.push({
        line: headerLine,
        column,
        message: `The column “${column}” appears twice in the header (columns ${columnAt.get(column)! + 1} and ${index + 1}). Keep one.`,
      });
      return;
    }
    columnAt.set(column, index);
  });

  if (unknown.length > 0) {
    const list = unknown.map((u) => `“${u}”`).join(", ");
    const semicolons = header.length === 1 && /[;\t]/.test(header[0]!);
    errors.push({
      line: headerLine,
      column: unknown.length === 1 ? unknown[0]! : null,
      message: semicolons
        ? `The header reads as one column ${list}: the file seems to separate fields with semicolons or tabs. Save it with commas (CSV) and try again.`
        : `Unknown ${unknown.length === 1 ? "column" : "columns"} ${list}. An import has only the columns ${IMPORT_COLUMNS.join(", ")}: remove ${unknown.length === 1 ? "it" : "them"} and try again.`,
    });
  }
  const missing = REQUIRED_COLUMNS.filter((c) => !columnAt.has(c));
  if (missing.length > 0 && !(unknown.length > 0 && header.length === 1 && /[;\t]/.test(header[0]!))) {
    errors.push({
      line: headerLine,
      column: null,
      message: `The header has no ${missing.map((m) => `“${m}”`).join(" and ")} column. The first row must name the columns: ${IMPORT_COLUMNS.join(", ")} (the last two optional).`,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, columnAt };
}

/** The records under the header that are not blank: at least one register, at most 5,000. */
function registerRecords(below: readonly FileRecord[]): { ok: true; data: FileRecord[] } | Refused {
  const data = below.filter(({ record }) => !isBlank(record));
  if (data.length === 0) {
    return fileError("The file has a header but no registers: add one row per register under the header.");
  }
  if (data.length > MAX_IMPORT_ROWS) {
    return fileError(
      `The file has ${formatCount(data.length)} registers; an import takes at most ${formatCount(MAX_IMPORT_ROWS)}. Split it into smaller files.`,
    );
  }
  return { ok: true, data };
}

/**
 * Each record as a row: its cells by column, trimmed and read without a formula guard, an empty
 * parent or external reference null. Refuses a record with a value past the named columns.
 */
function recordsAsRows(data: readonly FileRecord[], header: string[], columnAt: Map<ImportColumn, number>): ParseResult {
  const errors: ImportError[] = [];
  const rows: CsvRegisterRow[] = [];
  for (const { line, record } of data) {
    // Fields beyond the named columns: allowed only when empty (spreadsheets pad rows with commas).
    const extra = record.findIndex((f, index) => f.trim() !== "" && (index >= header.length || columnKey(header[index]!) === ""));
    if (extra >= 0) {
      errors.push({
        line,
        column: null,
        message: `This row has a value in field ${extra + 1}, but the header names ${columnAt.size} columns. A name with a comma must be in double quotes.`,
      });
      continue;
    }
    const cell = (column: ImportColumn): string => {
      const index = columnAt.get(column);
      return index === undefined ? "" : unguard((record[index] ?? "").trim());
    };
    const parent = cell("parent register");
    const externalRef = cell("external reference");
    rows.push({
      line,
      location: cell("location"),
      register: cell("register"),
      parent: parent === "" ? null : parent,
      externalRef: externalRef === "" ? null : externalRef,
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, rows };
}

/**
 * Reads the file into rows. Refuses, with every problem found, a file that is not UTF-8 text,
 * too big, not CSV, without the required columns, with unknown columns, or with a row of more
 * fields than the header. Values are trimmed; an empty parent or external reference is null.
 * Whether the values are valid (present, short enough, known) is `planRegisterImport`'s job, so
 * that a file's row errors are all reported at once.
 */
export function parseRegisterCsv(text: string): ParseResult {
  const unreadable = unreadableText(text);
  if (unreadable) return unreadable;
  const read = readRecords(text);
  if (!read.ok) return read;

  const headerIndex = read.records.findIndex((r) => !isBlank(r.record));
  if (headerIndex < 0) {
    return fileError(
      `The file is empty. It needs a header row (${IMPORT_COLUMNS.join(", ")}) and one row per register.`,
    );
  }
  const { record: header, line: headerLine } = read.records[headerIndex]!;
  const columns = readHeader(header, headerLine);
  if (!columns.ok) return columns;
  const registers = registerRecords(read.records.slice(headerIndex + 1));
  if (!registers.ok) return registers;
  return recordsAsRows(registers.data, header, columns.columnAt);
}
