import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto flex min-h-screen max-w-lg flex-col items-center justify-center gap-4 p-8 text-center">
      <p className="text-sm font-semibold text-brand-700">404</p>
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="text-slate-600">The page you asked for does not exist, or it was removed.</p>
      <Link href="/" className="font-medium text-brand-700 underline underline-offset-4">
        Back to the dashboard
      </Link>
    </main>
  );
}
