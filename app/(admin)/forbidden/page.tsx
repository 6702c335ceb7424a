import Link from "next/link";
import { requirePageUser } from "@/lib/auth";
import { PERMISSIONS, refusal, type Permission } from "@/lib/permissions";

export const metadata = { title: "Not allowed" };

export default async function ForbiddenPage({
  searchParams,
}: {
  searchParams: Promise<{ need?: string }>;
}) {
  const user = await requirePageUser();
  const { need } = await searchParams;
  const message =
    need && need in PERMISSIONS
      ? refusal(user.role, need as Permission)
      : `Your role (${user.role}) cannot open that page.`;
  return (
    <div className="max-w-xl">
      <h1 className="text-2xl font-semibold">Not allowed</h1>
      <p className="mt-2 text-slate-700">{message} Ask an admin if you need it.</p>
      <Link href="/" className="mt-4 inline-block font-medium text-brand-700 underline underline-offset-4">
        Back to the dashboard
      </Link>
    </div>
  );
}
