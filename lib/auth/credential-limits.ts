/** Length caps of sign-in fields, checked before any work (hashing, lookups). No imports: client-safe. */

/** The longest email address there can be (RFC 5321). */
export const MAX_EMAIL_LENGTH = 254;
/** No password is longer, so a longer one can be refused before it is hashed. */
export const MAX_PASSWORD_LENGTH = 200;
