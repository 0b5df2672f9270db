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

const HOST_BUNDLES = ['dist/cardvault.js', 'dist/cardvault.min.js', 'dist/cardvault.mjs'];
/** One frame bundle per locale (rollup.config.mjs): each is checked. */
const FRAME_BUNDLES = FRAME_LOCALES.map((l) => `dist/frame/cardvault-frame.${l}.js`);
const ALL_BUNDLES = [...HOST_BUNDLES, ...FRAME_BUNDLES, 'dist/cardvault-direct.js', 'dist/cardvault-direct.mjs'];

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
console.log(`boundary check: ${HOST_BUNDLES.length} host bundles free of frame, transport and direct-mode code; no injection sinks in ${ALL_BUNDLES.length} bundles`);
