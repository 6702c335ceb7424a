"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";

/**
 * Re-renders the server component page every `intervalMs` while the tab is visible, so that the
 * terminal screen shows a pairing made from Pairdesk without a manual reload. A TanStack query,
 * as every poll in the app is: its fetch is the page's refresh (the screens are the server's
 * render, with the side effects that render has: overdue payments expire, held webhooks resume).
 * It pauses in a hidden tab (`refetchIntervalInBackground: false`), and the first render needs
 * no refresh of its own (it is fresh: `initialData`, never stale).
 */
export function AutoRefresh({ intervalMs = 3000 }: { intervalMs?: number }) {
  const router = useRouter();
  useQuery({
    queryKey: ["simulator-page", intervalMs],
    queryFn: () => {
      router.refresh();
      return Date.now();
    },
    initialData: 0,
    staleTime: Number.POSITIVE_INFINITY,
    refetchInterval: intervalMs,
    refetchIntervalInBackground: false,
  });
  return null;
}
