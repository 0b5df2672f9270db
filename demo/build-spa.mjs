#!/usr/bin/env node
/**
 * Bundles the demo's single-page apps with rollup's JS API, the way a merchant's own build would
 * consume the npm package:
 * - `/spa` (demo/spa/main.js) imports `cardvault`;
 * - `/react` (demo/react/main.js) imports `cardvault`, `cardvault/react` and React, which is
 *   bundled in (CommonJS converted, `process.env.NODE_ENV` set to production).
 * `cardvault` resolves to dist/cardvault.mjs and `cardvault/react` to dist/cardvault-react.mjs
 * (what `npm install cardvault` gives a merchant; the bindings import the former, so the app holds
 * one copy of the SDK), so `npm run build` must have run first.
 *
 * `node demo/build-spa.mjs` writes demo/.build/spa.js and demo/.build/react.js; start.mjs calls
 * buildSpa() and buildReactApp() and serves the bundles from memory.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import commonjs from '@rollup/plugin-commonjs';
import resolve from '@rollup/plugin-node-resolve';
import replace from '@rollup/plugin-replace';
import { rollup } from 'rollup';

const here = dirname(fileURLToPath(import.meta.url));
const PACKAGE = {
  cardvault: join(here, '..', 'dist', 'cardvault.mjs'),
  'cardvault/react': join(here, '..', 'dist', 'cardvault-react.mjs'),
};

/** A tiny alias plugin: `import … from 'cardvault'` (or `cardvault/react`) -> the built package. */
const cardvaultPackage = () => ({
  name: 'cardvault-package',
  resolveId(source) {
    return PACKAGE[/** @type {keyof typeof PACKAGE} */ (source)] ?? null;
  },
});

/**
 * @param {string} input @param {string} banner @param {import('rollup').Plugin[]} plugins
 * @returns {Promise<string>} the bundle, an ES module served with `<script type="module">`
 */
async function bundle(input, banner, plugins = []) {
  for (const file of Object.values(PACKAGE)) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first.`);
  const build = await rollup({
    input: join(here, input),
    plugins: [cardvaultPackage(), ...plugins],
    onwarn(warning, warn) {
      if (warning.code !== 'CIRCULAR_DEPENDENCY') warn(warning);
    },
  });
  try {
    const { output } = await build.generate({ format: 'es', banner });
    return output[0].code;
  } finally {
    await build.close();
  }
}

/** Bundles `/spa` and returns its code. */
export function buildSpa() {
  return bundle('spa/main.js', '/* Cardvault demo SPA — built by demo/build-spa.mjs */');
}

/** Bundles `/react`, React included, and returns its code. */
export function buildReactApp() {
  return bundle('react/main.js', '/* Cardvault demo React checkout — built by demo/build-spa.mjs; includes React (MIT) */', [
    replace({ preventAssignment: true, values: { 'process.env.NODE_ENV': JSON.stringify('production') } }),
    resolve({ browser: true }),
    commonjs(),
  ]);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const [name, build] of [['spa', buildSpa], ['react', buildReactApp]]) {
    const out = join(here, '.build', `${name}.js`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, await build());
    console.log(`wrote ${out}`);
  }
}
