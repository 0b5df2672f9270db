// Section 1: bundle sizes of every dist file and of the peers, measured the same way
// (raw; minified with the same terser options as rollup.config.mjs; gzip -9 and brotli q11 of the
// minified bytes, via scripts/sizes.mjs).
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import { measure } from '../scripts/sizes.mjs';

const require = createRequire(import.meta.url);

/** The same terser options rollup.config.mjs uses for our .min.js files. */
const terserOptions = (module) => ({ ecma: 2020, module, compress: { passes: 2 }, format: { comments: /^!/ } });

async function minify(code, module) {
  const { minify: terser } = await import('terser');
  const out = await terser(code, terserOptions(module));
  if (typeof out.code !== 'string') throw new Error('terser produced no code');
  return out.code;
}

/** raw bytes of `raw`, and min/gzip/brotli of the minified bytes (written to tmp for measure()). */
function sizesOf(tmp, name, rawBuf, minBuf) {
  const file = join(tmp, name.replace(/[^\w.-]+/g, '_'));
  writeFileSync(file, minBuf);
  const m = measure(file);
  return { raw: rawBuf.length, min: m.raw, gzip: m.gzip, brotli: m.brotli };
}

/** Every shipped dist file (scripts and frame documents; no maps, types or sri.json). */
async function ourFiles(root, tmp) {
  const dist = join(root, 'dist');
  const rows = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (name !== 'types') walk(path);
      } else if (/\.(m?js|html|css)$/.test(name)) rows.push(path);
    }
  };
  walk(dist);
  const out = [];
  for (const path of rows) {
    const rel = relative(dist, path).split('\\').join('/');
    const raw = readFileSync(path);
    // .min.js, the frame scripts and card.css are minified by the build; HTML is shipped as is; the rest
    // (unminified IIFE, ESM for bundlers) is minified here as a merchant's bundler would.
    const alreadyMin = rel.endsWith('.min.js') || /^frame\/cardvault-frame\.[\w-]+\.js$/.test(rel) || /\.(html|css)$/.test(rel);
    const min = alreadyMin ? raw : Buffer.from(await minify(raw.toString('utf8'), rel.endsWith('.mjs')));
    out.push({ file: `dist/${rel}`, minifiedBy: alreadyMin ? 'build' : 'bench (terser)', ...sizesOf(tmp, `ours-${rel}`, raw, min) });
  }
  return out;
}

/** Bundles an ESM entry with rollup + node-resolve (browser), like our builds, as one IIFE. */
async function rollupBundle(input, name) {
  const { rollup } = await import('rollup');
  const { default: resolve } = await import('@rollup/plugin-node-resolve');
  const bundle = await rollup({ input, plugins: [resolve({ browser: true })], onwarn: () => {} });
  const { output } = await bundle.generate({ format: 'iife', name, exports: 'auto' });
  await bundle.close();
  return output[0].code;
}

/** card-validator is CommonJS; @rollup/plugin-commonjs is not installed, so esbuild bundles it. */
async function esbuildBundle(entry, name) {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: { contents: entry, resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    write: false,
    format: 'iife',
    globalName: name,
    platform: 'browser',
    minify: false,
    logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

async function peerFiles(root, tmp) {
  const nm = join(root, 'node_modules');
  const version = (pkg) => JSON.parse(readFileSync(join(nm, pkg, 'package.json'), 'utf8')).version;
  const peers = [];
  const add = async (peer, file, method, rawCode, minCode) => {
    const raw = Buffer.from(rawCode);
    const min = Buffer.from(minCode ?? (await minify(rawCode, false)));
    peers.push({ peer, file, method, ...sizesOf(tmp, `peer-${peer}-${file}`, raw, min) });
  };
  const errors = [];
  try {
    const v = version('@stripe/stripe-js');
    const code = await rollupBundle(join(nm, '@stripe/stripe-js/dist/index.mjs'), 'StripeLoader');
    await add(`@stripe/stripe-js ${v}`, 'loader (dist/index.mjs)', 'rollup + node-resolve → IIFE, terser', code);
  } catch (e) {
    errors.push(`@stripe/stripe-js: ${e.message}`);
  }
  try {
    const v = version('braintree-web');
    for (const part of ['client', 'hosted-fields']) {
      const shippedMin = join(nm, 'braintree-web/dist/browser', `${part}.min.js`);
      const plain = join(nm, 'braintree-web/dist/browser', `${part}.js`);
      if (existsSync(shippedMin)) {
        const code = readFileSync(shippedMin, 'utf8');
        await add(`braintree-web ${v}`, `${part}.min.js`, 'shipped minified file', code, code);
      } else {
        // The npm package ships only the unminified browserify bundles; the CDN's .min.js is
        // these minified, so terser them with our options.
        await add(`braintree-web ${v}`, `${part}.js`, 'dist/browser standalone bundle, terser', readFileSync(plain, 'utf8'));
      }
    }
  } catch (e) {
    errors.push(`braintree-web: ${e.message}`);
  }
  try {
    const v = version('card-validator');
    const cct = version('credit-card-type');
    const code = await esbuildBundle(`export * from ${JSON.stringify(require.resolve('card-validator'))};`, 'cardValidator');
    await add(`card-validator ${v} + credit-card-type ${cct}`, 'whole package', 'esbuild bundle (CJS) → IIFE, terser', code);
  } catch (e) {
    errors.push(`card-validator: ${e.message}`);
  }
  return { peers, errors };
}

const sum = (rows) => ({
  raw: rows.reduce((a, r) => a + r.raw, 0),
  min: rows.reduce((a, r) => a + r.min, 0),
  gzip: rows.reduce((a, r) => a + r.gzip, 0),
  brotli: rows.reduce((a, r) => a + r.brotli, 0),
});

export async function runSizes({ root, tmp }) {
  mkdirSync(tmp, { recursive: true });
  const started = performance.now();
  const ours = existsSync(join(root, 'dist', 'cardvault.min.js')) ? await ourFiles(root, tmp) : [];
  const { peers, errors } = await peerFiles(root, tmp);
  const find = (rows, pred) => rows.filter(pred);
  const headline = [];
  const cv = find(ours, (r) => r.file === 'dist/cardvault.min.js');
  if (cv.length) headline.push({ sdk: 'Cardvault', loads: 'dist/cardvault.min.js', ...sum(cv), note: 'the card fields themselves load inside our iframe (frame files listed below the table)' });
  const bt = find(peers, (r) => r.peer.startsWith('braintree-web'));
  if (bt.length === 2) headline.push({ sdk: 'Braintree', loads: 'client + hosted-fields', ...sum(bt), note: 'its hosted-fields frames load more from Braintree’s servers (not counted)' });
  const st = find(peers, (r) => r.peer.startsWith('@stripe/stripe-js'));
  if (st.length) {
    headline.push({
      sdk: 'Stripe',
      loads: '@stripe/stripe-js loader',
      ...sum(st),
      note: 'lower bound only: the loader then fetches js.stripe.com/v3, far larger, which cannot be measured offline',
    });
  }
  // What one frame downloads: its locale's document and script (en here; each locale has its own)
  // and the shared stylesheet.
  const frame = find(ours, (r) => ['dist/frame/card.en.html', 'dist/frame/card.css', 'dist/frame/cardvault-frame.en.js'].includes(r.file));
  const frameTotal = frame.length ? { loads: frame.map((r) => r.file).join(' + '), ...sum(frame) } : null;
  return {
    method:
      'raw = bytes on disk; min = minified with terser {ecma 2020, compress.passes 2} (the options of our build); gzip -9 and brotli q11 of the minified bytes (scripts/sizes.mjs). Sizes are deterministic: one run.',
    ours,
    peers,
    headline,
    frameTotal,
    errors,
    seconds: (performance.now() - started) / 1000,
  };
}
