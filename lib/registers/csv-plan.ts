/**
 * Register CSV import, planning: what the rows `parseRegisterCsv` read (csv-parse.ts) would
 * create (`planRegisterImport`). Pure: no database, no session. The caller (a server action)
 * checks the session and the role, loads the merchant's non-archived locations and registers,
 * shows the plan as a dry run, and later writes `plan.create` in one transaction — nothing when
 * any row is invalid.
 *
 * Import only creates: a row naming a register that exists already is `unchanged` when it says
 * the same thing (so importing a file twice creates nothing new), and refused when it says
 * something else (another kind, parent or external reference). An empty external reference
 * says nothing about it (it never removes one).
 */
import { IMPORT_COLUMNS, type CsvRegisterRow, type ImportColumn, type ImportError } from "./csv-parse";

const MAX_NAME_LENGTH = 80;
const MAX_EXTERNAL_REF_LENGTH = 120;

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
  /** The location's name as Pairdesk knows it (the preview shows where each register goes). */
  locationName: string;
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

type ExistingRegister = ExistingRegisters["registers"][number];

/** The merchant's locations and registers, found by what a row names. */
type Known = {
  locationByKey: Map<string, { id: number; name: string }>;
  locationName: Map<number, string>;
  registerById: Map<number, ExistingRegister>;
  /** By location id and register name key. */
  existingByKey: Map<string, ExistingRegister>;
  /** By trimmed external reference. */
  existingByRef: Map<string, ExistingRegister>;
};

/** A row of the file, trimmed, with its location found (its id when known) and its keys. */
type PreparedRow = CsvRegisterRow & {
  location: string;
  register: string;
  locationId: number | null;
  /** Location (its id when known, else its name as typed) and register name. */
  key: string;
  /** The register's name key; null when the row has no register name. */
  self: string | null;
};

/** The first row of the file for each register (by key) and for each external reference. */
type FileIndex = { firstRowByKey: Map<string, PreparedRow>; firstRowByRef: Map<string, PreparedRow> };

const rowError = (line: number, column: ImportColumn | null, message: string): ImportError => ({ line, column, message });

function indexExisting(existing: ExistingRegisters): Known {
  const locationByKey = new Map<string, { id: number; name: string }>();
  for (const l of existing.locations) locationByKey.set(nameKey(l.name), l);
  const locationName = new Map(existing.locations.map((l) => [l.id, l.name]));
  const registerById = new Map(existing.registers.map((r) => [r.id, r]));
  const existingByKey = new Map<string, ExistingRegister>();
  for (const r of existing.registers) existingByKey.set(`${r.locationId}\u0000${nameKey(r.name)}`, r);
  const existingByRef = new Map<string, ExistingRegister>();
  for (const r of existing.registers) if (r.externalRef !== null) existingByRef.set(r.externalRef.trim(), r);
  return { locationByKey, locationName, registerById, existingByKey, existingByRef };
}

function prepareRow(row: CsvRegisterRow, known: Known): PreparedRow {
  const location = row.location.trim();
  const register = row.register.trim();
  const locationId = location === "" ? null : (known.locationByKey.get(nameKey(location))?.id ?? null);
  return {
    ...row,
    location,
    register,
    parent: row.parent === null || row.parent.trim() === "" ? null : row.parent.trim(),
    externalRef: row.externalRef === null || row.externalRef.trim() === "" ? null : row.externalRef.trim(),
    locationId,
    key: `${locationId ?? `?${nameKey(location)}`}\u0000${nameKey(register)}`,
    self: register === "" ? null : nameKey(register),
  };
}

function indexFile(prepared: readonly PreparedRow[]): FileIndex {
  const firstRowByKey = new Map<string, PreparedRow>();
  for (const row of prepared) if (row.register !== "" && !firstRowByKey.has(row.key)) firstRowByKey.set(row.key, row);
  const firstRowByRef = new Map<string, PreparedRow>();
  for (const row of prepared) if (row.externalRef !== null && !firstRowByRef.has(row.externalRef)) firstRowByRef.set(row.externalRef, row);
  return { firstRowByKey, firstRowByRef };
}

/** A location and a register name are given, and each value is one line of text, short enough. */
function missingOrMalformedValues(row: PreparedRow): ImportError[] {
  const { line } = row;
  const errors: ImportError[] = [];
  if (row.location === "") errors.push(rowError(line, "location", "Location is missing: every row names the location of its register."));
  if (row.register === "") errors.push(rowError(line, "register", "Register name is missing."));
  const textErrors = [
    row.location === "" ? null : checkText(row.location, "location", MAX_NAME_LENGTH, line),
    row.register === "" ? null : checkText(row.register, "register", MAX_NAME_LENGTH, line),
    row.parent === null ? null : checkText(row.parent, "parent register", MAX_NAME_LENGTH, line),
    row.externalRef === null ? null : checkText(row.externalRef, "external reference", MAX_EXTERNAL_REF_LENGTH, line),
  ].filter((e): e is ImportError => e !== null);
  errors.push(...textErrors);
  return errors;
}

/** The location the row names is one of the merchant's. */
function unknownLocation(row: PreparedRow): ImportError[] {
  if (row.location !== "" && row.locationId === null) {
    return [rowError(row.line, "location", `Unknown location “${row.location}”: create it first, or check the spelling.`)];
  }
  return [];
}

/** Only the first row of a register (location and name) counts: a second one is refused. */
function registerTwiceInFile(row: PreparedRow, file: FileIndex): ImportError[] {
  if (row.register === "") return [];
  const first = file.firstRowByKey.get(row.key)!;
  if (first === row) return [];
  return [
    rowError(
      row.line,
      "register",
      `Register “${row.register}” of “${row.location}” is in the file twice, on lines ${first.line} and ${row.line}. Keep one row per register.`,
    ),
  ];
}

/** A parent is another register of the same location, existing or in the file, and physical. */
function unfitParent(row: PreparedRow, known: Known, file: FileIndex): ImportError[] {
  const { line, self } = row;
  if (row.parent !== null && self !== null && nameKey(row.parent) === self) {
    return [rowError(line, "parent register", `Register “${row.register}” cannot be its own parent register.`)];
  } else if (row.parent !== null && row.locationId !== null) {
    const parentKey = `${row.locationId}\u0000${nameKey(row.parent)}`;
    const existingParent = known.existingByKey.get(parentKey);
    const fileParent = file.firstRowByKey.get(parentKey);
    const parentIsVirtual = existingParent ? existingParent.kind === "virtual" : fileParent ? fileParent.parent !== null : null;
    if (parentIsVirtual === null) {
      return [
        rowError(
          line,
          "parent register",
          `Parent register “${row.parent}” is not a register of “${row.location}”: it is neither an existing register there nor a physical register in this file.`,
        ),
      ];
    } else if (parentIsVirtual) {
      return [
        rowError(
          line,
          "parent register",
          `Parent register “${row.parent}” is a virtual register: a virtual register cannot have virtual registers. Name a physical register.`,
        ),
      ];
    }
  }
  return [];
}

/** An external reference belongs to this register only: not to another existing one, nor to another row. */
function externalRefTaken(row: PreparedRow, known: Known, file: FileIndex): ImportError[] {
  const { line, self } = row;
  if (row.externalRef === null) return [];
  const errors: ImportError[] = [];
  const owner = known.existingByRef.get(row.externalRef);
  const sameRegister = owner && row.locationId === owner.locationId && self !== null && nameKey(owner.name) === self;
  if (owner && !sameRegister) {
    errors.push(
      rowError(
        line,
        "external reference",
        `External reference “${row.externalRef}” is already used by register “${owner.name}” of “${known.locationName.get(owner.locationId) ?? "another location"}”.`,
      ),
    );
  }
  const firstWithRef = file.firstRowByRef.get(row.externalRef)!;
  if (firstWithRef !== row && firstWithRef.key !== row.key) {
    errors.push(
      rowError(
        line,
        "external reference",
        `External reference “${row.externalRef}” is also given on line ${firstWithRef.line}: each register has its own.`,
      ),
    );
  }
  return errors;
}

/** The existing register the row names (same location, same name), if any. */
function existingRegisterOf(row: PreparedRow, known: Known): ExistingRegister | undefined {
  return row.locationId !== null && row.self !== null ? known.existingByKey.get(`${row.locationId}\u0000${row.self}`) : undefined;
}

/** A row naming an existing register must say the same of it: an import only creates. */
function changesExisting(row: PreparedRow, match: ExistingRegister | undefined, known: Known): ImportError[] {
  if (!match) return [];
  const differences: string[] = [];
  const kind: RegisterKind = row.parent === null ? "physical" : "virtual";
  const existingParent = match.parentId === null ? null : (known.registerById.get(match.parentId)?.name ?? null);
  if (match.kind !== kind) differences.push(`it is ${match.kind}, the file makes it ${kind}`);
  else if (kind === "virtual" && nameKey(existingParent ?? "") !== nameKey(row.parent ?? "")) {
    differences.push(`its parent register is ${describeParent(existingParent)}, the file says ${describeParent(row.parent)}`);
  }
  if (row.externalRef !== null && row.externalRef !== (match.externalRef?.trim() ?? null)) {
    differences.push(`its external reference is ${describeRef(match.externalRef)}, the file says ${describeRef(row.externalRef)}`);
  }
  if (differences.length === 0) return [];
  return [
    rowError(
      row.line,
      "register",
      `Register “${match.name}” of “${known.locationName.get(match.locationId) ?? row.location}” exists already and the file would change it: ${differences.join("; ")}. An import only creates registers: change it on its page, or make this row match it.`,
    ),
  ];
}

/** What a valid new row creates; its parent named as Pairdesk knows it (existing, else the file's row, else as typed). */
function plannedRegister(row: PreparedRow, known: Known, file: FileIndex): PlannedRegister {
  let parentName: string | null = null;
  if (row.parent !== null) {
    const parentKey = `${row.locationId}\u0000${nameKey(row.parent)}`;
    parentName = known.existingByKey.get(parentKey)?.name ?? file.firstRowByKey.get(parentKey)?.register ?? row.parent;
  }
  return {
    line: row.line,
    locationId: row.locationId!,
    locationName: known.locationName.get(row.locationId!) ?? row.location,
    name: row.register,
    kind: row.parent === null ? "physical" : "virtual",
    parentName,
    externalRef: row.externalRef,
  };
}

/** Errors by line, then in the file's column order (a whole-row error first). */
function inFileOrder(errors: ImportError[]): ImportError[] {
  const order = (c: string | null) => (c === null ? -1 : IMPORT_COLUMNS.indexOf(c as ImportColumn));
  return errors.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || order(a.column) - order(b.column));
}

/** Parents before children: physical registers first, each group in the file's order. */
function parentsFirst(create: PlannedRegister[]): PlannedRegister[] {
  return create.sort((a, b) => (a.kind === b.kind ? a.line - b.line : a.kind === "physical" ? -1 : 1));
}

/**
 * Checks every row against the merchant's locations and registers and against the other rows,
 * and says what the import would create. Every problem of every row is reported; the plan is
 * given only when there is none (nothing is imported if any row is invalid).
 */
export function planRegisterImport(rows: readonly CsvRegisterRow[], existing: ExistingRegisters): PlanResult {
  const known = indexExisting(existing);
  const prepared = rows.map((row) => prepareRow(row, known));
  const file = indexFile(prepared);

  const errors: ImportError[] = [];
  const create: PlannedRegister[] = [];
  const unchanged: ImportPlan["unchanged"] = [];
  for (const row of prepared) {
    const match = existingRegisterOf(row, known);
    const rowErrors = [
      ...missingOrMalformedValues(row),
      ...unknownLocation(row),
      ...registerTwiceInFile(row, file),
      ...unfitParent(row, known, file),
      ...externalRefTaken(row, known, file),
      ...changesExisting(row, match, known),
    ];
    if (rowErrors.length > 0) errors.push(...rowErrors);
    else if (match) unchanged.push({ line: row.line, registerId: match.id, name: match.name });
    else create.push(plannedRegister(row, known, file));
  }

  if (errors.length > 0) return { ok: false, errors: inFileOrder(errors) };
  return { ok: true, plan: { create: parentsFirst(create), unchanged } };
}
