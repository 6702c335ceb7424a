"use client";

import { signIn } from "next-auth/react";
import { useRouter, useSearchParams } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { MAX_EMAIL_LENGTH, MAX_PASSWORD_LENGTH } from "@/lib/auth/credential-limits";
import { safeCallbackPath } from "@/lib/auth/safe-callback";

/** Only same-site paths: a callbackUrl can never send a user to another site. */
function safeCallback(value: string | null): string {
  return safeCallbackPath(value, window.location.origin);
}

export function LoginForm() {
  const router = useRouter();
  const params = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  // Until React has hydrated the form, its submit handler is not attached: a click then would
  // be a plain form submission. Keep the button disabled until then.
  const [ready, setReady] = useState(false);
  // Runs once, after hydration: exactly the moment to flip, hence the one extra render.
  // eslint-disable-next-line react-hooks/set-state-in-effect
  useEffect(() => setReady(true), []);

  function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    startTransition(async () => {
      const res = await signIn("credentials", {
        email: String(form.get("email") ?? ""),
        password: String(form.get("password") ?? ""),
        redirect: false,
      });
      if (!res || res.error) {
        setError(res?.error && res.error !== "CredentialsSignin" ? res.error : "Email or password is incorrect");
        return;
      }
      router.replace(safeCallback(params.get("callbackUrl")));
      router.refresh();
    });
  }

  // method="post": even a submission before hydration never puts the password in a URL.
  return (
    <form method="post" onSubmit={onSubmit} className="space-y-4" noValidate>
      {error ? (
        <Alert tone="danger" role="alert" data-testid="login-error">
          {error}
        </Alert>
      ) : null}
      <Field id="email" label="Email">
        <Input name="email" type="email" autoComplete="username" required maxLength={MAX_EMAIL_LENGTH} />
      </Field>
      <Field id="password" label="Password">
        <Input name="password" type="password" autoComplete="current-password" required maxLength={MAX_PASSWORD_LENGTH} />
      </Field>
      <Button type="submit" className="w-full" disabled={!ready || pending}>
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
