// Builds every shipped bundle. One entry file per bundle lives in src/entries/.
import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { parse } from 'acorn';
import MagicString from 'magic-string';
import { FRAME_LOCALES } from './scripts/frame-locales.mjs';
import { VAULT_ORIGINS } from './scripts/vault-origins.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! Cardvault v${pkg.version} | MIT */`;

/**
 * Replaces the build-time constants; a tiny plugin so the version comes from package.json only,
 * and the frame's vault origins from scripts/vault-origins.mjs only (decision 0009).
 */
function defineVersion() {
  return {
    name: 'cardvault-define-version',
    transform(code) {
      if (!code.includes('__CARDVAULT_VERSION__') && !code.includes('__CARDVAULT_VAULT_ORIGINS__')) return null;
      return { code: code.replaceAll('__CARDVAULT_VERSION__', JSON.stringify(pkg.version)).replaceAll('__CARDVAULT_VAULT_ORIGINS__', JSON.stringify(VAULT_ORIGINS)), map: null };
    },
  };
}

/**
 * Trims the error catalogue to what a browser bundle can show. `bundle` is:
 * - `esm`: the ESM packages export CATALOGUE, so they keep every entry whole except the messages
 *   of vault-only codes (VAULT_ENTRIES), which always arrive with the vault's own message;
 * - `iife`: the script-tag bundles never expose CATALOGUE, only errors' type, code and message:
 *   they also drop every entry's `fix` and `status`, and the React bindings' codes
 *   (REACT_ENTRIES: the bindings are never in a script-tag bundle);
 * - `frame`: keeps only the set of codes (every entry's `type`, `fix`, `status` and message go, and
 *   the React codes): the frame's errors travel to the host as codes and the host's copy supplies
 *   the rest (CardvaultError.fromJSON recomputes them from the code); customer-facing text comes
 *   from src/frame/locales.ts.
 * - `host`: the script-tag host bundle is `iife` without validation_error messages: the host never
 *   raises those codes, and the frame sends each one with its message in the customer's language.
 * Fails the build if an entry in scope is left unrewritten.
 */
function trimCatalogue(bundle) {
  const ENTRY = /entry\(('[a-z_]+'), ('[a-z]+', \d+), ('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\)/g;
  return {
    name: 'cardvault-trim-catalogue',
    transform(code, id) {
      if (!id.endsWith('/src/errors/catalogue.ts')) return null;
      let calls = 0;
      let replaced = 0;
      /** Rewrites the entries of one section (`const NAME = {` up to its closing line) with `fn`; null drops them. */
      const rewrite = (text, name, fn) => {
        const open = `const ${name} = {`;
        const from = text.indexOf(open) + open.length;
        // The object ends at the first line that starts with '}' ('} as const …' in TS, '};' in JS).
        const end = text.slice(from).search(/\n\}/);
        if (from < open.length || end < 0) this.error(`catalogue: ${name} not found`);
        const part = text.slice(from, from + end);
        calls += (part.match(/: entry\(/g) ?? []).length;
        const out = part.replace(ENTRY, (_m, type, fixAndStatus, message) => {
          replaced++;
          return fn ? fn(type, fixAndStatus, message) : '';
        });
        return text.slice(0, from) + (fn ? out : '') + text.slice(from + end);
      };
      let out;
      if (bundle === 'esm') {
        out = rewrite(code, 'VAULT_ENTRIES', (type, fixAndStatus) => `entry(${type}, ${fixAndStatus}, '')`);
      } else {
        const lean = bundle === 'frame' ? () => 'entry()' : (type, _fs, message) => `entry(${type}, 0, 0, ${bundle === 'host' && type === "'validation_error'" ? "''" : message})`;
        out = rewrite(code, 'REACT_ENTRIES', null);
        out = rewrite(out, 'SDK_ENTRIES', lean);
        out = rewrite(out, 'VAULT_ENTRIES', (type) => lean(type, '', `''`));
      }
      if (replaced !== calls || calls === 0) this.error(`catalogue: rewrote ${replaced} of ${calls} entries; keep each entry on one line as entry('type', 'fix', status, 'message')`);
      return { code: out, map: null };
    },
  };
}

/**
 * The frame is built in two passes, so that 22 locales do not mean 22 TypeScript builds:
 * 1. `frameCore`: the frame, compiled and minified once, to .tmp/frame/ as an ES module whose
 *    only import is `cardvault:frame-locale`, the strings (src/frame/locales.ts imports
 *    ./locales/index, every locale, for tests and typechecks; the build leaves it external);
 * 2. `frameOfLocale(locale)`, per locale: that module with the import resolved to the locale's
 *    strings only, as the IIFE the frame document loads (sourcemaps chained back to src/).
 * A customer's frame then downloads its own language only; the host picks the document of its
 * locale (decision 0003).
 */
const FRAME_CORE = fileURLToPath(new URL('./.tmp/frame/cardvault-frame.core.mjs', import.meta.url));
const LOCALE_MODULE = 'cardvault:frame-locale';

function frameCore() {
  return {
    name: 'cardvault-frame-core',
    resolveId(source, importer) {
      if (source !== './locales/index' || !importer?.endsWith('/src/frame/locales.ts')) return null;
      return { id: LOCALE_MODULE, external: true };
    },
  };
}

/** The `|`-separated strings of src/frame/locales/<locale>.ts: string literals joined with `+`, nothing else. */
function localeText(locale) {
  const file = fileURLToPath(new URL(`./src/frame/locales/${locale}.ts`, import.meta.url));
  if (!existsSync(file)) throw new Error(`frame locale ${locale} has no src/frame/locales/${locale}.ts`);
  const program = parse(readFileSync(file, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' });
  const value = (node) => {
    if (node?.type === 'Literal' && typeof node.value === 'string') return node.value;
    if (node?.type === 'BinaryExpression' && node.operator === '+') return value(node.left) + value(node.right);
    throw new Error(`${file}: the default export must be string literals joined with +`);
  };
  return value(program.body.find((n) => n.type === 'ExportDefaultDeclaration')?.declaration);
}

function frameOfLocale(locale) {
  const ID = `\0${LOCALE_MODULE}`;
  return {
    name: 'cardvault-frame-of-locale',
    resolveId(source) {
      return source === LOCALE_MODULE ? ID : null;
    },
    load(id) {
      if (id === ID) return `export default ${JSON.stringify({ [locale]: localeText(locale) })};`;
      if (id === FRAME_CORE) return { code: readFileSync(id, 'utf8'), map: readFileSync(`${id}.map`, 'utf8') };
      return null;
    },
  };
}

/** Removes `message: '…'` or `message: \`…\`` (with one adjacent comma) from an init object literal. */
function removeMessageLiteral(s, init) {
  if (init?.type !== 'ObjectExpression') return;
  const props = init.properties;
  props.forEach((p, i) => {
    const isLiteral = p.value?.type === 'Literal' || p.value?.type === 'TemplateLiteral';
    if (p.type !== 'Property' || p.computed || p.key.type !== 'Identifier' || p.key.name !== 'message' || !isLiteral) return;
    if (i < props.length - 1) s.remove(p.start, props[i + 1].start);
    else if (i > 0) s.remove(props[i - 1].end, p.end);
    else s.remove(p.start, init.end - 1); // the only property, and a trailing comma if any
  });
}

/**
 * A transform that walks each module's syntax tree and lets `edit` rewrite nodes. acorn, not
 * this.parse: its positions are UTF-16 offsets, as MagicString expects. Runs on the compiled
 * JavaScript (after the TypeScript plugin).
 */
function astPass(name, wants, edit) {
  return {
    name,
    transform(code, id) {
      if (!wants(code, id)) return null;
      const s = new MagicString(code);
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        edit(s, node);
        for (const value of Object.values(node)) {
          if (Array.isArray(value)) value.forEach(visit);
          else if (value && typeof value === 'object') visit(value);
        }
      };
      visit(parse(code, { ecmaVersion: 'latest', sourceType: 'module' }));
      return s.hasChanged() ? { code: s.toString(), map: s.generateMap({ hires: true }) } : null;
    },
  };
}

/**
 * Frame bundles only: drops the developer-facing message literals given to `new CardvaultError(code,
 * { message: '…' })`. The frame's errors reach the merchant only through the host, which fills an
 * empty message from its own catalogue (CardvaultError.fromJSON), so these strings were dead weight
 * in every frame. Customer-facing messages (`message: t(locale, code)`) are calls, not literals,
 * and stay.
 */
const stripErrorMessageLiterals = () =>
  astPass(
    'cardvault-strip-error-message-literals',
    (code, id) => id.includes('/src/') && code.includes('CardvaultError('),
    (s, node) => {
      if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'CardvaultError') removeMessageLiteral(s, node.arguments[1]);
    },
  );

/**
 * Frame bundles only: drops the reason strings of the style and font sanitisers' `rejected` lists
 * (`reject(path, 'reason')` calls in src/frame/), which only the unit tests read (they test the
 * source); the frame applies what was accepted and never reports what was not.
 */
const stripRejectionReasons = () =>
  astPass(
    'cardvault-strip-rejection-reasons',
    (code, id) => id.includes('/src/frame/') && code.includes('reject('),
    (s, node) => {
      const reason = node.type === 'CallExpression' && node.callee.type === 'Identifier' && node.callee.name === 'reject' ? node.arguments[1] : undefined;
      if (reason && ((reason.type === 'Literal' && typeof reason.value === 'string') || reason.type === 'TemplateLiteral')) s.overwrite(reason.start, reason.end, "''");
    },
  );

const ts = (tsconfig) =>
  typescript({
    tsconfig,
    compilerOptions: { noEmit: false, declaration: false, declarationDir: undefined, sourceMap: true, outDir: undefined, rootDir: undefined },
    include: ['src/**/*.ts', 'server/src/**/*.ts'],
    noEmitOnError: true,
  });

const browserPlugins = (bundle) => [trimCatalogue(bundle), defineVersion(), resolve({ browser: true }), ts('./tsconfig.json')];
const minEsm = () => terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: /^!/ } });
/** Reprints an already minified bundle: rollup renders terser's `!1`/`!0` back as `false`/`true`. */
const reprint = () => terser({ ecma: 2020, compress: { defaults: false, booleans: true }, mangle: false, format: { comments: /^!/ } });
const min = () => terser({ ecma: 2020, module: false, compress: { passes: 2 }, format: { comments: /^!/ } });

/** An IIFE for a `<script>` tag, unminified and minified, with source maps. */
function iife(input, file, name, bundle = 'iife') {
  return {
    input,
    plugins: browserPlugins(bundle),
    output: [
      { file: `dist/${file}.js`, format: 'iife', name, exports: 'default', sourcemap: true, banner },
      { file: `dist/${file}.min.js`, format: 'iife', name, exports: 'default', sourcemap: true, banner, plugins: [min()] },
    ],
  };
}

/** An ESM bundle for bundlers; tree-shakeable (package.json says sideEffects: false). */
function esm(input, file) {
  return {
    input,
    plugins: browserPlugins('esm'),
    // Minified too (with a source map): exports stay named, so bundlers still tree-shake it.
    output: { file: `dist/${file}.mjs`, format: 'es', sourcemap: true, banner, plugins: [minEsm()] },
  };
}

/**
 * The React bindings reach the SDK through `src/entries/esm.ts` only, and that import stays an
 * import of the ESM package (`./cardvault.mjs` beside the bindings' file): an app that imports
 * `cardvault` and `cardvault/react` gets one copy of the SDK, its element registry and its error
 * class. Any other import that leaves src/react fails the build, so no host, frame or transport
 * code is ever copied into the bindings.
 */
function sdkAsExternal() {
  const SDK = fileURLToPath(new URL('./src/entries/esm.ts', import.meta.url));
  const REACT = fileURLToPath(new URL('./src/react/', import.meta.url));
  return {
    name: 'cardvault-sdk-as-external',
    resolveId(source, importer) {
      if (!importer || !source.startsWith('.')) return null;
      const target = resolvePath(dirname(importer), source);
      if (target === SDK.replace(/\.ts$/, '') || target === SDK) return { id: 'cardvault', external: true };
      if (importer.startsWith(REACT) && !target.startsWith(REACT)) this.error(`${source} (from ${importer}): the React bindings import the SDK through ../entries/esm only`);
      return null;
    },
  };
}

const serverExternal = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];

export default [
  // Merchant page, script tag: the host side only.
  iife('src/entries/cdn.ts', 'cardvault', 'Cardvault', 'host'),
  // Merchant page, bundlers.
  esm('src/entries/esm.ts', 'cardvault'),
  // React bindings (cardvault/react): React and the ESM package above stay external.
  {
    input: 'src/entries/react.ts',
    plugins: [sdkAsExternal(), defineVersion(), ts('./tsconfig.json')],
    external: (id) => id === 'react' || id.startsWith('react/'),
    // Relative, not the bare name: it resolves the same way with or without a self-reference.
    output: { file: 'dist/cardvault-react.mjs', format: 'es', paths: { cardvault: './cardvault.mjs' }, sourcemap: true, banner, plugins: [minEsm()] },
  },
  // Direct mode (PCI SAQ A-EP): its own files, never part of the default bundles.
  iife('src/entries/direct-cdn.ts', 'cardvault-direct', 'CardvaultDirect'),
  esm('src/entries/direct.ts', 'cardvault-direct'),
  // The frame document's script, one per locale (frame/card.<locale>.html loads it with
  // integrity): compiled once, then given each locale's strings (see frameCore above).
  {
    input: 'src/entries/frame.ts',
    plugins: [frameCore(), ...browserPlugins('frame'), stripErrorMessageLiterals(), stripRejectionReasons()],
    output: { file: FRAME_CORE, format: 'es', sourcemap: true, plugins: [minEsm()] },
  },
  ...FRAME_LOCALES.map((locale) => ({
    input: FRAME_CORE,
    plugins: [frameOfLocale(locale)],
    // Reprinted only (no second full compress or mangle pass): ~0.1 s per locale instead of ~1.5 s.
    output: { file: `dist/frame/cardvault-frame.${locale}.js`, format: 'iife', compact: true, sourcemap: true, banner, plugins: [reprint()] },
  })),
  // The vault (Node): one file per entry, dependencies left external.
  {
    input: { cli: 'server/src/cli.ts', index: 'server/src/index.ts' },
    plugins: [defineVersion(), ts('./server/tsconfig.json')],
    external: (id) => serverExternal.some((m) => id === m || id.startsWith(`${m}/`)),
    output: { dir: 'dist-server', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
  },
];
