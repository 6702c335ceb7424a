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
