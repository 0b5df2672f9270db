#!/usr/bin/env node
// npm run build: rollup every bundle, emit .d.ts, write the frame document with its script's
// integrity, and write dist/sri.json with the sha384 of every public file.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FRAME_LOCALES, RTL_LOCALES } from './frame-locales.mjs';
import { VAULT_ORIGINS } from './vault-origins.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

for (const entry of readdirSync(dist)) if (entry !== '.gitkeep') rmSync(join(dist, entry), { recursive: true, force: true });
rmSync(join(root, 'dist-server'), { recursive: true, force: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
execFileSync(bin('rollup'), ['-c', '--silent'], { cwd: root, stdio: 'inherit' });
execFileSync(bin('tsc'), ['-p', 'tsconfig.json', '--emitDeclarationOnly', '--declaration', '--declarationDir', 'dist/types'], {
  cwd: root,
  stdio: 'inherit',
});

// Declarations: tsc keeps our extensionless relative imports, which only `bundler` resolution
// accepts. Consumers on `node16`/`nodenext` need real paths, so each specifier becomes the .js
// file (or folder/index.js) that its .d.ts stands for.
const typesDir = join(dist, 'types');
const rewriteSpecifiers = (dir) => {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      rewriteSpecifiers(path);
      continue;
    }
    if (!name.endsWith('.d.ts')) continue;
    const text = readFileSync(path, 'utf8').replace(/(from\s+|import\()(['"])(\.{1,2}\/[^'"]+)\2/g, (m, head, q, spec) => {
      if (/\.(m?js|json)$/.test(spec)) return m;
      const target = join(dir, spec);
      if (existsSync(`${target}.d.ts`)) return `${head}${q}${spec}.js${q}`;
      if (existsSync(join(target, 'index.d.ts'))) return `${head}${q}${spec}/index.js${q}`;
      throw new Error(`${relative(root, path)}: cannot resolve declaration import ${spec}`);
    });
    writeFileSync(path, text);
  }
};
rewriteSpecifiers(typesDir);

export const sri = (buf) => `sha384-${createHash('sha384').update(buf).digest('base64')}`;

// The frame documents, one per locale: no inline script or style; the one script is pinned by integrity.
const template = readFileSync(join(root, 'src', 'frame', 'card.html'), 'utf8');
mkdirSync(join(dist, 'frame'), { recursive: true });
// The default look, shared by every locale: comments and line breaks out (one rule per line in src).
const css = readFileSync(join(root, 'src', 'frame', 'card.css'), 'utf8')
  .replace(/\/\*[\s\S]*?\*\//g, '')
  .split('\n')
  .map((line) => line.trim())
  .join('');
writeFileSync(join(dist, 'frame', 'card.css'), css);
for (const locale of FRAME_LOCALES) {
  const frameJs = readFileSync(join(dist, 'frame', `cardvault-frame.${locale}.js`));
  writeFileSync(
    join(dist, 'frame', `card.${locale}.html`),
    template
      .replaceAll('%FRAME_SCRIPT%', `cardvault-frame.${locale}.js`)
      .replaceAll('%FRAME_INTEGRITY%', sri(frameJs))
      .replaceAll('%CSS_INTEGRITY%', sri(css))
      .replaceAll('%LANG%', locale)
      // Right-to-left from the first paint: the frame's layout mirrors before its script runs.
      .replaceAll('%DIR%', RTL_LOCALES.includes(locale) ? 'rtl' : 'ltr')
      .replaceAll('%VERSION%', pkg.version)
      // The frame's own connect-src (decision 0009): a CDN that drops the response header changes nothing.
      .replaceAll('%VAULT_ORIGINS%', VAULT_ORIGINS.join(' ')),
  );
}

// sri.json: every public file a page or frame loads, with the versioned path a CDN serves immutable.
const files = {};
const walk = (dir) => {
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      if (name !== 'types') walk(path);
    } else if (/\.(m?js|html|css)$/.test(name)) {
      const rel = relative(dist, path).split('\\').join('/');
      files[rel] = { integrity: sri(readFileSync(path)), path: `/v${pkg.version}/${rel}`, bytes: statSync(path).size };
    }
  }
};
walk(dist);
writeFileSync(join(dist, 'sri.json'), `${JSON.stringify({ version: pkg.version, algorithm: 'sha384', files }, null, 2)}\n`);
console.log(`built Cardvault v${pkg.version}: ${Object.keys(files).length} public files, sri.json written; frames talk to ${VAULT_ORIGINS.join(' ')}`);
