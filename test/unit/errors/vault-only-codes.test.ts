import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../../src', import.meta.url));
const catalogue = readFileSync(join(src, 'errors', 'catalogue.ts'), 'utf8');
const vaultSection = catalogue.slice(catalogue.indexOf('const VAULT_ENTRIES = {'), catalogue.indexOf('export const CATALOGUE'));
const vaultCodes = [...vaultSection.matchAll(/^ {2}([a-z_]+): entry\(/gm)].map((m) => m[1]!);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('vault-only error codes', () => {
  it('are found in the catalogue', () => {
    expect(vaultCodes.length).toBeGreaterThan(10);
  });

  // The browser bundles ship these codes without messages; a browser-side `new CardvaultError(code)`
  // for one of them would reach a merchant with an empty message.
  it('are never raised by SDK code (move the code to SDK_ENTRIES first)', () => {
    const offenders: string[] = [];
    for (const file of files(src).filter((f) => !f.includes('/errors/'))) {
      const text = readFileSync(file, 'utf8');
      for (const code of vaultCodes) if (text.includes(`'${code}'`)) offenders.push(`${file.slice(src.length)}: ${code}`);
    }
    expect(offenders).toEqual([]);
  });
});
