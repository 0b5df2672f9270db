/**
 * The package as a TypeScript consumer sees it: `cardvault`, `cardvault/direct` and `cardvault/react` through the
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
// The consumer's own React (the bindings' peer dependency).
mkdirSync(join(dir, 'node_modules', '@types'));
symlinkSync(join(root, 'node_modules', 'react'), join(dir, 'node_modules', 'react'), 'dir');
symlinkSync(join(root, 'node_modules', '@types', 'react'), join(dir, 'node_modules', '@types', 'react'), 'dir');
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
writeFileSync(
  join(dir, 'react-consumer.mts'),
  `import { createElement as h } from 'react';
import { Cardvault, type Token } from 'cardvault';
import { CardvaultProvider, CardElement, CardNumberElement, useCardvault, useElements, type CardElementProps } from 'cardvault/react';
const props: CardElementProps = { options: { hidePostalCode: true }, onChange: (e) => void e.complete, onReady: (el) => el.focus() };
const app = h(CardvaultProvider, { cardvault: Cardvault('pk_test_abcdefghijklmnopqrstuvwx'), options: { locale: 'de' } }, h(CardElement, props));
h(CardvaultProvider, { cardvault: null }, h(CardNumberElement, { id: 'number' }));
function usePay(): Promise<Token> | null {
  const cardvault = useCardvault();
  const elements = useElements();
  return cardvault && elements && cardvault.createToken(elements.getElement('card'));
}
// @ts-expect-error the provider takes an instance, not a key
h(CardvaultProvider, { cardvault: 'pk_test_abcdefghijklmnopqrstuvwx' });
// @ts-expect-error hidePostalCode is the combined card's option
h(CardNumberElement, { options: { hidePostalCode: true } });
void [app, usePay];
`,
);

function typecheck(resolution: 'nodenext' | 'bundler' | 'node10'): string {
  const module = resolution === 'nodenext' ? 'nodenext' : 'esnext';
  // node10 (the old `moduleResolution: node`) ignores `exports`; `typesVersions` maps the subpath.
  // TypeScript 6 deprecates it, but projects on TypeScript 5 still use it.
  const legacy = resolution === 'node10' ? ['--ignoreDeprecations', '6.0'] : [];
  try {
    execFileSync(process.execPath, [tsc, '--noEmit', '--strict', '--module', module, '--moduleResolution', resolution, ...legacy, '--target', 'es2022', '--lib', 'es2022,dom', 'consumer.mts', 'react-consumer.mts'], { cwd: dir, encoding: 'utf8' });
    return '';
  } catch (e) {
    return String((e as { stdout?: string }).stdout ?? e);
  }
}

describe('the published types', () => {
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // One tsc run each (with React's types, ~6 s on a quiet 2-core machine): bounded at 3x a loaded run.
  it.each(['nodenext', 'bundler', 'node10'] as const)('type-check a strict consumer under %s resolution', (resolution) => {
    expect(typecheck(resolution)).toBe('');
  }, 120_000);
});
