import { describe, expect, it } from "vitest";
import { csvLine } from "@/lib/lists/csv";
import { errorsOf, rowsOf } from "@/lib/test/register-csv";
import { decodeRegisterCsv, MAX_IMPORT_BYTES, MAX_IMPORT_ROWS, parseRegisterCsv } from "./csv-parse";

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
