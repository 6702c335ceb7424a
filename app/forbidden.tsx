import Link from "next/link";
import { getCurrentUser, requestPath } from "@/lib/auth/auth";
import { refusal, routePermission } from "@/lib/auth/permissions";

export const metadata = { title: "Not allowed" };

/** What forbidden() renders, with status 403 when it is thrown before the page streams. */
export default async function Forbidden() {
  const user = await getCurrentUser();
  const permission = routePermission(new URL(await requestPath(), "http://x").pathname);
  const message = !user
    ? "You are not signed in."
    : permission
      ? refusal(user.role, permission)
      : `Your role (${user.role}) cannot open that page.`;
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-brand-700">403</p>
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="text-slate-700">{message} Ask an admin if you need it.</p>
      <Link href="/" className="font-medium text-brand-700 underline underline-offset-4">
        Back to the dashboard
      </Link>
    </main>
  );
}
