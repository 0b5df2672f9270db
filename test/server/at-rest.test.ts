/**
 * Card data at rest on disk: after tokenizing every test card into a PGlite data directory, a raw
 * byte scan of every file in it (heap, WAL, everything) finds no card number and no CVC.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDemoAccount, startServer } from '../../server/src';
import { APPROVED_CARDS, DECLINING_CARDS } from '../fixtures/test-cards';
import { bearer, cardForm, get, NO_ABUSE, postForm } from './helpers';

function* files(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) yield* files(p);
    else if (entry.isFile()) yield p;
  }
}

describe('PGlite data directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardvault-at-rest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('contains no card number or CVC in clear after tokenizing', async () => {
    const server = await startServer({ port: 0, dataDir: dir, log: () => {}, abuse: NO_ABUSE, env: {} });
    const keys = await ensureDemoAccount(server.vault);
    const ids: string[] = [];
    const cards = [...APPROVED_CARDS, ...DECLINING_CARDS];
    for (const [i, card] of cards.entries()) {
      const cvc = card.cvc.length === 4 ? `8${String(100 + i)}` : String(800 + i);
      const res = await postForm(`${server.url}/v1/tokens`, cardForm(keys.publishableKey, card.number, { 'card[cvc]': cvc, 'card[name]': 'Zanzibar Quux' }));
      expect(res.status, res.text).toBe(200);
      ids.push(res.body.id);
    }
    await server.close();

    expect(statSync(join(dir, 'kek')).mode & 0o777).toBe(0o600);
    const blobs = [...files(dir)].filter((f) => !f.endsWith('/kek')).map((f) => readFileSync(f));
    expect(blobs.length).toBeGreaterThan(10);
    const contains = (needle: string): boolean => blobs.some((b) => b.includes(Buffer.from(needle)));
    // Positive control: the scan does see what is stored in clear (token ids), so absence means something.
    expect(contains(ids[0]!)).toBe(true);
    for (const card of cards) expect(contains(card.number), `${card.description} number on disk`).toBe(false);
    expect(contains('Zanzibar Quux')).toBe(false);
    expect(contains('"cvc"')).toBe(false);

    // Restarted on the same directory: same demo keys, the tokens are still there.
    const again = await startServer({ port: 0, dataDir: dir, log: () => {}, abuse: NO_ABUSE, env: {} });
    try {
      expect(await ensureDemoAccount(again.vault)).toEqual(keys);
      const res = await get(`${again.url}/v1/tokens/${ids[0]}`, bearer(keys.secretKey));
      expect(res.status).toBe(200);
      expect(res.body.card.name).toBe('Zanzibar Quux');
    } finally {
      await again.close();
    }
  });
});
