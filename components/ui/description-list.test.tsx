import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Description, DescriptionList, TERM_CLASS } from "./description-list";

describe("DescriptionList", () => {
  it("draws each fact as a label over its value, the test id on the value", () => {
    const html = renderToStaticMarkup(
      <DescriptionList columns={3}>
        <Description label="Currency" testId="currency">
          EUR
        </Description>
      </DescriptionList>,
    );
    expect(html).toContain("sm:grid-cols-3");
    expect(html).toContain(`<dt class="${TERM_CLASS}">Currency</dt>`);
    expect(html).toMatch(/<dd class="min-w-0 break-words" data-testid="currency">EUR<\/dd>/);
  });

  it("sets an identifier in monospace with a copy button named after it, and its hint under it", () => {
    const html = renderToStaticMarkup(
      <DescriptionList>
        <Description label="Register ID" copy="6f1c-2b9e" copyLabel="register ID" mono testId="register-id" hint="What the POS sends.">
          6f1c-2b9e
        </Description>
      </DescriptionList>,
    );
    expect(html).toMatch(/<span class="min-w-0 break-all font-mono text-xs" data-testid="register-id">6f1c-2b9e<\/span>/);
    expect(html).toContain('aria-label="Copy register ID"');
    expect(html).toContain('<dd class="text-xs text-slate-600">What the POS sends.</dd>');
  });

  it("lets the caller's classes win over the defaults", () => {
    const html = renderToStaticMarkup(
      <DescriptionList className="gap-y-2 text-base">
        <Description label="A" mono valueClassName="text-sm">
          x
        </Description>
      </DescriptionList>,
    );
    expect(html).toContain('class="grid grid-cols-1 gap-x-6 sm:grid-cols-2 gap-y-2 text-base"');
    expect(html).toContain('class="min-w-0 break-all font-mono text-sm"');
  });
});
