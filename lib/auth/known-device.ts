/**
 * Known devices: after a successful sign-in the browser gets a signed cookie naming the user
 * and a random device id. Sign-in attempts that carry it are throttled under that device's own
 * key only, so someone who knows an email address and fails on purpose slows down sign-ins from
 * *other* browsers but never the owner's usual one. No `server-only`: the tests import it.
 */
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

export const DEVICE_COOKIE = "pairdesk.device";
export const DEVICE_COOKIE_MAX_AGE_S = 180 * 24 * 60 * 60;

export type KnownDevice = { userId: number; deviceId: string };

function mac(secret: string, userId: number, deviceId: string): Buffer {
  return createHmac("sha256", secret).update(`pairdesk-device:${userId}:${deviceId}`).digest();
}

export function issueDeviceToken(secret: string, userId: number, deviceId = randomBytes(16).toString("base64url")): string {
  return `${userId}.${deviceId}.${mac(secret, userId, deviceId).toString("base64url")}`;
}

/** The device a cookie value names, or null when it is absent, malformed or not signed by us. */
export function readDeviceToken(secret: string, token: string | undefined | null): KnownDevice | null {
  if (!token || token.length > 200) return null;
  const m = /^([1-9][0-9]{0,15})\.([A-Za-z0-9_-]{22})\.([A-Za-z0-9_-]{43})$/.exec(token);
  if (!m) return null;
  const userId = Number(m[1]);
  const deviceId = m[2]!;
  const given = Buffer.from(m[3]!, "base64url");
  const expected = mac(secret, userId, deviceId);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, deviceId };
}
