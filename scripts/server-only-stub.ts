/**
 * For operator scripts that run app modules in plain Node: lib modules import `server-only`
 * (which throws outside the `react-server` condition) and, through lib/auth, `next/navigation`
 * (whose client build cannot load under `react-server`). Neither does anything the scripts use,
 * so both are stubbed for this process. Import this first, then import the app modules
 * dynamically (`await import(...)`), after the hook is registered.
 */
import { register } from "node:module";

const STUBS = `
const stubs = {
  "server-only": "export {};",
  "next/navigation": "export function redirect(to) { throw new Error('redirect to ' + to); }" +
    "export function notFound() { throw new Error('not found'); }" +
    "export function forbidden() { throw new Error('forbidden'); }",
};
export async function resolve(specifier, context, next) {
  if (specifier in stubs) {
    return { url: "data:text/javascript," + encodeURIComponent(stubs[specifier]), shortCircuit: true };
  }
  return next(specifier, context);
}`;
register(`data:text/javascript,${encodeURIComponent(STUBS)}`);
