#!/usr/bin/env node
/**
 * Bundles the /spa page (demo/spa/main.js) with rollup's JS API, the way a merchant's own build
 * would consume the `cardvault` ESM package. `cardvault` resolves to dist/cardvault.mjs (what
 * `npm install cardvault` gives a merchant), so `npm run build` must have run first.
 *
 * `node demo/build-spa.mjs` writes demo/.build/spa.js; start.mjs calls buildSpa() and serves the
 * bundle from memory.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rollup } from 'rollup';

const here = dirname(fileURLToPath(import.meta.url));
const ESM_PACKAGE = join(here, '..', 'dist', 'cardvault.mjs');

/** A tiny alias plugin: `import … from 'cardvault'` -> the built ESM package. */
const cardvaultPackage = () => ({
  name: 'cardvault-package',
  resolveId(source) {
    return source === 'cardvault' ? ESM_PACKAGE : null;
  },
});

/**
 * Bundles the SPA and returns its code (an ES module, served with `<script type="module">`).
 * @returns {Promise<string>}
 */
export async function buildSpa() {
  if (!existsSync(ESM_PACKAGE)) throw new Error('dist/cardvault.mjs is missing: run `npm run build` first.');
  const bundle = await rollup({
    input: join(here, 'spa', 'main.js'),
    plugins: [cardvaultPackage()],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  try {
    const { output } = await bundle.generate({ format: 'es', banner: '/* Cardvault demo SPA — built by demo/build-spa.mjs */' });
    return output[0].code;
  } finally {
    await bundle.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const out = join(here, '.build', 'spa.js');
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, await buildSpa());
  console.log(`wrote ${out}`);
}
