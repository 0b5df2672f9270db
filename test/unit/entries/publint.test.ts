/**
 * The npm package as publint sees it (strict): exports, types, files and formats agree with what
 * `npm pack` would publish. Runs against the built dist/ (npm test builds first).
 */
import { fileURLToPath } from 'node:url';
import { publint } from 'publint';
import { formatMessage } from 'publint/utils';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));

describe('the published package', () => {
  it('passes publint --strict with no message at any level', async () => {
    const { messages, pkg } = await publint({ pkgDir: root, pack: 'npm', strict: true, level: 'suggestion' });
    expect(messages.map((m) => formatMessage(m, pkg)?.replace(/\u001b\[\d+m/g, ''))).toEqual([]);
  }, 60_000);
});
