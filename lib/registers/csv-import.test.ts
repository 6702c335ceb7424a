import { describe, expect, it } from "vitest";
import { csvLine } from "@/lib/lists/csv";
import {
  decodeRegisterCsv,
  MAX_IMPORT_BYTES,
  MAX_IMPORT_ROWS,
  parseRegisterCsv,
  planRegisterImport,
  type CsvRegisterRow,
  type ExistingRegisters,
  type ImportError,
} from "./csv-import";

function rowsOf(text: string): CsvRegisterRow[] {
  const result = parseRegisterCsv(text);
  if (!result.ok) throw new Error(`expected a parse, got ${JSON.stringify(result.errors)}`);
  return result.rows;
}

function errorsOf(result: { ok: true } | { ok: false; errors: ImportError[] }): ImportError[] {
  if (result.ok) throw new Error("expected errors, got ok");
  return result.errors;
}

/** Front (id 1) with Till 1 (physical, ref T1) and its virtual Mobile A; Back (id 2) with Till 1 too. */
const existing: ExistingRegisters = {
  locations: [
    { id: 1, name: "Front" },
    { id: 2, name: "Back Office" },
  ],
  registers: [
    { id: 10, locationId: 1, name: "Till 1", kind: "physical", parentId: null, externalRef: "T1" },
    { id: 11, locationId: 1, name: "Mobile A", kind: "virtual", parentId: 10, externalRef: null },
    { id: 20, locationId: 2, name: "Till 1", kind: "physical", parentId: null, externalRef: null },
  ],
};

function plan(text: string, current: ExistingRegisters = existing) {
  return planRegisterImport(rowsOf(text), current);
}

describe("parseRegisterCsv", () => {
  it("reads the columns in any order and case, trims values, and gives each row its line", () => {
    const rows = rowsOf(" Register , LOCATION,External Reference,parent_register\nTill 2 , Front ,,\nMobile B,Front,MB-1, Till 2\n");
    expect(rows).toEqual([
      { line: 2, location: "Front", register: "Till 2", parent: null, externalRef: null },
      { line: 3, location: "Front", register: "Mobile B", parent: "Till 2", externalRef: "MB-1" },
    ]);
  });

  it("works without the optional columns", () => {
    expect(rowsOf("location,register\nFront,Till 2")).toEqual([
      { line: 2, location: "Front", register: "Till 2", parent: null, externalRef: null },
    ]);
  });

  it("skips a UTF-8 BOM", () => {
    const rows = rowsOf("\uFEFFlocation,register\nFront,Till 2\n");
    expect(rows[0]).toMatchObject({ location: "Front", register: "Till 2" });
    // A quoted first header right after the BOM (as some spreadsheets write it).
    expect(rowsOf('\uFEFF"Location","Register"\r\nFront,Till 2\r\n')[0]).toMatchObject({ line: 2, register: "Till 2" });
    // Also through the byte decoder, as an upload arrives.
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode("location,register\nCafé,Till\n")]);
    const decoded = decodeRegisterCsv(bytes);
    expect(decoded.ok && rowsOf(decoded.text)[0]).toMatchObject({ location: "Café", register: "Till" });
  });

  it("reads quoted fields with commas, quotes and line breaks, and counts lines from where each row starts", () => {
    const rows = rowsOf('location,register,external reference\n"Front, upstairs","Till ""A""","ref\nwith break"\nFront,Till 3,\n');
    expect(rows).toEqual([
      { line: 2, location: "Front, upstairs", register: 'Till "A"', parent: null, externalRef: "ref\nwith break" },
      { line: 4, location: "Front", register: "Till 3", parent: null, externalRef: null },
    ]);
  });

  it("reads CRLF line ends, blank lines between rows and at the end, and rows of empty cells", () => {
    const rows = rowsOf("location,register,parent register\r\nFront,Till 2,\r\n\r\n,,\r\nFront,Mobile B,Till 2\r\n\r\n\r\n");
    expect(rows.map((r) => [r.line, r.register])).toEqual([
      [2, "Till 2"],
      [5, "Mobile B"],
    ]);
  });

  it("undoes the apostrophe that the CSV export puts before a formula-like cell", () => {
    const text = csvLine(["location", "register"]) + csvLine(["Front", "=Till"]) + csvLine(["Front", "'quoted"]);
    expect(rowsOf(text).map((r) => r.register)).toEqual(["=Till", "'quoted"]);
  });

  it("refuses a header without the required columns, naming them", () => {
    const errors = errorsOf(parseRegisterCsv("location,parent register\nFront,\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ line: 1, column: null });
    expect(errors[0]!.message).toContain("no “register” column");
    expect(errorsOf(parseRegisterCsv("name,notes\nx,y\n"))[1]!.message).toContain("no “location” and “register” column");
  });

  it("refuses unknown columns, naming each", () => {
    const errors = errorsOf(parseRegisterCsv("location,register,Notes,Colour\nFront,Till 2,hello,red\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toBe(
      "Unknown columns “Notes”, “Colour”. An import has only the columns location, register, parent register, external reference: remove them and try again.",
    );
    expect(errorsOf(parseRegisterCsv("location,register,Notes\nFront,Till 2,x\n"))[0]).toMatchObject({ column: "Notes" });
  });

  it("says so when the fields are separated by semicolons", () => {
    const errors = errorsOf(parseRegisterCsv("location;register\nFront;Till 2\n"));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toContain("semicolons");
  });

  it("refuses a column named twice", () => {
    const errors = errorsOf(parseRegisterCsv("location,register,Register Name\nFront,a,b\n"));
    expect(errors[0]!.message).toBe("The column “register” appears twice in the header (columns 2 and 3). Keep one.");
  });

  it("refuses a row with more fields than the header (an unquoted comma), but not trailing empty ones", () => {
    const errors = errorsOf(parseRegisterCsv("location,register\nFront,Till 2\nFront,Till, 3\nFront,Till 4,,\n"));
    expect(errors).toEqual([
      { line: 3, column: null, message: "This row has a value in field 3, but the header names 2 columns. A name with a comma must be in double quotes." },
    ]);
  });

  it("refuses an unclosed quote with the line where the row starts", () => {
    const errors = errorsOf(parseRegisterCsv('location,register\nFront,Till 2\nFront,"Till 3\nFront,Till 4\n'));
    expect(errors).toHaveLength(1);
    expect(errors[0]!.line).toBe(3);
    expect(errors[0]!.message).toContain("never closed");
  });

  it("refuses an empty file and a file with only a header", () => {
    expect(errorsOf(parseRegisterCsv(""))[0]!.message).toContain("The file is empty");
    expect(errorsOf(parseRegisterCsv("\n\r\n"))[0]!.message).toContain("The file is empty");
    expect(errorsOf(parseRegisterCsv("location,register\n"))[0]!.message).toContain("no registers");
  });

  it("refuses text that is not UTF-8, and binary data", () => {
    // Latin-1 “Café”: 0xE9 alone is not UTF-8.
    const latin1 = new Uint8Array([...new TextEncoder().encode("location,register\nCaf"), 0xe9, ...new TextEncoder().encode(",Till\n")]);
    const decoded = decodeRegisterCsv(latin1);
    expect(decoded.ok).toBe(false);
    expect(errorsOf(decoded)[0]!.message).toContain("not UTF-8");
    // The same file decoded leniently by a caller (replacement characters) is refused too.
    expect(errorsOf(parseRegisterCsv(new TextDecoder().decode(latin1)))[0]!.message).toContain("not UTF-8");
    expect(errorsOf(parseRegisterCsv("PK\u0003\u0004\u0000\u0000location,register"))[0]!.message).toContain("binary");
  });

  it("refuses a file over 1 MiB", () => {
    const big = "location,register\n" + `Front,${"x".repeat(70)}\n`.repeat(Math.ceil(MAX_IMPORT_BYTES / 77) + 1);
    expect(errorsOf(parseRegisterCsv(big))[0]!.message).toMatch(/^The file is 1\.0 MiB; an import takes at most 1 MiB/);
    expect(errorsOf(decodeRegisterCsv(new TextEncoder().encode(big)))[0]!.message).toContain("at most 1 MiB");
  });

  it("refuses more than 5,000 rows, and takes exactly 5,000", () => {
    const file = (n: number) => "location,register\n" + Array.from({ length: n }, (_, i) => `F,R${i}\n`).join("");
    expect(rowsOf(file(MAX_IMPORT_ROWS))).toHaveLength(MAX_IMPORT_ROWS);
    expect(errorsOf(parseRegisterCsv(file(MAX_IMPORT_ROWS + 1)))).toEqual([
      { line: null, column: null, message: "The file has 5,001 registers; an import takes at most 5,000. Split it into smaller files." },
    ]);
  });
});

describe("planRegisterImport", () => {
  it("plans physical and virtual registers with their location, matching names without regard to case", () => {
    const result = plan("location,register,parent register,external reference\nfront,Till 2,,T2\nFRONT,Mobile B,till 1,\nback office,Mobile C,Till 1,\n");
    expect(result).toEqual({
      ok: true,
      plan: {
        create: [
          { line: 2, locationId: 1, name: "Till 2", kind: "physical", parentName: null, externalRef: "T2" },
          { line: 3, locationId: 1, name: "Mobile B", kind: "virtual", parentName: "Till 1", externalRef: null },
          { line: 4, locationId: 2, name: "Mobile C", kind: "virtual", parentName: "Till 1", externalRef: null },
        ],
        unchanged: [],
      },
    });
  });

  it("puts a parent created in the same file before its children, whatever the file's order", () => {
    const result = plan("location,register,parent register\nFront,Mobile X,Till 9\nFront,Mobile Y,Till 9\nFront,Till 9,\nFront,Till 8,\n");
    expect(result.ok && result.plan.create.map((c) => [c.name, c.kind, c.parentName])).toEqual([
      ["Till 9", "physical", null],
      ["Till 8", "physical", null],
      ["Mobile X", "virtual", "Till 9"],
      ["Mobile Y", "virtual", "Till 9"],
    ]);
  });

  it("is idempotent: a row that matches a register exactly is unchanged, and the same file imported twice creates nothing new", () => {
    const file = "location,register,parent register,external reference\nFront,Till 1,,T1\nfront,mobile a,TILL 1,\nFront,Till 2,,T2\nFront,Mobile B,Till 2,\n";
    const first = plan(file);
    expect(first.ok).toBe(true);
    if (!first.ok) return;
    expect(first.plan.unchanged).toEqual([
      { line: 2, registerId: 10, name: "Till 1" },
      { line: 3, registerId: 11, name: "Mobile A" },
    ]);
    expect(first.plan.create.map((c) => c.name)).toEqual(["Till 2", "Mobile B"]);

    // Apply the plan as the caller would, then import the same file again.
    let nextId = 100;
    const after: ExistingRegisters = { locations: existing.locations, registers: [...existing.registers] };
    for (const c of first.plan.create) {
      const parent = c.parentName === null ? null : after.registers.find((r) => r.locationId === c.locationId && r.name === c.parentName)!;
      after.registers.push({ id: nextId++, locationId: c.locationId, name: c.name, kind: c.kind, parentId: parent?.id ?? null, externalRef: c.externalRef });
    }
    const second = plan(file, after);
    expect(second.ok && second.plan.create).toEqual([]);
    expect(second.ok && second.plan.unchanged.map((u) => u.registerId)).toEqual([10, 11, 100, 101]);
  });

  it("an empty external reference says nothing: it matches a register that has one", () => {
    const result = plan("location,register\nFront,Till 1\n");
    expect(result.ok && result.plan.unchanged).toEqual([{ line: 2, registerId: 10, name: "Till 1" }]);
  });

  it("refuses a row without a location or register name", () => {
    const errors = errorsOf(plan("location,register\n,Till 2\nFront,\n"));
    expect(errors).toEqual([
      { line: 2, column: "location", message: "Location is missing: every row names the location of its register." },
      { line: 3, column: "register", message: "Register name is missing." },
    ]);
  });

  it("refuses an unknown location", () => {
    expect(errorsOf(plan("location,register\nFromt,Till 2\n"))).toEqual([
      { line: 2, column: "location", message: "Unknown location “Fromt”: create it first, or check the spelling." },
    ]);
  });

  it("refuses the same register twice in the file, naming both lines, and only once per name and location", () => {
    const errors = errorsOf(plan("location,register\nFront,Till 2\nBack Office,Till 2\nfront,TILL 2 \n"));
    expect(errors).toEqual([
      {
        line: 4,
        column: "register",
        message: "Register “TILL 2” of “front” is in the file twice, on lines 2 and 4. Keep one row per register.",
      },
    ]);
  });

  it("refuses a parent that is not in that location, existing or in the file", () => {
    const errors = errorsOf(plan("location,register,parent register\nBack Office,Mobile Z,Mobile A\nFront,Mobile Y,Till 7\nBack Office,Till 7,\n"));
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, "parent register", "Parent register “Mobile A” is not a register of “Back Office”: it is neither an existing register there nor a physical register in this file."],
      [3, "parent register", "Parent register “Till 7” is not a register of “Front”: it is neither an existing register there nor a physical register in this file."],
    ]);
  });

  it("refuses a parent that is virtual, existing or in the file", () => {
    const errors = errorsOf(plan("location,register,parent register\nFront,Mobile Q,Mobile A\nFront,Mobile R,Mobile S\nFront,Mobile S,Till 1\n"));
    expect(errors.map((e) => [e.line, e.column])).toEqual([
      [2, "parent register"],
      [3, "parent register"],
    ]);
    expect(errors[0]!.message).toBe(
      "Parent register “Mobile A” is a virtual register: a virtual register cannot have virtual registers. Name a physical register.",
    );
  });

  it("refuses a register that is its own parent", () => {
    expect(errorsOf(plan("location,register,parent register\nFront,Till 5,till 5\n"))[0]!.message).toBe(
      "Register “Till 5” cannot be its own parent register.",
    );
  });

  it("refuses an existing register that the file would change, saying what differs", () => {
    const errors = errorsOf(
      plan(
        "location,register,parent register,external reference\nFront,Till 1,,OTHER\nFront,Mobile A,,\nBack Office,Till 1,Till 2,\nBack Office,Till 2,,\nFront,Till 3,,\nFront,Mobile A,Till 3,\n",
      ),
    );
    expect(errors.map((e) => [e.line, e.message])).toEqual([
      [
        2,
        "Register “Till 1” of “Front” exists already and the file would change it: its external reference is “T1”, the file says “OTHER”. An import only creates registers: change it on its page, or make this row match it.",
      ],
      [
        3,
        "Register “Mobile A” of “Front” exists already and the file would change it: it is virtual, the file makes it physical. An import only creates registers: change it on its page, or make this row match it.",
      ],
      [
        4,
        "Register “Till 1” of “Back Office” exists already and the file would change it: it is physical, the file makes it virtual. An import only creates registers: change it on its page, or make this row match it.",
      ],
      [7, "Register “Mobile A” of “Front” is in the file twice, on lines 3 and 7. Keep one row per register."],
      [
        7,
        "Register “Mobile A” of “Front” exists already and the file would change it: its parent register is “Till 1”, the file says “Till 3”. An import only creates registers: change it on its page, or make this row match it.",
      ],
    ]);
  });

  it("refuses an external reference used by another register, existing or in the file", () => {
    const errors = errorsOf(plan("location,register,external reference\nBack Office,Till 2,T1\nFront,Till 3,X9\nFront,Till 4,X9\n"));
    expect(errors).toEqual([
      { line: 2, column: "external reference", message: "External reference “T1” is already used by register “Till 1” of “Front”." },
      { line: 4, column: "external reference", message: "External reference “X9” is also given on line 3: each register has its own." },
    ]);
  });

  it("refuses names over 80 characters, references over 120, and line breaks in a name", () => {
    const long = "n".repeat(81);
    const errors = errorsOf(
      plan(`location,register,parent register,external reference\nFront,${long},,${"r".repeat(121)}\nFront,"Till\n9",,\nFront,${"m".repeat(80)},,${"r".repeat(120)}\n`),
    );
    expect(errors.map((e) => [e.line, e.column, e.message])).toEqual([
      [2, "register", "Register name is 81 characters long; at most 80."],
      [2, "external reference", "External reference is 121 characters long; at most 120."],
      [3, "register", "Register name “Till 9” has a line break or control character: a name is one line of text."],
    ]);
  });

  it("reports every error of every row, in line order, and plans nothing", () => {
    const result = plan("location,register,parent register\nNowhere,Till 1,\nFront,,\nFront,Mobile Q,Mobile A\nFront,Till 2,\nFront,Till 2,\n");
    const errors = errorsOf(result);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 6]);
    expect(result).not.toHaveProperty("plan");
  });

  it("an export of the registers (formula guard and all) imports back as unchanged", () => {
    const current: ExistingRegisters = {
      locations: [{ id: 5, name: "+Kiosk, east" }],
      registers: [
        { id: 50, locationId: 5, name: "=SUM", kind: "physical", parentId: null, externalRef: "@ref" },
        { id: 51, locationId: 5, name: 'Tab "1"', kind: "virtual", parentId: 50, externalRef: null },
      ],
    };
    const text =
      csvLine(["Location", "Register", "Parent register", "External reference"]) +
      csvLine(["+Kiosk, east", "=SUM", "", "@ref"]) +
      csvLine(["+Kiosk, east", 'Tab "1"', "=SUM", ""]);
    const result = planRegisterImport(rowsOf(text), current);
    expect(result.ok && result.plan).toEqual({
      create: [],
      unchanged: [
        { line: 2, registerId: 50, name: "=SUM" },
        { line: 3, registerId: 51, name: 'Tab "1"' },
      ],
    });
  });
});
