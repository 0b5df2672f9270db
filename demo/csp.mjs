/**
 * Content-Security-Policy headers of the demo's two browser-facing origins. No policy here has
 * 'unsafe-inline' or 'unsafe-eval': every script is a file, every style a stylesheet.
 */

/**
 * Both spellings of a local origin (`http://localhost:P` and `http://127.0.0.1:P`), so the demo
 * works whichever one the visitor types. A real deployment lists its one https origin.
 * @param {string} origin
 */
export function originSources(origin) {
  const url = new URL(origin);
  const out = [url.origin];
  if (url.hostname === 'localhost') out.push(`${url.protocol}//127.0.0.1:${url.port}`);
  else if (url.hostname === '127.0.0.1') out.push(`${url.protocol}//localhost:${url.port}`);
  return out.join(' ');
}

/**
 * Font-CSS providers the frame may link when a merchant passes `fonts: [{ cssSrc }]`
 * (the frame's allow-list in src/frame/fonts.ts).
 */
const FONT_CSS = 'https://fonts.googleapis.com https://fonts.bunny.net https://use.typekit.net';

/**
 * The frame document's policy (served by the CDN origin with /v<version>/frame/*.html).
 * - script-src 'self': only the frame's own script, which card.html also pins with integrity.
 * - connect-src: the vault alone; card data can go nowhere else, even if a bug tried.
 * - frame-ancestors: the merchant origin(s). Production Cardvault frames are embeddable by any
 *   merchant (the publishable key's origin allow-list does the gating); the demo pins its own
 *   merchant to show the directive. Pass '*' to allow any page.
 * - report-uri (test mode only): where the browser reports a violation, so tests in every engine
 *   can assert there were none (demo/test-recorder.mjs).
 * @param {{ vault: string, ancestors: string, report?: string }} o
 */
export function frameCsp({ vault, ancestors, report }) {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' ${FONT_CSS}`,
    `connect-src ${originSources(vault)}`,
    "img-src 'self' data:",
    'font-src https:',
    `frame-ancestors ${ancestors === '*' ? '*' : originSources(ancestors)}`,
    "base-uri 'none'",
    "form-action 'none'",
    ...(report ? [`report-uri ${report}`] : []),
  ].join('; ');
}

/**
 * A merchant page's policy. Card fields live in frames from the CDN origin, so the page itself
 * only talks to its own backend ('self'). Direct mode is the exception: the page calls the vault
 * itself (that is exactly why it is the higher-PCI-scope option).
 * @param {{ cdn: string, vault?: string, report?: string }} o
 */
export function merchantCsp({ cdn, vault, report }) {
  return [
    "default-src 'none'",
    `script-src 'self' ${originSources(cdn)}`,
    `frame-src ${originSources(cdn)}`,
    `connect-src 'self'${vault ? ` ${originSources(vault)}` : ''}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    ...(report ? [`report-uri ${report}`] : []),
  ].join('; ');
}
