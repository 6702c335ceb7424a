import Form from "next/form";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import { ATTEMPT_STATUS_LABELS } from "@/components/ui/status-badges";
import type { AttemptListParams } from "@/lib/data/attempts";
import { ATTEMPT_STATUSES } from "@/lib/db/schema";

/** Search and filters of the attempts list: a GET form, the state lives in the URL. */
export function AttemptFilters({ params }: { params: AttemptListParams }) {
  const active = params.q !== "" || params.status !== "all" || params.environment !== "all";
  return (
    <Form
      action="/attempts"
      key={`${params.q}|${params.status}|${params.environment}`}
      role="search"
      aria-label="Filter pairing attempts"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="min-w-56 flex-1 space-y-1.5">
        <Label htmlFor="attempt-search">Search</Label>
        <Input
          id="attempt-search"
          name="q"
          type="search"
          defaultValue={params.q}
          placeholder="Pairing name, terminal ID or email"
          maxLength={100}
        />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="attempt-status">Outcome</Label>
        <Select id="attempt-status" name="status" defaultValue={params.status}>
          <option value="all">All outcomes</option>
          {ATTEMPT_STATUSES.map((s) => (
            <option key={s} value={s}>
              {ATTEMPT_STATUS_LABELS[s]}
            </option>
          ))}
        </Select>
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="attempt-environment">Environment</Label>
        <Select id="attempt-environment" name="environment" defaultValue={params.environment}>
          <option value="all">All environments</option>
          <option value="production">Production</option>
          <option value="sandbox">Sandbox</option>
        </Select>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit">Apply</Button>
        {active ? (
          <Link href="/attempts" className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
