/**
 * The vault origins this build of the frames may talk to, fixed at build time (decision 0009):
 * rollup writes scripts/vault-origins.mjs's list here, and scripts/build.mjs writes the same list
 * into the frame document's meta CSP `connect-src`. An entry is an exact origin, or a loopback
 * origin with any port (`http://127.0.0.1:*`, development builds only).
 */
declare const __CARDVAULT_VAULT_ORIGINS__: readonly string[];

/**
 * True when `apiBase` (an http(s) URL) is on one of the build's vault origins.
 * @example isOurVault('https://api.cardvault.dev/v1') // true in a release build
 */
export function isOurVault(apiBase: string): boolean {
  let origin: string;
  try {
    origin = new URL(apiBase).origin;
  } catch {
    return false;
  }
  // Card data (encrypted) goes to the API base: only a listed origin, whatever the host says.
  return __CARDVAULT_VAULT_ORIGINS__.some((o) => o === origin || (o.endsWith(':*') && origin.startsWith(o.slice(0, -1)) && /^\d+$/.test(origin.slice(o.length - 1))));
}
