#!/usr/bin/env node
// The trust boundary, checked in the built bundles (not remembered): the merchant-page bundles must
// not contain card-input code, the tokenization path, a network client or direct mode, and no
// bundle may use an HTML/code-injection sink (Trusted Types pages must be able to load us).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRAME_LOCALES } from './frame-locales.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const read = (rel) => readFileSync(join(root, rel), 'utf8');

/** Strings that exist only on the frame / transport / direct side of the boundary. */
const FRAME_ONLY = [
  [/["'`]cc-number["'`]/, 'card-number input (autocomplete token)'],
  [/["'`]cc-csc["'`]/, 'CVC input (autocomplete token)'],
  [/["'`]encrypted_card["'`]/, 'the tokenization request body'],
  [/["'`]idempotency_key["'`]/, 'the tokenization request body'],
  [/\/v1\/tokens/, 'the tokenization endpoint'],
  [/\/v1\/encryption_keys/, 'the encryption key-set fetch'],
  [/["'`]ECDH-ES["'`]/, 'card payload encryption'],
  [/CardvaultDirect/, 'direct mode'],
];
/** No network client on the merchant page: the host only talks to frames. */
const NO_NETWORK = [
  [/\bfetch\s*\(/, 'fetch()'],
  [/XMLHttpRequest/, 'XMLHttpRequest'],
  [/sendBeacon/, 'navigator.sendBeacon'],
  [/new\s+WebSocket/, 'WebSocket'],
];
/** Injection sinks that Trusted Types / a strict CSP would block, in any bundle. */
const NO_SINKS = [
  [/\.innerHTML\s*=/, 'innerHTML assignment'],
  [/\.outerHTML\s*=/, 'outerHTML assignment'],
  [/insertAdjacentHTML/, 'insertAdjacentHTML'],
  [/document\.write/, 'document.write'],
  [/\beval\s*\(/, 'eval()'],
  [/new\s+Function\s*\(/, 'new Function()'],
  [/setTimeout\s*\(\s*["'`]/, 'string setTimeout'],
  [/postMessage\([^)]*,\s*["']\*["']/, "postMessage with target origin '*'"],
];

/** The React bindings exist only in dist/cardvault-react.mjs: never on a script-tag page. */
const REACT_ONLY = [
  [/["'`]CardvaultContext["'`]/, "the React provider's context"],
  [/["'`]useElements["'`]/, 'the React hooks'],
  [/provider_missing/, "the React bindings' error code"],
  [/\bfrom\s*["']react["']|require\(["']react["']\)/, 'an import of React'],
  [/Symbol\.for\(["']react\./, "React's own code"],
];
/**
 * The bindings are thin: they reach the SDK through the ESM package (an import, not a copy), so
 * they hold no frame, no handshake and no transport of their own, and React stays external.
 */
const NOT_IN_REACT = [
  [/postMessage/, 'postMessage (the frame protocol)'],
  [/MessageChannel/, 'MessageChannel (the handshake)'],
  [/["'`]iframe["'`]/, 'iframe creation'],
  [/["'`]cardvault-(?:frame|direct)/, 'frame or direct-mode code'],
  [/Symbol\.for\(["']react\./, "React's own code (React must stay external)"],
];
const REACT_BUNDLE = 'dist/cardvault-react.mjs';

const HOST_BUNDLES = ['dist/cardvault.js', 'dist/cardvault.min.js', 'dist/cardvault.mjs'];
/** One frame bundle per locale (rollup.config.mjs): each is checked. */
const FRAME_BUNDLES = FRAME_LOCALES.map((l) => `dist/frame/cardvault-frame.${l}.js`);
const ALL_BUNDLES = [...HOST_BUNDLES, ...FRAME_BUNDLES, 'dist/cardvault-direct.js', 'dist/cardvault-direct.mjs', REACT_BUNDLE];
/** Script-tag bundles: the host and direct mode's. */
const SCRIPT_TAG_BUNDLES = ['dist/cardvault.js', 'dist/cardvault.min.js', 'dist/cardvault-direct.js', 'dist/cardvault-direct.min.js'];

const problems = [];
for (const file of HOST_BUNDLES) {
  const code = read(file);
  for (const [re, what] of FRAME_ONLY) if (re.test(code)) problems.push(`${file} contains ${what} (${re})`);
  for (const [re, what] of NO_NETWORK) if (re.test(code)) problems.push(`${file} contains ${what}`);
}
for (const file of ALL_BUNDLES) {
  const code = read(file);
  for (const [re, what] of NO_SINKS) if (re.test(code)) problems.push(`${file} contains ${what}`);
}
for (const file of [...SCRIPT_TAG_BUNDLES, ...FRAME_BUNDLES]) {
  const code = read(file);
  for (const [re, what] of REACT_ONLY) if (re.test(code)) problems.push(`${file} contains ${what} (${re})`);
}
// The ESM packages carry the bindings' error code in their catalogue, and nothing else of them.
for (const file of ['dist/cardvault.mjs', 'dist/cardvault-direct.mjs']) {
  const code = read(file);
  for (const [re, what] of REACT_ONLY.filter(([, w]) => !w.includes('error code'))) if (re.test(code)) problems.push(`${file} contains ${what} (${re})`);
}
const react = read(REACT_BUNDLE);
for (const [re, what] of [...FRAME_ONLY, ...NO_NETWORK, ...NOT_IN_REACT]) if (re.test(react)) problems.push(`${REACT_BUNDLE} contains ${what} (${re})`);
// The markers must be where they belong, or the checks above prove nothing.
for (const [re, what] of REACT_ONLY.slice(0, 4)) if (!re.test(react)) problems.push(`${REACT_BUNDLE} lacks ${what} (${re}): the React markers are stale`);
if (!/\bfrom\s*["']\.\/cardvault\.mjs["']/.test(react)) problems.push(`${REACT_BUNDLE} does not import ./cardvault.mjs: the SDK must be imported, not copied`);
// The frame must actually carry the tokenization path, or the checks above prove nothing.
for (const file of FRAME_BUNDLES) {
  const frame = read(file);
  for (const [re, what] of FRAME_ONLY.slice(0, 7)) {
    if (!re.test(frame)) problems.push(`${file} lacks ${what} (${re}): the boundary markers are stale`);
  }
}

if (problems.length) {
  console.error(`boundary check failed:\n  ${problems.join('\n  ')}`);
  process.exit(1);
}
console.log(`boundary check: ${HOST_BUNDLES.length} host bundles free of frame, transport and direct-mode code; ${SCRIPT_TAG_BUNDLES.length + FRAME_BUNDLES.length} script-tag and frame bundles free of the React bindings; the React bindings free of frame, transport and React code; no injection sinks in ${ALL_BUNDLES.length} bundles`);
