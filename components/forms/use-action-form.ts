"use client";

/**
 * The one client idiom for a form that calls a server action: submit → result → toast → refresh.
 *
 * Contract
 * - `action` is a server action `(prev, formData) => Promise<ActionResult<T>>` (lib/auth/
 *   safe-action.ts): `{ ok: true, data, message? }` or `{ ok: false, error, fieldErrors?, code?,
 *   values? }`. It returns failures; anything it throws is unexpected and reaches the section's
 *   error boundary.
 * - Spread `formProps` on the <form>. Submitting dispatches the action in a transition with the
 *   form's fields (and the pressed submit button's name/value). `pending` is true meanwhile:
 *   disable the submit button with it.
 * - On success: a success toast with the action's `message` (or `successMessage`; pass
 *   `successMessage: false` for none), then `onSuccess(data)`, then the form is reset if
 *   `resetOnSuccess`, then `router.refresh()` unless `refresh: false`. These run even if the
 *   form unmounted meanwhile (an unpaired pairing's controls disappear with it): the toast
 *   still shows.
 * - On failure nothing is reset (React's automatic form reset is skipped), so the user corrects
 *   only what was refused. `fieldErrors` maps field names to messages for <Field errors>;
 *   `formError` is the message to show above the form when no field error explains it;
 *   `failed` is the whole failure (its `code`, `values`) for anything else.
 * - `state` is the last result (null before the first submit); success data such as revealed
 *   credentials lives only there, in this component's memory.
 */
import { useRouter } from "next/navigation";
import { startTransition, useActionState, useRef, type FormEvent } from "react";
import { toast } from "sonner";
import type { ActionResult, FieldErrors } from "@/lib/auth/safe-action";

export type FormAction<T> = (prev: ActionResult<T> | null, formData: FormData) => Promise<ActionResult<T>>;

export type ActionFormOptions<T> = {
  successMessage?: string | false;
  onSuccess?: (data: T) => void;
  resetOnSuccess?: boolean;
  refresh?: boolean;
};

export function useActionForm<T>(action: FormAction<T>, options: ActionFormOptions<T> = {}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const [state, dispatch, pending] = useActionState<ActionResult<T> | null, FormData>(async (prev, formData) => {
    const result = await action(prev, formData);
    if (result.ok) {
      const text = options.successMessage === false ? null : (result.message ?? options.successMessage ?? "Saved.");
      if (text) toast.success(text);
      options.onSuccess?.(result.data);
      if (options.resetOnSuccess) formRef.current?.reset();
      if (options.refresh !== false) router.refresh();
    }
    return result;
  }, null);

  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter;
    const formData = new FormData(e.currentTarget, submitter instanceof HTMLElement ? submitter : null);
    startTransition(() => dispatch(formData));
  }

  const failed = state && !state.ok ? state : null;
  const fieldErrors: FieldErrors = failed?.fieldErrors ?? {};
  const formError = failed && !Object.values(fieldErrors).some((m) => m?.length) ? failed.error : null;

  return {
    state,
    pending,
    failed,
    fieldErrors,
    formError,
    formProps: { ref: formRef, action: dispatch, onSubmit },
  };
}
