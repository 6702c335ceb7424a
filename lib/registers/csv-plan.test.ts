import { describe, expect, it } from "vitest";
import { csvLine } from "@/lib/lists/csv";
import { errorsOf, rowsOf } from "@/lib/test/register-csv";
import { planRegisterImport, type ExistingRegisters } from "./csv-plan";

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

describe("planRegisterImport", () => {
  it("plans physical and virtual registers with their location, matching names without regard to case", () => {
    const result = plan("location,register,parent register,external reference\nfront,Till 2,,T2\nFRONT,Mobile B,till 1,\nback office,Mobile C,Till 1,\n");
    expect(result).toEqual({
      ok: true,
      plan: {
        create: [
          { line: 2, locationId: 1, locationName: "Front", name: "Till 2", kind: "physical", parentName: null, externalRef: "T2" },
          { line: 3, locationId: 1, locationName: "Front", name: "Mobile B", kind: "virtual", parentName: "Till 1", externalRef: null },
          { line: 4, locationId: 2, locationName: "Back Office", name: "Mobile C", kind: "virtual", parentName: "Till 1", externalRef: null },
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
