import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderErrorDocs } from '../../../scripts/error-docs';

describe('docs/errors.md', () => {
  it('lists exactly the codes of the catalogue (regenerate with `npx tsx scripts/error-docs.ts > docs/errors.md`)', () => {
    const onDisk = readFileSync(new URL('../../../docs/errors.md', import.meta.url), 'utf8');
    expect(onDisk).toBe(renderErrorDocs());
  });
});
