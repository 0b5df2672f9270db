// Builds every shipped bundle. One entry file per bundle lives in src/entries/.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { builtinModules } from 'node:module';
import typescript from '@rollup/plugin-typescript';
import resolve from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { parse } from 'acorn';
import MagicString from 'magic-string';
import { FRAME_LOCALES } from './scripts/frame-locales.mjs';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));
const banner = `/*! Cardvault v${pkg.version} | MIT */`;

/** Replaces the build-time constants; a tiny plugin so the version comes from package.json only. */
function defineVersion() {
  return {
    name: 'cardvault-define-version',
    transform(code) {
      if (!code.includes('__CARDVAULT_VERSION__')) return null;
      return { code: code.replaceAll('__CARDVAULT_VERSION__', JSON.stringify(pkg.version)), map: null };
    },
  };
}

/**
 * Drops developer-facing messages from the error catalogue in browser bundles, where they are
 * never shown:
 * - `vault`: the host bundles drop the messages of vault-only codes (VAULT_ENTRIES), which always
 *   arrive with the vault's own message;
 * - `all`: the frame drops every message, `type`, `fix` and `status`: its errors travel to the host
 *   as codes and the host's copy supplies the rest (CardvaultError.fromJSON recomputes them from
 *   the code); the frame only needs the set of codes. Customer-facing text comes from
 *   src/frame/locales.ts.
 * Fails the build if an entry in scope is left unrewritten.
 */
function stripCatalogueMessages(scope) {
  const ENTRY = /entry\(('[a-z_]+'), ('[a-z]+', \d+), (?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\)/g;
  return {
    name: 'cardvault-strip-catalogue-messages',
    transform(code, id) {
      if (!id.endsWith('/src/errors/catalogue.ts')) return null;
      let from = 0;
      let to = code.length;
      if (scope === 'vault') {
        from = code.indexOf('const VAULT_ENTRIES = {');
        // The object ends at the first line that starts with '}' ('} as const …' in TS, '};' in JS).
        const end = from < 0 ? -1 : code.slice(from).search(/\n\}/);
        if (from < 0 || end < 0) this.error('catalogue: VAULT_ENTRIES not found');
        to = from + end;
      }
      const part = code.slice(from, to);
      const calls = (part.match(/: entry\(/g) ?? []).length;
      let replaced = 0;
      const out = part.replace(ENTRY, (_m, type, fixAndStatus) => {
        replaced++;
        // The frame needs only the codes (its errors reach the merchant through the host, whose
        // catalogue has the rest); the host bundles export CATALOGUE whole, less messages.
        return scope === 'all' ? 'entry()' : `entry(${type}, ${fixAndStatus}, '')`;
      });
      if (replaced !== calls || calls === 0) this.error(`catalogue: rewrote ${replaced} of ${calls} entries; keep each entry on one line as entry('type', 'fix', status, 'message')`);
      return { code: code.slice(0, from) + out + code.slice(to), map: null };
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

const browserPlugins = (strip = 'vault') => [stripCatalogueMessages(strip), defineVersion(), resolve({ browser: true }), ts('./tsconfig.json')];
const minEsm = () => terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: /^!/ } });
/** Reprints an already minified bundle: rollup renders terser's `!1`/`!0` back as `false`/`true`. */
const reprint = () => terser({ ecma: 2020, compress: { defaults: false, booleans: true }, mangle: false, format: { comments: /^!/ } });
const min = () => terser({ ecma: 2020, module: false, compress: { passes: 2 }, format: { comments: /^!/ } });

/** An IIFE for a `<script>` tag, unminified and minified, with source maps. */
function iife(input, file, name) {
  return {
    input,
    plugins: browserPlugins(),
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
    plugins: browserPlugins(),
    // Minified too (with a source map): exports stay named, so bundlers still tree-shake it.
    output: { file: `dist/${file}.mjs`, format: 'es', sourcemap: true, banner, plugins: [minEsm()] },
  };
}

const serverExternal = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies ?? {}),
];

export default [
  // Merchant page, script tag: the host side only.
  iife('src/entries/cdn.ts', 'cardvault', 'Cardvault'),
  // Merchant page, bundlers.
  esm('src/entries/esm.ts', 'cardvault'),
  // Direct mode (PCI SAQ A-EP): its own files, never part of the default bundles.
  iife('src/entries/direct-cdn.ts', 'cardvault-direct', 'CardvaultDirect'),
  esm('src/entries/direct.ts', 'cardvault-direct'),
  // The frame document's script, one per locale (frame/card.<locale>.html loads it with
  // integrity): compiled once, then given each locale's strings (see frameCore above).
  {
    input: 'src/entries/frame.ts',
    plugins: [frameCore(), ...browserPlugins('all'), stripErrorMessageLiterals(), stripRejectionReasons()],
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
