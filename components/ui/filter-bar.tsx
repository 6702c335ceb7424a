import Form from "next/form";
import Link from "next/link";
import type * as React from "react";
import { Button } from "./button";
import { Input, Label, Select } from "./input";

/**
 * The search-and-filter bar of a list page: a GET form, so the state lives in the URL (works
 * without JavaScript; with it, next/form navigates without a full reload). Submitting goes back
 * to page 1; "Clear filters" shows while any filter is set.
 */
export function FilterBar({
  action,
  label,
  values,
  active,
  children,
}: {
  action: string;
  label: string;
  /** The URL's filter values: a new form per URL, so after "Clear" or Back the fields show them. */
  values: string[];
  active: boolean;
  children: React.ReactNode;
}) {
  return (
    <Form
      action={action}
      key={values.join("|")}
      role="search"
      aria-label={label}
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      {children}
      <div className="flex items-center gap-3">
        <Button type="submit">Apply</Button>
        {active ? (
          <Link href={action} className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}

export function FilterSelect({
  id,
  label,
  name,
  value,
  options,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <div className="space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Select id={id} name={name} defaultValue={value}>
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </Select>
    </div>
  );
}

export function FilterSearch({
  id,
  label,
  name,
  value,
  placeholder,
  maxLength,
  suggestions,
}: {
  id: string;
  label: string;
  name: string;
  value: string;
  placeholder: string;
  maxLength: number;
  suggestions?: string[];
}) {
  const listId = suggestions ? `${id}-suggestions` : undefined;
  return (
    <div className="min-w-56 flex-1 space-y-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input id={id} name={name} type="search" list={listId} defaultValue={value} placeholder={placeholder} maxLength={maxLength} />
      {suggestions ? (
        <datalist id={listId}>
          {suggestions.map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      ) : null}
    </div>
  );
}

export const ENVIRONMENT_OPTIONS = [
  { value: "all", label: "All environments" },
  { value: "production", label: "Production" },
  { value: "sandbox", label: "Sandbox" },
] as const;
