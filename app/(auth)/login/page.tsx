import { MonitorSmartphone } from "lucide-react";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { LoginForm } from "@/components/auth/login-form";
import { getCurrentUser } from "@/lib/auth/auth";
import { getEnv } from "@/lib/env";
import { safeCallbackPath } from "@/lib/auth/safe-callback";

export const metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ callbackUrl?: string | string[]; signedOut?: string | string[] }>;
}) {
  const { callbackUrl, signedOut } = await searchParams;
  if (await getCurrentUser()) {
    redirect(safeCallbackPath(typeof callbackUrl === "string" ? callbackUrl : null, getEnv().publicUrl));
  }
  return (
    <main className="flex min-h-screen items-center justify-center p-6">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-8 shadow-sm">
        <div className="mb-6 flex items-center gap-2">
          <MonitorSmartphone aria-hidden className="size-6 text-brand-700" />
          <h1 className="text-xl font-semibold">Sign in to Pairdesk</h1>
        </div>
        {signedOut ? (
          <p role="status" className="mb-4 rounded-md bg-slate-100 px-3 py-2 text-sm text-slate-700" data-testid="signed-out">
            You are signed out. This session has ended on the server too.
          </p>
        ) : null}
        <Suspense>
          <LoginForm />
        </Suspense>
      </div>
    </main>
  );
}
