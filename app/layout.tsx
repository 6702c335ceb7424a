import type { Metadata } from "next";
import { headers } from "next/headers";
import { SimulatorBanner } from "@/components/layout/simulator-banner";
import { ThemeProvider } from "@/components/layout/theme-provider";
import { getEnv } from "@/lib/env";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Pairdesk", template: "%s · Pairdesk" },
  description: "Back office for payment-terminal pairing",
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: React.ReactNode }) {
  // The proxy puts the request's CSP nonce here; the theme script before first paint needs it.
  const nonce = (await headers()).get("x-nonce") ?? undefined;
  const simulator = getEnv().simulator.enabled;
  return (
    // next-themes sets the theme class on <html> before React hydrates.
    <html lang="en" suppressHydrationWarning>
      <body
        className="flex min-h-screen flex-col font-sans"
        style={simulator ? ({ "--banner-h": "2rem" } as React.CSSProperties) : undefined}
      >
        <ThemeProvider nonce={nonce}>
          {simulator ? <SimulatorBanner /> : null}
          {children}
        </ThemeProvider>
      </body>
    </html>
  );
}
