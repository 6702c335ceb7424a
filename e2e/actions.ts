/**
 * Calling a server action the way a hostile client would: straight over HTTP with the signed-in
 * user's cookies, bypassing the UI that hides it. The action id comes from the build's manifest.
 */
import type { Page } from "@playwright/test";
import fs from "node:fs";
import path from "node:path";

type Manifest = { node: Record<string, { exportedName?: string; filename?: string }> };

export function actionId(exportedName: string): string {
  const manifest = JSON.parse(
    fs.readFileSync(path.resolve(".next/server/server-reference-manifest.json"), "utf8"),
  ) as Manifest;
  const hit = Object.entries(manifest.node).find(([, v]) => v.exportedName === exportedName);
  if (!hit) throw new Error(`no server action named ${exportedName} in the build`);
  return hit[0];
}

/**
 * Invokes a `(prevState, formData)` action with the page's session; returns the RSC text.
 * Encoded as React 19.3's client does: the FormData argument's fields are `_1_<name>` and come
 * before the root field "0" (which the server parses as soon as it arrives).
 */
export async function callAction(page: Page, pathname: string, exportedName: string, fields: Record<string, string>) {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(`_1_${k}`, v);
  form.append("0", JSON.stringify(["$undefined", "$K1"]));
  const res = await page.request.fetch(pathname, {
    method: "POST",
    headers: { "Next-Action": actionId(exportedName), Accept: "text/x-component" },
    multipart: form,
  });
  // A redirect() in the action answers 200 with the target named in x-action-redirect.
  return { status: res.status(), redirect: res.headers()["x-action-redirect"] ?? null, text: await res.text() };
}
