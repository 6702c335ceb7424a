"use client";

import { useActionForm } from "@/components/forms/use-action-form";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { changeUserRole } from "@/lib/users/actions";
import { isMerchantRole, MERCHANT_ROLES, roleLabel, STAFF_ROLES, type Role } from "@/lib/domain";

/**
 * A user's role: select + Save, inside the table row. Refusals show under it. Only the roles of
 * the user's kind are offered: staff roles for staff, merchant roles for a merchant's people
 * (the server refuses a swap too).
 */
export function UserRoleForm({
  userId,
  email,
  role,
  isSelf,
}: {
  userId: number;
  email: string;
  role: Role;
  isSelf: boolean;
}) {
  const { formProps, pending, failed } = useActionForm(changeUserRole, { successMessage: "Role saved." });

  const roles = isMerchantRole(role) ? MERCHANT_ROLES : STAFF_ROLES;
  const error = failed ? (failed.fieldErrors?.role?.[0] ?? failed.error) : null;
  const selectId = `role-${userId}`;
  const errorId = `role-${userId}-error`;

  return (
    <form {...formProps} className="space-y-1">
      <input type="hidden" name="userId" value={userId} />
      <div className="relative flex items-center gap-2">
        <label htmlFor={selectId} className="sr-only">
          Role of {email}
        </label>
        <Select
          // Remounts with the saved role after the page refreshes.
          key={role}
          id={selectId}
          name="role"
          defaultValue={role}
          disabled={isSelf || pending}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : isSelf ? `${selectId}-self` : undefined}
          className="w-48"
        >
          {roles.map((r) => (
            <option key={r} value={r}>
              {roleLabel(r)}
            </option>
          ))}
        </Select>
        {isSelf ? null : (
          <Button type="submit" size="sm" variant="secondary" disabled={pending}>
            {pending ? "Saving…" : "Save"}
            <span className="sr-only"> role of {email}</span>
          </Button>
        )}
      </div>
      {isSelf ? (
        <p id={`${selectId}-self`} className="text-xs text-slate-600">
          Your own role: another admin can change it.
        </p>
      ) : null}
      {error ? (
        <p id={errorId} role="alert" className="max-w-64 text-sm text-red-700">
          {error}
        </p>
      ) : null}
    </form>
  );
}
