/**
 * Credential binding of a group of card frames.
 *
 * Why: a skimming script on the merchant page can read a frame's group id from its `src` and
 * inject a frame of its own into that group. Without a binding, its frame could gather the
 * customer's card from the merchant's frames and tokenize it with the attacker's key: the card
 * still goes only to the vault (the frame CSP's connect-src), but the token lands in the
 * attacker's account, where their secret key can charge it. So every frame binds to the
 * credential it was connected with, and the tokenizing frame gathers only siblings bound to the
 * credential it tokenizes for: a publishable key binds by its value, a client token by the
 * account it names (its `sub` claim; the vault verifies the signature, the frame only compares).
 * A client-token *function* is unknown at connect: such a group binds on its first tokenization.
 */
import type { WireCredential } from '../protocol/messages';

/** The binding a credential implies: `pk:<key>` or `acct:<account>` (or the whole token if unreadable). */
export function bindingOf(credential: WireCredential | undefined): string | null {
  if (!credential || typeof credential.value !== 'string') return null;
  if (credential.kind === 'key') return `pk:${credential.value}`;
  try {
    const payload = credential.value.split('.')[1] ?? '';
    const claims = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown };
    if (typeof claims.sub === 'string' && claims.sub) return `acct:${claims.sub}`;
  } catch {
    // Not a readable JWS: bind to the token itself (the vault will refuse it anyway).
  }
  // Without its signature, as the fragment carries it, so both forms bind alike.
  return `ct:${credential.value.replace(/\.[^.]*$/, '')}`;
}

/** The credential of the fragment's `cred` (a publishable key, or a client token without its signature). */
export function fragmentCredential(cred: string): WireCredential | undefined {
  return cred ? { kind: cred.startsWith('pk_') ? 'key' : 'client_token', value: cred } : undefined;
}
