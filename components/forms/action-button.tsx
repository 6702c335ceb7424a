"use client";

import { useActionForm, type FormAction } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";

/**
 * One button that runs a server action on one object (hidden fields), says it is working while it
 * runs, and shows the action's refusal under it (the success message is a toast). For the small
 * one-press actions: Refresh configuration, Reprocess…
 */
export function ActionButton<T>({
  action,
  fields,
  icon,
  label,
  pendingLabel,
  errorTestId,
}: {
  action: FormAction<T>;
  fields: Record<string, string | number>;
  icon: React.ReactNode;
  label: string;
  pendingLabel: string;
  errorTestId: string;
}) {
  const { formProps, pending, failed } = useActionForm(action);
  return (
    <form {...formProps} className="space-y-2">
      {Object.entries(fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <Button type="submit" variant="secondary" size="sm" disabled={pending}>
        {icon}
        {pending ? pendingLabel : label}
      </Button>
      {failed ? (
        <p role="alert" className="text-sm text-red-700" data-testid={errorTestId}>
          {failed.error}
        </p>
      ) : null}
    </form>
  );
}
