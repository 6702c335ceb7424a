import { Providers } from "@/components/providers";

/** The simulator's pages poll through TanStack Query, as the back office does. */
export default function SimulatorLayout({ children }: { children: React.ReactNode }) {
  return <Providers>{children}</Providers>;
}
