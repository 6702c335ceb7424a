"use client";

import { UserPlus } from "lucide-react";
import { useActionForm } from "@/components/forms/use-action-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { addUser } from "@/lib/actions/users";
import { ROLES } from "@/lib/domain";

const MIN_PASSWORD_LENGTH = 12;

export function AddUserForm() {
  // A refused form keeps its values: the admin corrects only the field that was refused.
  const { formProps, pending, fieldErrors: errors, formError } = useActionForm(addUser, {
    successMessage: "User added.",
    resetOnSuccess: true,
  });

  return (
    <form
      {...formProps}
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
        hint="Viewer reads; support reads and pairs; admin does everything."
        errors={errors.role}
      >
        <Select name="role" defaultValue="viewer">
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {r}
            </option>
          ))}
        </Select>
      </Field>
      <div className="sm:col-span-2">
        <Button type="submit" disabled={pending}>
          <UserPlus aria-hidden />
          {pending ? "Adding…" : "Add user"}
        </Button>
      </div>
    </form>
  );
}
