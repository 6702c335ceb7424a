"use client";

import { UserPlus } from "lucide-react";
import { useState } from "react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { addUser } from "@/lib/users/actions";
import { isMerchantRole, MERCHANT_ROLES, roleLabel, STAFF_ROLES, type MerchantStatus, type Role } from "@/lib/domain";

const MIN_PASSWORD_LENGTH = 12;

export type MerchantChoice = { id: number; name: string; status: MerchantStatus };

/**
 * Adds a user.
 * - A staff admin (`merchants` given) chooses a staff role or a merchant role; a merchant role
 *   shows a required "Merchant" choice (preselected when the switcher names one), a staff role
 *   none (staff see every merchant).
 * - A merchant admin (`merchants` null) adds merchant roles only, into their own merchant: no
 *   merchant choice (the server sets it whatever the form says).
 */
export function AddUserForm({
  merchants,
  preselectedMerchantId,
}: {
  merchants: MerchantChoice[] | null;
  preselectedMerchantId?: number | null;
}) {
  const isStaff = merchants !== null;
  const defaultRole: Role = isStaff ? "viewer" : "merchant-viewer";
  const [role, setRole] = useState<Role>(defaultRole);
  // A refused form keeps its values: the admin corrects only the field that was refused.
  const { formProps, pending, fieldErrors: errors, formError } = useActionForm(addUser, {
    successMessage: "User added.",
    resetOnSuccess: true,
  });
  const showMerchant = isStaff && isMerchantRole(role);

  return (
    <form
      {...formProps}
      // The form's reset (after a success) puts the role back: the merchant choice follows it.
      onReset={() => setRole(defaultRole)}
      noValidate
      aria-label="Add a user"
      className="grid gap-4 sm:grid-cols-2"
    >
      {formError ? (
        <Alert tone="danger" role="alert" className="sm:col-span-2" data-testid="add-user-error">
          {formError}
        </Alert>
      ) : null}
      <Field id="new-user-email" label="Email" errors={errors.email}>
        <Input name="email" type="email" autoComplete="off" required />
      </Field>
      <Field id="new-user-name" label="Name" hint="Optional." errors={errors.name}>
        <Input name="name" autoComplete="off" maxLength={100} />
      </Field>
      <Field
        id="new-user-password"
        label="Password"
        hint={`At least ${MIN_PASSWORD_LENGTH} characters; not the email, not a common word. Give it to the user over a safe channel.`}
        errors={errors.password}
      >
        <Input name="password" type="password" autoComplete="new-password" required />
      </Field>
      <Field
        id="new-user-role"
        label="Role"
        hint={
          isStaff
            ? "Staff see every merchant: viewer reads; support reads and pairs; admin does everything. A merchant's people see their merchant only: merchant viewer reads; merchant admin also pairs, unpairs and manages its users."
            : "They see your merchant only. Merchant viewer reads; merchant admin also pairs, unpairs and manages your merchant's users."
        }
        errors={errors.role}
      >
        <Select name="role" defaultValue={defaultRole} onChange={(e) => setRole(e.target.value as Role)}>
          {isStaff ? (
            <>
              <optgroup label="Staff: every merchant">
                {STAFF_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </optgroup>
              <optgroup label="A merchant's people: one merchant">
                {MERCHANT_ROLES.map((r) => (
                  <option key={r} value={r}>
                    {roleLabel(r)}
                  </option>
                ))}
              </optgroup>
            </>
          ) : (
            MERCHANT_ROLES.map((r) => (
              <option key={r} value={r}>
                {roleLabel(r)}
              </option>
            ))
          )}
        </Select>
      </Field>
      {showMerchant ? (
        <Field
          id="new-user-merchant"
          label="Merchant"
          hint={
            merchants.length === 0
              ? "There are no merchants yet: add one on the Merchants page first."
              : "The merchant whose terminals this user sees. A suspended merchant's people cannot sign in."
          }
          errors={errors.merchantId}
        >
          <Select name="merchantId" defaultValue={preselectedMerchantId ?? ""} required>
            <option value="">Choose a merchant…</option>
            {merchants.map((m) => (
              <option key={m.id} value={m.id}>
                {m.status === "suspended" ? `${m.name} (suspended)` : m.name}
              </option>
            ))}
          </Select>
        </Field>
      ) : null}
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          <UserPlus aria-hidden />
          {pending ? "Adding…" : "Add user"}
        </Button>
      </div>
    </form>
  );
}
