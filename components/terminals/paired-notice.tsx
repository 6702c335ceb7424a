"use client";

import { useEffect } from "react";
import { Alert } from "@/components/ui/alert";

/**
 * "Terminal paired", once. The pairing form redirects to `?paired=<pairing id>`; this drops the
 * parameter from the address at once (history.replaceState, which the App Router follows
 * without refetching the page), so a reload, an unpair's refresh or a bookmark does not show
 * the notice again. The page renders it only for a pairing that is still active.
 */
export function PairedNotice({ name, hasWebhookSecret }: { name: string; hasWebhookSecret: boolean }) {
  useEffect(() => {
    // After the current commit's effects: on a full page load the App Router starts following
    // history.replaceState in its own effect, which runs after this one.
    const timer = setTimeout(() => {
      const url = new URL(window.location.href);
      if (!url.searchParams.has("paired")) return;
      url.searchParams.delete("paired");
      // `null`, not history.state: the router ignores calls that carry its own state.
      window.history.replaceState(null, "", `${url.pathname}${url.search}${url.hash}`);
    }, 0);
    return () => clearTimeout(timer);
  }, []);
  return (
    <Alert tone="success" title="Terminal paired" className="mb-6" data-testid="paired-notice">
      “{name}” is paired. Its credentials (client secret{hasWebhookSecret ? " and webhook secret key" : ""}) are stored
      encrypted in the vault; Pay-Connect will not show them again.
    </Alert>
  );
}
