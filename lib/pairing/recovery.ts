import "server-only";

export function listRecoverySpool(): string[] {
  return [];
}
