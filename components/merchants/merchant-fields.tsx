import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/auth/safe-action";

/**
 * A merchant's name and external reference: the add form's and the edit dialog's fields. No
 * maxLength: a pasted value is not cut silently; the server says what is too long.
 */
export function MerchantFields({
  idPrefix,
  errors,
  defaults,
}: {
  idPrefix: string;
  errors: FieldErrors;
  defaults?: { name: string; externalRef: string | null };
}) {
  return (
    <>
      <Field
        id={`${idPrefix}-name`}
        label="Name"
        hint="As the merchant's people and your staff know it. Unique, whatever its case."
        errors={errors.name}
      >
        <Input name="name" autoComplete="off" required defaultValue={defaults?.name} />
      </Field>
      <Field
        id={`${idPrefix}-external-ref`}
        label="External reference"
        hint="Optional: the POS's own id for this merchant. Unique when given."
        errors={errors.externalRef}
      >
        <Input
          name="externalRef"
          autoComplete="off"
          defaultValue={defaults?.externalRef ?? ""}
        />
      </Field>
    </>
  );
}
