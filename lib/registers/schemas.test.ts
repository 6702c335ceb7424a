import { describe, expect, it } from "vitest";
import { locationFormSchema } from "./schemas";

describe("locationFormSchema", () => {
  it("keeps an address's line breaks as plain newlines, whatever the browser sent", () => {
    // A textarea submits its line breaks as CRLF (HTML's form encoding).
    const parsed = locationFormSchema.parse({ name: "  Harbour  Front ", address: " 1 Quay Street\r\nPorto\r4000 \n", timeZone: "Europe/Lisbon" });
    expect(parsed).toEqual({ name: "Harbour Front", address: "1 Quay Street\nPorto\n4000", timeZone: "Europe/Lisbon" });
  });

  it("refuses a time zone that is not in the IANA list, and a missing name, with their messages", () => {
    const result = locationFormSchema.safeParse({ name: " ", address: "", timeZone: "Mars/Olympus" });
    expect(result.success).toBe(false);
    const messages = result.error!.issues.map((i) => [i.path.join("."), i.message]);
    expect(messages).toEqual([
      ["name", "Enter the location's name."],
      ["timeZone", "Choose a time zone from the list (an IANA name such as Europe/Lisbon)."],
    ]);
  });
});
