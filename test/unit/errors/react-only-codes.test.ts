import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const src = fileURLToPath(new URL('../../../src', import.meta.url));
const catalogue = readFileSync(join(src, 'errors', 'catalogue.ts'), 'utf8');
const section = catalogue.slice(catalogue.indexOf('const REACT_ENTRIES = {'), catalogue.indexOf('const VAULT_ENTRIES = {'));
const reactCodes = [...section.matchAll(/^ {2}([a-z_]+): entry\(/gm)].map((m) => m[1]!);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('React-only error codes', () => {
  it('are found in the catalogue', () => {
    expect(reactCodes).toContain('provider_missing');
  });

  // The script-tag bundles and the frames ship without these codes (rollup.config.mjs): raised
  // anywhere but in the bindings, one would reach a merchant as api_error.
  it('are raised by the React bindings only', () => {
    const offenders: string[] = [];
    for (const file of files(src).filter((f) => !f.includes('/errors/') && !f.includes('/react/'))) {
      const text = readFileSync(file, 'utf8');
      for (const code of reactCodes) if (text.includes(`'${code}'`)) offenders.push(`${file.slice(src.length)}: ${code}`);
    }
    expect(offenders).toEqual([]);
  });
});
