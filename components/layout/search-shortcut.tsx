"use client";

import { useEffect } from "react";

/** The page's search box: an `input[type=search]`, or any control marked `data-page-search`. */
const PAGE_SEARCH_SELECTOR = "[data-page-search], input[type=search]";

function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName);
}

/** `/` focuses the page's search box, unless the user is typing in a field or a dialog is open. */
export function SearchShortcut() {
  useEffect(() => {
    function onKeyDown(e: KeyboardEvent) {
      if (e.key !== "/" || e.ctrlKey || e.metaKey || e.altKey || e.defaultPrevented) return;
      if (isTyping(e.target) || document.querySelector("[role=dialog]")) return;
      const search = Array.from(document.querySelectorAll<HTMLElement>(PAGE_SEARCH_SELECTOR)).find(
        (el) => el.offsetParent !== null,
      );
      if (!search) return;
      e.preventDefault();
      search.focus();
      if (search instanceof HTMLInputElement) search.select();
    }
    document.addEventListener("keydown", onKeyDown);
    return () => document.removeEventListener("keydown", onKeyDown);
  }, []);
  return null;
}
