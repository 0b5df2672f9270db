// The vault origins a build of the frames may talk to (decision 0009). Read by rollup.config.mjs
// (the frame's code: src/frame/vault-origins.ts) and scripts/build.mjs (the frame document's meta
// CSP connect-src), so both enforce the same list.
//
// CARDVAULT_VAULT_ORIGINS: space- or comma-separated origins. A release build sets it to
// `https://api.cardvault.dev`. Unset, the build is a development build for tests, the demo and the
// bench: every loopback port (their vaults listen on 127.0.0.1 or localhost, often on ports picked
// at run time), and nothing else.

/** Loopback origins, any port: what a development build allows. */
export const DEV_VAULT_ORIGINS = ['http://127.0.0.1:*', 'http://localhost:*'];

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Parses and checks the list: each entry an exact https origin, or an http origin on a loopback
 * host, with an optional `:*` port wildcard (loopback only). Throws on anything else.
 * @param {string | undefined} value
 * @returns {string[]}
 */
export function parseVaultOrigins(value) {
  if (value === undefined || value.trim() === '') return DEV_VAULT_ORIGINS;
  const list = value.split(/[\s,]+/).filter(Boolean);
  for (const entry of list) {
    const wild = entry.endsWith(':*');
    let url;
    try {
      url = new URL(wild ? entry.slice(0, -2) : entry);
    } catch {
      throw new Error(`CARDVAULT_VAULT_ORIGINS: "${entry}" is not an origin`);
    }
    const loopback = LOOPBACK.has(url.hostname);
    const exact = url.origin === (wild ? entry.slice(0, -2) : entry);
    if (!exact || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) || (wild && (!loopback || url.port))) {
      throw new Error(`CARDVAULT_VAULT_ORIGINS: "${entry}" must be an https origin, or a loopback http origin (port or :*)`);
    }
  }
  return list;
}

/**
 * A release build (CARDVAULT_RELEASE=1, what the CDN publishes) must name its vaults, https only:
 * the development default lets a frame post cards to any loopback port of the customer's machine.
 * @param {string | undefined} value CARDVAULT_VAULT_ORIGINS
 * @param {boolean} release
 * @returns {string[]}
 */
export function buildVaultOrigins(value, release) {
  const list = parseVaultOrigins(value);
  if (release && (value === undefined || value.trim() === '' || list.some((o) => !o.startsWith('https://')))) {
    throw new Error('CARDVAULT_VAULT_ORIGINS: a release build (CARDVAULT_RELEASE=1) must list its vaults, https origins only (e.g. https://api.cardvault.dev)');
  }
  return list;
}

/** The list this build uses. */
export const VAULT_ORIGINS = buildVaultOrigins(process.env.CARDVAULT_VAULT_ORIGINS, process.env.CARDVAULT_RELEASE === '1');
