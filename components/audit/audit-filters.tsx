import Form from "next/form";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Input, Label, Select } from "@/components/ui/input";
import type { AuditListParams } from "@/lib/data/audit";

/** Filters of the audit log: a GET form, the state lives in the URL. */
export function AuditFilters({
  params,
  actions,
  actorEmails,
}: {
  params: AuditListParams;
  actions: readonly string[];
  actorEmails: string[];
}) {
  const active = params.action !== "all" || params.actor !== "";
  return (
    <Form
      action="/audit"
      key={`${params.action}|${params.actor}`}
      role="search"
      aria-label="Filter the audit log"
      className="mb-4 flex flex-wrap items-end gap-3 rounded-lg border border-slate-200 bg-white p-4"
    >
      <div className="space-y-1.5">
        <Label htmlFor="audit-action">Action</Label>
        <Select id="audit-action" name="action" defaultValue={params.action}>
          <option value="all">All actions</option>
          {actions.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </Select>
      </div>
      <div className="min-w-64 flex-1 space-y-1.5">
        <Label htmlFor="audit-actor">Actor</Label>
        <Input
          id="audit-actor"
          name="actor"
          type="search"
          list="audit-actor-emails"
          defaultValue={params.actor}
          placeholder="Email, or part of it"
          maxLength={254}
        />
        <datalist id="audit-actor-emails">
          {actorEmails.map((email) => (
            <option key={email} value={email} />
          ))}
        </datalist>
      </div>
      <div className="flex items-center gap-3">
        <Button type="submit">Apply</Button>
        {active ? (
          <Link href="/audit" className="text-sm font-medium text-brand-700 underline-offset-4 hover:underline">
            Clear filters
          </Link>
        ) : null}
      </div>
    </Form>
  );
}
