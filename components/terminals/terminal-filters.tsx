import Form from "next/form";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import type { TerminalListParams } from "@/lib/data/terminals";

/**
 * Search and filters of the terminal list: a GET form, so the state lives in the URL (works
 * without JavaScript; with it, next/form navigates without a full reload). Submitting goes back
 * to page 1.
 */
export function TerminalFilters({ params }: { params: TerminalListParams }) {
  const active = params.q !== "" || params.environment !== "all" || params.status !== "all";
  return (
    <Form
      action="/terminals"
      // A new key per URL: after "Clear" or a back navigation the fields show the URL's values.
      key={`${params.q}|${params.environment}|${params.status}`}
      role="search"
      aria-label="Filter terminals"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="min-w-56 flex-1 space-y-1.5">
        <Label htmlFor="terminal-search">Search</Label>
        <Input
          id="terminal-search"
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder="Terminal ID or pairing name"
          maxLength={100}
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="terminal-environment">Environment</Label>
        <Select id="terminal-environment" name="environment" defaultValue={params.environment}>
          <option value="all">All environments</option>
          <option value="production">Production</option>
          <option value="sandbox">Sandbox</option>
        </Select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="terminal-status">Status</Label>
        <Select id="terminal-status" name="status" defaultValue={params.status}>
          <option value="all">All statuses</option>
          <option value="paired">Paired</option>
          <option value="unpaired">Unpaired</option>
        </Select>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit">Apply</Button>
        {active ? (
          <Link href="/terminals" className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
