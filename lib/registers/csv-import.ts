/**
 * Register CSV import: reading the file (`parseRegisterCsv`) and planning what it would create
 * (`planRegisterImport`). Both are pure: no database, no session. The caller (a server action)
 * checks the session and the role, loads the merchant's non-archived locations and registers,
 * shows the plan as a dry run, and later writes `plan.create` in one transaction — nothing when
 * any row is invalid.
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
 *
 * Import only creates: a row naming a register that exists already is `unchanged` when it says
 * the same thing (so importing a file twice creates nothing new), and refused when it says
 * something else (another kind, parent or external reference). An empty external reference
 * says nothing about it (it never removes one).
 */
import { parse, CsvError } from "csv-parse/sync";

export const MAX_IMPORT_BYTES = 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
const MAX_NAME_LENGTH = 80;
const MAX_EXTERNAL_REF_LENGTH = 120;

type ImportColumn = "location" | "register" | "parent register" | "external reference";
const IMPORT_COLUMNS: readonly ImportColumn[] = ["location", "register", "parent register", "external reference"];
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

/**
 * Reads the file into rows. Refuses, with every problem found, a file that is not UTF-8 text,
 * too big, not CSV, without the required columns, with unknown columns, or with a row of more
 * fields than the header. Values are trimmed; an empty parent or external reference is null.
 * Whether the values are valid (present, short enough, known) is `planRegisterImport`'s job, so
 * that a file's row errors are all reported at once.
 */
export function parseRegisterCsv(text: string): ParseResult {
  if (text.includes("\uFFFD")) return fileError(NOT_UTF8_MESSAGE);
  if (text.includes("\u0000")) return fileError(NOT_TEXT_MESSAGE);
  const bytes = utf8Length(text);
  if (bytes > MAX_IMPORT_BYTES) return fileError(SIZE_MESSAGE(bytes));

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

  const headerIndex = records.findIndex((r) => !isBlank(r));
  if (headerIndex < 0) {
    return fileError(
      `The file is empty. It needs a header row (${IMPORT_COLUMNS.join(", ")}) and one row per register.`,
    );
  }
  const header = records[headerIndex]!;
  const headerLine = startLine(headerIndex);
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

  const data: { line: number; record: string[] }[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i]!;
    if (isBlank(record)) continue;
    data.push({ line: startLine(i), record });
  }
  if (data.length === 0) {
    return fileError("The file has a header but no registers: add one row per register under the header.");
  }
  if (data.length > MAX_IMPORT_ROWS) {
    return fileError(
      `The file has ${formatCount(data.length)} registers; an import takes at most ${formatCount(MAX_IMPORT_ROWS)}. Split it into smaller files.`,
    );
  }

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

// ---------------------------------------------------------------------------------------------
// Planning

type RegisterKind = "physical" | "virtual";

export type ExistingRegisters = {
  locations: { id: number; name: string }[];
  registers: {
    id: number;
    locationId: number;
    name: string;
    kind: RegisterKind;
    parentId: number | null;
    externalRef: string | null;
  }[];
};

type PlannedRegister = {
  line: number;
  locationId: number;
  name: string;
  kind: RegisterKind;
  /** The parent's name as Pairdesk knows it (an existing register's, or the file's for one created with it). */
  parentName: string | null;
  externalRef: string | null;
};

export type ImportPlan = {
  /** Physical registers first (in the file's order), then virtual ones: a parent is created before its children. */
  create: PlannedRegister[];
  unchanged: { line: number; registerId: number; name: string }[];
};

export type PlanResult = { ok: true; plan: ImportPlan } | { ok: false; errors: ImportError[] };

/** Names compare case-insensitively after trimming (and Unicode normalisation, so “Café” is one name however typed). */
export function nameKey(name: string): string {
  return name.trim().normalize("NFC").toLowerCase();
}

const CONTROL = /[\u0000-\u001f\u007f]/;

const COLUMN_LABEL: Record<ImportColumn, string> = {
  location: "Location",
  register: "Register name",
  "parent register": "Parent register",
  "external reference": "External reference",
};

function checkText(value: string, column: ImportColumn, max: number, line: number): ImportError | null {
  if (CONTROL.test(value)) {
    return { line, column, message: `${COLUMN_LABEL[column]} “${value.replace(/[\u0000-\u001f\u007f]+/g, " ")}” has a line break or control character: a name is one line of text.` };
  }
  const length = [...value].length;
  if (length > max) {
    return { line, column, message: `${COLUMN_LABEL[column]} is ${length} characters long; at most ${max}.` };
  }
  return null;
}

const describeParent = (name: string | null) => (name === null ? "none (physical)" : `“${name}”`);
const describeRef = (ref: string | null) => (ref === null ? "none" : `“${ref}”`);

/**
 * Checks every row against the merchant's locations and registers and against the other rows,
 * and says what the import would create. Every problem of every row is reported; the plan is
 * given only when there is none (nothing is imported if any row is invalid).
 */
export function planRegisterImport(rows: readonly CsvRegisterRow[], existing: ExistingRegisters): PlanResult {
  const errors: ImportError[] = [];
  const add = (line: number, column: ImportColumn | null, message: string) => errors.push({ line, column, message });

  const locationByKey = new Map<string, { id: number; name: string }>();
  for (const l of existing.locations) locationByKey.set(nameKey(l.name), l);
  const locationName = new Map(existing.locations.map((l) => [l.id, l.name]));
  const registerById = new Map(existing.registers.map((r) => [r.id, r]));
  const existingByKey = new Map<string, ExistingRegisters["registers"][number]>();
  for (const r of existing.registers) existingByKey.set(`${r.locationId}\u0000${nameKey(r.name)}`, r);
  const existingByRef = new Map<string, ExistingRegisters["registers"][number]>();
  for (const r of existing.registers) if (r.externalRef !== null) existingByRef.set(r.externalRef.trim(), r);

  // The file's rows, by location (its id when known, else its name as typed) and register name.
  type Row = CsvRegisterRow & { location: string; register: string; locationId: number | null; key: string };
  const prepared: Row[] = rows.map((row) => {
    const location = row.location.trim();
    const register = row.register.trim();
    const locationId = location === "" ? null : (locationByKey.get(nameKey(location))?.id ?? null);
    return {
      ...row,
      location,
      register,
      parent: row.parent === null || row.parent.trim() === "" ? null : row.parent.trim(),
      externalRef: row.externalRef === null || row.externalRef.trim() === "" ? null : row.externalRef.trim(),
      locationId,
      key: `${locationId ?? `?${nameKey(location)}`}\u0000${nameKey(register)}`,
    };
  });
  const firstRowByKey = new Map<string, Row>();
  for (const row of prepared) if (row.register !== "" && !firstRowByKey.has(row.key)) firstRowByKey.set(row.key, row);
  const firstRowByRef = new Map<string, Row>();
  for (const row of prepared) if (row.externalRef !== null && !firstRowByRef.has(row.externalRef)) firstRowByRef.set(row.externalRef, row);

  const create: PlannedRegister[] = [];
  const unchanged: ImportPlan["unchanged"] = [];

  for (const row of prepared) {
    const { line } = row;
    const before = errors.length;

    if (row.location === "") add(line, "location", "Location is missing: every row names the location of its register.");
    if (row.register === "") add(line, "register", "Register name is missing.");
    const textErrors = [
      row.location === "" ? null : checkText(row.location, "location", MAX_NAME_LENGTH, line),
      row.register === "" ? null : checkText(row.register, "register", MAX_NAME_LENGTH, line),
      row.parent === null ? null : checkText(row.parent, "parent register", MAX_NAME_LENGTH, line),
      row.externalRef === null ? null : checkText(row.externalRef, "external reference", MAX_EXTERNAL_REF_LENGTH, line),
    ].filter((e): e is ImportError => e !== null);
    errors.push(...textErrors);

    if (row.location !== "" && row.locationId === null) {
      add(line, "location", `Unknown location “${row.location}”: create it first, or check the spelling.`);
    }

    if (row.register !== "") {
      const first = firstRowByKey.get(row.key)!;
      if (first !== row) {
        add(
          line,
          "register",
          `Register “${row.register}” of “${row.location}” is in the file twice, on lines ${first.line} and ${line}. Keep one row per register.`,
        );
      }
    }

    const self = row.register === "" ? null : nameKey(row.register);
    if (row.parent !== null && self !== null && nameKey(row.parent) === self) {
      add(line, "parent register", `Register “${row.register}” cannot be its own parent register.`);
    } else if (row.parent !== null && row.locationId !== null) {
      const parentKey = `${row.locationId}\u0000${nameKey(row.parent)}`;
      const existingParent = existingByKey.get(parentKey);
      const fileParent = firstRowByKey.get(parentKey);
      const parentIsVirtual = existingParent ? existingParent.kind === "virtual" : fileParent ? fileParent.parent !== null : null;
      if (parentIsVirtual === null) {
        add(
          line,
          "parent register",
          `Parent register “${row.parent}” is not a register of “${row.location}”: it is neither an existing register there nor a physical register in this file.`,
        );
      } else if (parentIsVirtual) {
        add(
          line,
          "parent register",
          `Parent register “${row.parent}” is a virtual register: a virtual register cannot have virtual registers. Name a physical register.`,
        );
      }
    }

    if (row.externalRef !== null) {
      const owner = existingByRef.get(row.externalRef);
      const sameRegister = owner && row.locationId === owner.locationId && self !== null && nameKey(owner.name) === self;
      if (owner && !sameRegister) {
        add(
          line,
          "external reference",
          `External reference “${row.externalRef}” is already used by register “${owner.name}” of “${locationName.get(owner.locationId) ?? "another location"}”.`,
        );
      }
      const firstWithRef = firstRowByRef.get(row.externalRef)!;
      if (firstWithRef !== row && firstWithRef.key !== row.key) {
        add(
          line,
          "external reference",
          `External reference “${row.externalRef}” is also given on line ${firstWithRef.line}: each register has its own.`,
        );
      }
    }

    const match = row.locationId !== null && self !== null ? existingByKey.get(`${row.locationId}\u0000${self}`) : undefined;
    if (match) {
      const differences: string[] = [];
      const kind: RegisterKind = row.parent === null ? "physical" : "virtual";
      const existingParent = match.parentId === null ? null : (registerById.get(match.parentId)?.name ?? null);
      if (match.kind !== kind) differences.push(`it is ${match.kind}, the file makes it ${kind}`);
      else if (kind === "virtual" && nameKey(existingParent ?? "") !== nameKey(row.parent ?? "")) {
        differences.push(`its parent register is ${describeParent(existingParent)}, the file says ${describeParent(row.parent)}`);
      }
      if (row.externalRef !== null && row.externalRef !== (match.externalRef?.trim() ?? null)) {
        differences.push(`its external reference is ${describeRef(match.externalRef)}, the file says ${describeRef(row.externalRef)}`);
      }
      if (differences.length > 0) {
        add(
          line,
          "register",
          `Register “${match.name}” of “${locationName.get(match.locationId) ?? row.location}” exists already and the file would change it: ${differences.join("; ")}. An import only creates registers: change it on its page, or make this row match it.`,
        );
      }
    }

    if (errors.length > before) continue;
    if (match) {
      unchanged.push({ line, registerId: match.id, name: match.name });
      continue;
    }
    let parentName: string | null = null;
    if (row.parent !== null) {
      const parentKey = `${row.locationId}\u0000${nameKey(row.parent)}`;
      parentName = existingByKey.get(parentKey)?.name ?? firstRowByKey.get(parentKey)?.register ?? row.parent;
    }
    create.push({
      line,
      locationId: row.locationId!,
      name: row.register,
      kind: row.parent === null ? "physical" : "virtual",
      parentName,
      externalRef: row.externalRef,
    });
  }

  if (errors.length > 0) {
    const order = (c: string | null) => (c === null ? -1 : IMPORT_COLUMNS.indexOf(c as ImportColumn));
    errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || order(a.column) - order(b.column));
    return { ok: false, errors };
  }
  // Parents before children: physical registers first, each group in the file's order.
  create.sort((a, b) => (a.kind === b.kind ? a.line - b.line : a.kind === "physical" ? -1 : 1));
  return { ok: true, plan: { create, unchanged } };
}
