// Builds every shipped bundle. One entry file per bundle lives in src/entries/.
import { readFileSync } from 'node:fs';
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
 * - `all`: the frame drops every message, `fix` and `status`: its errors travel to the host as
 *   codes and the host's copy supplies the rest (CardvaultError.fromJSON); customer-facing text
 *   comes from src/frame/locales.ts.
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
        // The frame reads only an entry's type (its errors reach the merchant through the host,
        // whose catalogue has the rest); the host bundles export CATALOGUE whole, less messages.
        return scope === 'all' ? `entry(${type})` : `entry(${type}, ${fixAndStatus}, '')`;
      });
      if (replaced !== calls || calls === 0) this.error(`catalogue: rewrote ${replaced} of ${calls} entries; keep each entry on one line as entry('type', 'fix', status, 'message')`);
      return { code: code.slice(0, from) + out + code.slice(to), map: null };
    },
  };
}

/**
 * Keeps one locale's strings in a frame bundle: src/frame/locales.ts imports every
 * ./locales/<locale> module, and this resolves all but `locale` to an empty module. A customer's
 * frame then downloads its own language only; the host picks the document of its locale.
 */
function frameLocale(locale) {
  const EMPTY = '\0cardvault-locale-not-in-bundle';
  return {
    name: 'cardvault-frame-locale',
    resolveId(source, importer) {
      const m = /^\.\/locales\/([a-z]{2})$/.exec(source);
      if (!m || !importer?.endsWith('/src/frame/locales.ts')) return null;
      if (!FRAME_LOCALES.includes(m[1])) this.error(`unknown frame locale ${m[1]}`);
      return m[1] === locale ? null : EMPTY;
    },
    load(id) {
      return id === EMPTY ? 'export default undefined;' : null;
    },
  };
}

/**
 * Frame bundles only: drops the developer-facing message literals given to `new CardvaultError(code,
 * { message: '…' })`. The frame's errors reach the merchant only through the host, which fills an
 * empty message from its own catalogue (CardvaultError.fromJSON), so these strings were dead weight
 * in every frame. Customer-facing messages (`message: t(locale, code)`) are calls, not literals,
 * and stay. Runs on the compiled JavaScript (after the TypeScript plugin) and uses rollup's parser.
 */
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

function stripErrorMessageLiterals() {
  return {
    name: 'cardvault-strip-error-message-literals',
    transform(code, id) {
      if (!id.includes('/src/') || !code.includes('CardvaultError(')) return null;
      const s = new MagicString(code);
      // acorn, not this.parse: its positions are UTF-16 offsets, as MagicString expects.
      const visit = (node) => {
        if (!node || typeof node.type !== 'string') return;
        if (node.type === 'NewExpression' && node.callee.type === 'Identifier' && node.callee.name === 'CardvaultError') removeMessageLiteral(s, node.arguments[1]);
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

const ts = (tsconfig) =>
  typescript({
    tsconfig,
    compilerOptions: { noEmit: false, declaration: false, declarationDir: undefined, sourceMap: true, outDir: undefined, rootDir: undefined },
    include: ['src/**/*.ts', 'server/src/**/*.ts'],
    noEmitOnError: true,
  });

const browserPlugins = (strip = 'vault') => [stripCatalogueMessages(strip), defineVersion(), resolve({ browser: true }), ts('./tsconfig.json')];
const minEsm = () => terser({ ecma: 2020, module: true, compress: { passes: 2 }, format: { comments: /^!/ } });
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
  // The frame document's script, one per locale (frame/card.<locale>.html loads it with integrity).
  ...FRAME_LOCALES.map((locale) => ({
    input: 'src/entries/frame.ts',
    plugins: [frameLocale(locale), ...browserPlugins('all'), stripErrorMessageLiterals()],
    output: { file: `dist/frame/cardvault-frame.${locale}.js`, format: 'iife', sourcemap: true, banner, plugins: [min()] },
  })),
  // The vault (Node): one file per entry, dependencies left external.
  {
    input: { cli: 'server/src/cli.ts', index: 'server/src/index.ts' },
    plugins: [defineVersion(), ts('./server/tsconfig.json')],
    external: (id) => serverExternal.some((m) => id === m || id.startsWith(`${m}/`)),
    output: { dir: 'dist-server', format: 'es', entryFileNames: '[name].mjs', chunkFileNames: 'chunks/[name]-[hash].mjs', sourcemap: true },
  },
];
