/**
 * The package as a TypeScript consumer sees it: `cardvault` and `cardvault/direct` through the
 * exports map, under `nodenext` (Node, SSR) and `bundler` resolution, and `node10` through
 * typesVersions, strict. Misuse must not
 * compile. Runs against the built dist/ (npm test builds first).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const dir = mkdtempSync(join(tmpdir(), 'cardvault-consumer-'));
mkdirSync(join(dir, 'node_modules'));
symlinkSync(root, join(dir, 'node_modules', 'cardvault'), 'dir');
writeFileSync(
  join(dir, 'consumer.mts'),
  `import { Cardvault, validateCardNumber, isCardvaultError, type Token, type CardBrand } from 'cardvault';
import { CardvaultDirect } from 'cardvault/direct';
const brand: CardBrand | null = validateCardNumber('4242 4242 4242 4242').brand;
const cv = Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'fr' });
const number = cv.elements().create('cardNumber');
number.on('change', (e) => void e.complete);
const token: Promise<Token> = cv.createToken(number);
const direct: Promise<Token> = CardvaultDirect('pk_test_abcdefghijklmnopqrstuvwx').createToken({ number: '4242424242424242', exp_month: 12, exp_year: 2034, cvc: '123' });
// @ts-expect-error no such element type
cv.elements().create('cardPin');
// @ts-expect-error no such option
Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { apiBse: 'https://x' });
void [brand, token, direct, isCardvaultError];
`,
);

function typecheck(resolution: 'nodenext' | 'bundler' | 'node10'): string {
  const module = resolution === 'nodenext' ? 'nodenext' : 'esnext';
  // node10 (the old `moduleResolution: node`) ignores `exports`; `typesVersions` maps the subpath.
  // TypeScript 6 deprecates it, but projects on TypeScript 5 still use it.
  const legacy = resolution === 'node10' ? ['--ignoreDeprecations', '6.0'] : [];
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', module, '--moduleResolution', resolution, ...legacy, '--target', 'es2022', '--lib', 'es2022,dom', 'consumer.mts'], { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

describe('the published types', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A tsc run takes ~3 s on a quiet machine and over 9 s on a loaded 2-core one: bounded at 60 s.
  it.each(['nodenext', 'bundler', 'node10'] as const)('type-check a strict consumer under %s resolution', (resolution) => {
    expect(typecheck(resolution)).toBe('');
  }, 60_000);
});
