"use client";

import { NuqsAdapter } from "nuqs/adapters/next/app";
import { parseAsString, useQueryStates } from "nuqs";
import { useEffect, useMemo, useRef, useState } from "react";
import { SEARCH_DEBOUNCE_MS } from "@/lib/lists/search";
import { Button } from "./button";
import { Input, Label, Select } from "./input";

export type FilterOption = { value: string; label: string };

export type FilterField =
  | {
      kind: "search";
      name: string;
      id: string;
      label: string;
      placeholder: string;
      maxLength: number;
      suggestions?: string[];
    }
  | { kind: "select"; name: string; id: string; label: string; options: readonly FilterOption[] }
  | { kind: "date"; name: string; id: string; label: string };

/**
 * The search-and-filter bar of a list page. Filters apply as they change: a select at once, a
 * search box once typing pauses. Each change pushes a history entry (Back restores the previous
 * filters), goes back to page 1 and re-renders the server page (`shallow: false`); other URL
 * parameters (the sort) are kept. The URL is the state: without JavaScript it is a plain GET form
 * (Enter in the search box, or the Apply button shown only then), with hidden fields for the
 * parameters it does not show.
 *
 * The search's pause is kept here rather than in nuqs, so that a navigation wins over it: a link
 * followed while a search is still waiting (type, then click the sidebar at once) drops the
 * search, which would otherwise land after the click and take the person back to the list.
 */
export function FilterBar(props: {
  action: string;
  label: string;
  fields: readonly FilterField[];
  /** Each field's default, as the list kit declares it: a default leaves the URL. */
  defaults: Record<string, string>;
  /** The other URL parameters to keep when the form is submitted without JavaScript. */
  hidden?: Record<string, string>;
  /** URL parameters that a filter change drops (a keyset cursor), besides the page. */
  resets?: readonly string[];
}) {
  return (
    <NuqsAdapter>
      <FilterForm {...props} />
    </NuqsAdapter>
  );
}

function FilterForm({
  action,
  label,
  fields,
  defaults,
  hidden = {},
  resets = [],
}: {
  action: string;
  label: string;
  fields: readonly FilterField[];
  defaults: Record<string, string>;
  hidden?: Record<string, string>;
  resets?: readonly string[];
}) {
  const names = fields.map((f) => f.name).join(",");
  const defaultsKey = JSON.stringify(defaults);
  const resetNames = resets.join(",");
  const cleared = Object.fromEntries(resets.map((r) => [r, null]));
  const parsers = useMemo(() => {
    const map: Record<string, ReturnType<typeof parseAsString.withDefault>> = {};
    const parsedDefaults = JSON.parse(defaultsKey) as Record<string, string>;
    for (const name of names.split(",")) map[name] = parseAsString.withDefault(parsedDefaults[name] ?? "");
    map.page = parseAsString.withDefault("1");
    for (const name of resetNames.split(",").filter(Boolean)) map[name] = parseAsString.withDefault("");
    return map;
  }, [names, defaultsKey, resetNames]);
  const [values, setValues] = useQueryStates(parsers, { shallow: false, history: "push" });
  const formRef = useRef<HTMLFormElement>(null);
  // What is typed in a search box and not yet in the URL, and the timer that will put it there.
  const [drafts, setDrafts] = useState<Record<string, string>>({});
  const pending = useRef<ReturnType<typeof setTimeout> | null>(null);

  const cancelPending = () => {
    if (pending.current !== null) clearTimeout(pending.current);
    pending.current = null;
  };
  const apply = (patch: Record<string, string>) => {
    cancelPending();
    setDrafts({});
    void setValues({ ...patch, page: null, ...cleared });
  };
  const type = (name: string, value: string) => {
    const next = { ...drafts, [name]: value };
    setDrafts(next);
    cancelPending();
    pending.current = setTimeout(() => {
      pending.current = null;
      apply(next);
    }, SEARCH_DEBOUNCE_MS);
  };

  useEffect(() => {
    const drop = () => {
      if (pending.current === null) return;
      clearTimeout(pending.current);
      pending.current = null;
      setDrafts({});
    };
    // A link followed elsewhere on the page (the sidebar, a row, the switcher), or Back, drops a search still waiting.
    const onClick = (e: MouseEvent) => {
      const link = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (link && !formRef.current?.contains(link)) drop();
    };
    document.addEventListener("click", onClick, true);
    window.addEventListener("popstate", drop);
    return () => {
      document.removeEventListener("click", onClick, true);
      window.removeEventListener("popstate", drop);
      if (pending.current !== null) clearTimeout(pending.current);
    };
  }, []);

  return (
    <form
      action={action}
      method="get"
      role="search"
      aria-label={label}
      ref={formRef}
      onSubmit={(e) => {
        // Enter in the search box: apply now rather than after the pause.
        e.preventDefault();
        const patch: Record<string, string> = {};
        for (const f of fields) patch[f.name] = drafts[f.name] ?? values[f.name] ?? defaults[f.name] ?? "";
        apply(patch);
      }}
      className="mb-3 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {Object.entries(hidden).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      {fields.map((f) =>
        f.kind === "search" ? (
          <div key={f.name} className="min-w-0 flex-1 basis-56 space-y-1.5">
            <Label htmlFor={f.id}>{f.label}</Label>
            <Input
              id={f.id}
              name={f.name}
              type="search"
              list={f.suggestions ? `${f.id}-suggestions` : undefined}
              value={drafts[f.name] ?? values[f.name] ?? ""}
              onChange={(e) => type(f.name, e.target.value)}
              placeholder={f.placeholder}
              maxLength={f.maxLength}
              autoComplete="off"
            />
            {f.suggestions ? (
              <datalist id={`${f.id}-suggestions`}>
                {f.suggestions.map((s) => (
                  <option key={s} value={s} />
                ))}
              </datalist>
            ) : null}
          </div>
        ) : f.kind === "date" ? (
          <div key={f.name} className="min-w-0 space-y-1.5">
            <Label htmlFor={f.id}>{f.label}</Label>
            <Input id={f.id} name={f.name} type="date" value={values[f.name] ?? ""} onChange={(e) => apply({ ...drafts, [f.name]: e.target.value })} />
          </div>
        ) : (
          <div key={f.name} className="min-w-0 space-y-1.5">
            <Label htmlFor={f.id}>{f.label}</Label>
            <Select id={f.id} name={f.name} value={values[f.name] ?? ""} onChange={(e) => apply({ ...drafts, [f.name]: e.target.value })}>
              {f.options.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </div>
        ),
      )}
      <noscript>
        <Button type="submit">Apply</Button>
      </noscript>
    </form>
  );
}
