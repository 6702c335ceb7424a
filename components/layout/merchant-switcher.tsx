"use client";

import { AlertTriangle, Check, ChevronsUpDown, Store } from "lucide-react";
import Link from "next/link";
import { usePathname, useSearchParams } from "next/navigation";
import { useEffect, useId, useRef, useState } from "react";
import {
  matchMerchants,
  parseMerchantId,
  switchMerchantHref,
  type MerchantChoice,
} from "@/lib/lists/merchant-links";
import { cn } from "@/lib/utils";

/** More merchants than this and the switcher shows a box to find one by name. */
const SEARCH_FROM = 8;
/** Choices listed at once; typing narrows the rest. */
const SHOWN_AT_MOST = 100;

const ALL_MERCHANTS = "All merchants";
const UNKNOWN_MERCHANT = "Unknown merchant";

/** The switcher's choice in the URL, read in the browser: the chosen merchant, or all, or an id that names none. */
function useMerchantChoice(merchants: readonly MerchantChoice[]) {
  const searchParams = useSearchParams();
  const id = parseMerchantId(searchParams.get("merchant"));
  const chosen = id === null ? null : (merchants.find((m) => m.id === id) ?? null);
  const label = id === null ? ALL_MERCHANTS : chosen ? chosen.name : UNKNOWN_MERCHANT;
  return { id, chosen, label, unknown: id !== null && chosen === null };
}

/**
 * Staff's merchant switcher: "All merchants" or one merchant, kept in the URL as `?merchant=<id>`.
 * A button opens a list of links (each one the current page for that merchant, back to page 1),
 * with a box to find a merchant by name when there are many. Suspended merchants are marked. An id
 * that names no merchant shows as "Unknown merchant", with a link back to all.
 *
 * `bar`: the phone's top bar (the list opens under the bar); `sidebar`: the desktop sidebar.
 */
export function MerchantSwitcher({
  merchants,
  variant,
}: {
  merchants: readonly MerchantChoice[];
  variant: "sidebar" | "bar";
}) {
  const pathname = usePathname();
  const searchParams = useSearchParams();
  const search = searchParams.toString();
  const { id, chosen, label, unknown } = useMerchantChoice(merchants);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState("");
  const panelId = useId();
  const inputId = useId();
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLDivElement>(null);
  const [shownFor, setShownFor] = useState(`${pathname}?${search}`);
  if (shownFor !== `${pathname}?${search}`) {
    // A choice was made (or Back): the list closes and forgets what was typed.
    setShownFor(`${pathname}?${search}`);
    setOpen(false);
    setText("");
  }

  useEffect(() => {
    if (!open) return;
    function onPointerDown(e: PointerEvent) {
      if (rootRef.current && e.target instanceof Node && !rootRef.current.contains(e.target)) setOpen(false);
    }
    document.addEventListener("pointerdown", onPointerDown);
    return () => document.removeEventListener("pointerdown", onPointerDown);
  }, [open]);

  useEffect(() => {
    if (!open) return;
    const first = panelRef.current?.querySelector<HTMLElement>("input, a");
    first?.focus();
  }, [open]);

  const searchable = merchants.length > SEARCH_FROM;
  const { shown, more } = matchMerchants(merchants, searchable ? text : "", SHOWN_AT_MOST);

  function onPanelKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    if (e.key === "Escape") {
      e.preventDefault();
      setOpen(false);
      buttonRef.current?.focus();
      return;
    }
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    const links = Array.from(panelRef.current?.querySelectorAll<HTMLElement>("a[data-merchant-choice]") ?? []);
    if (links.length === 0) return;
    e.preventDefault();
    const at = links.indexOf(document.activeElement as HTMLElement);
    const next =
      e.key === "ArrowDown" ? links[Math.min(at + 1, links.length - 1)] : at <= 0 ? null : links[at - 1];
    if (next) next.focus();
    else panelRef.current?.querySelector<HTMLElement>("input")?.focus();
  }

  const choiceClass =
    "flex items-center gap-2 rounded px-2 py-1.5 text-sm text-shell-strong hover:bg-shell focus:bg-shell focus:outline-none focus-visible:ring-2 focus-visible:ring-shell-accent";
  const check = (on: boolean) => (
    <Check aria-hidden className={cn("size-4 shrink-0", on ? "text-shell-accent" : "invisible")} />
  );

  return (
    <div
      ref={rootRef}
      className={cn(variant === "sidebar" ? "relative" : "min-w-0 flex-1")}
      data-testid={`merchant-switcher-${variant}`}
    >
      <button
        ref={buttonRef}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((o) => !o)}
        className={cn(
          "flex w-full min-w-0 items-center gap-2 rounded-md text-left text-sm text-shell-strong hover:bg-shell-raised focus:outline-none focus-visible:ring-2 focus-visible:ring-shell-accent",
          variant === "sidebar" ? "bg-shell-raised/60 px-3 py-2 ring-1 ring-inset ring-shell-line" : "px-2 py-1.5",
        )}
      >
        {unknown ? (
          <AlertTriangle aria-hidden className="size-4 shrink-0 text-amber-300" />
        ) : (
          <Store aria-hidden className="size-4 shrink-0 text-shell-accent" />
        )}
        <span className="min-w-0 flex-1">
          {variant === "sidebar" ? (
            <span className="block text-xs text-shell-muted" aria-hidden>
              Merchant
            </span>
          ) : null}
          <span className="sr-only">Merchant: </span>
          <span className="block truncate font-medium" data-testid="merchant-choice">
            {label}
          </span>
          {chosen?.status === "suspended" ? (
            // The caution pair (the simulator banner's): readable in light and dark alike.
            <span className="mt-0.5 inline-block rounded-full bg-caution px-1.5 text-xs font-medium text-caution-ink">Suspended</span>
          ) : null}
        </span>
        <ChevronsUpDown aria-hidden className="size-4 shrink-0 text-shell-muted" />
      </button>
      <div
        ref={panelRef}
        id={panelId}
        hidden={!open}
        onKeyDown={onPanelKeyDown}
        className={cn(
          "z-50 rounded-md bg-shell-raised p-2 text-shell-strong shadow-xl ring-1 ring-shell-line",
          variant === "sidebar" ? "absolute inset-x-0 top-full mt-1" : "absolute inset-x-2 top-full mt-1",
        )}
      >
        {searchable ? (
          <div className="mb-2">
            <label htmlFor={inputId} className="sr-only">
              Find a merchant
            </label>
            <input
              id={inputId}
              type="text"
              value={text}
              onChange={(e) => setText(e.target.value)}
              placeholder={`Find a merchant (${merchants.length})`}
              autoComplete="off"
              maxLength={100}
              className="block w-full rounded-md border border-shell-line bg-shell px-2.5 py-1.5 text-sm text-shell-strong placeholder:text-shell-muted focus:outline-none focus:ring-2 focus:ring-shell-accent"
            />
          </div>
        ) : null}
        <ul aria-label="Merchants" className="max-h-[min(20rem,60dvh)] space-y-0.5 overflow-y-auto">
          <li>
            <Link
              href={switchMerchantHref(pathname, search, null)}
              data-merchant-choice=""
              aria-current={id === null ? "true" : undefined}
              className={choiceClass}
            >
              {check(id === null)}
              {ALL_MERCHANTS}
            </Link>
          </li>
          {shown.map((m) => (
            <li key={m.id}>
              <Link
                href={switchMerchantHref(pathname, search, m.id)}
                data-merchant-choice=""
                aria-current={m.id === id ? "true" : undefined}
                className={choiceClass}
              >
                {check(m.id === id)}
                <span className="min-w-0 flex-1 truncate" title={m.name}>
                  {m.name}
                </span>
                {m.status === "suspended" ? (
                  <span className="shrink-0 rounded-full bg-caution px-1.5 text-xs font-medium text-caution-ink">
                    suspended
                  </span>
                ) : null}
              </Link>
            </li>
          ))}
        </ul>
        {shown.length === 0 ? <p className="px-2 py-1.5 text-sm text-shell-muted">No merchant matches.</p> : null}
        {more > 0 ? (
          <p className="px-2 pt-1.5 text-xs text-shell-muted">
            {more} more: type part of a name to find one.
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** Above the page, for staff: an id that names no merchant, and the way back to all merchants. */
export function UnknownMerchantNotice({ merchants }: { merchants: readonly MerchantChoice[] }) {
  const pathname = usePathname();
  const search = useSearchParams().toString();
  const { unknown } = useMerchantChoice(merchants);
  if (!unknown) return null;
  return (
    <div role="status" className="mb-4 flex flex-wrap items-center justify-between gap-x-3 gap-y-1 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900" data-testid="unknown-merchant">
      <span>No merchant has the id in this address, so nothing is shown.</span>
      <Link href={switchMerchantHref(pathname, search, null)} className="shrink-0 font-medium underline underline-offset-2">
        Show all merchants
      </Link>
    </div>
  );
}
