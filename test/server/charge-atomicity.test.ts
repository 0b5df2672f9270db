/**
 * A charge racing a data-key rotation: every charged token ends used, with its charge row and
 * without its CVC (the CVC never outlives a token's first use, whatever races with it). Before the
 * charge was one transaction, a rotation that re-encrypted the card between "mark used" and
 * "re-seal without CVC" made the second write's compare-and-set fail, and the CVC stayed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { aadFor } from '../../server/src/crypto/envelope';
import { backends, bearer, cardForm, postForm, startTestVault, type TestVault } from './helpers';

async function cvcKept(vault: TestVault, id: string): Promise<boolean> {
  const row = (await vault.store.rawQuery('SELECT card_sealed FROM tokens WHERE id = $1', [id]))[0]!;
  const card = JSON.parse(await vault.server.vault.envelope.openText(String(row.card_sealed), aadFor('tokens', id))) as Record<string, unknown>;
  return card.cvc !== undefined;
}

describe.each(backends())('charges racing a data-key rotation ($name)', (backend) => {
  let v: TestVault | null = null;
  afterEach(async () => {
    await v?.close();
    v = null;
  });

  it('drops the CVC even when a rotation re-encrypts the card in the middle of the charge', { timeout: 120_000 }, async () => {
    v = await startTestVault(backend);
    const vault = v;
    const envelope = vault.server.vault.envelope;
    const seal = envelope.seal.bind(envelope);
    // The moment the charge seals the card without its CVC, a whole rotation runs (the worst
    // interleaving, made certain): the token's row is re-encrypted under a new key meanwhile.
    let rotations = 0;
    envelope.seal = async (plaintext, aad) => {
      const sealed = await seal(plaintext, aad);
      if (aad.startsWith('tokens:') && typeof plaintext === 'string' && !plaintext.includes('"cvc"') && rotations < 3) {
        rotations++;
        await vault.server.vault.rotateDataKey();
      }
      return sealed;
    };
    try {
      for (let i = 0; i < 3; i++) {
        const token = await postForm(`${vault.url}/v1/tokens`, cardForm(vault.keys.publishableKey));
        const charge = await postForm(`${vault.url}/v1/charges`, { token: token.body.id, amount: '700', currency: 'usd' }, bearer(vault.keys.secretKey));
        expect(charge.status, charge.text).toBe(200);
        expect(await cvcKept(vault, token.body.id), `CVC kept on ${token.body.id}`).toBe(false);
      }
      expect(rotations).toBe(3);
    } finally {
      envelope.seal = seal;
    }
  });

  it('leaves no used token with its CVC or without its charge', { timeout: 120_000 }, async () => {
    v = await startTestVault(backend);
    const vault = v;
    const ids: string[] = [];
    for (let i = 0; i < 150; i++) {
      const res = await postForm(`${vault.url}/v1/tokens`, cardForm(vault.keys.publishableKey));
      expect(res.status, res.text).toBe(200);
      ids.push(res.body.id);
    }
    // Charges (8 at a time) while rotations re-encrypt every card, twice.
    let next = 0;
    const statuses: number[] = [];
    const charger = async (): Promise<void> => {
      while (next < ids.length) {
        const id = ids[next++]!;
        const res = await postForm(`${vault.url}/v1/charges`, { token: id, amount: '700', currency: 'usd' }, bearer(vault.keys.secretKey));
        statuses.push(res.status);
      }
    };
    const rotations = (async () => {
      for (let i = 0; i < 2; i++) await vault.server.vault.rotateDataKey();
    })();
    await Promise.all([...Array.from({ length: 8 }, charger), rotations]);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const rows = await vault.store.rawQuery(
      'SELECT t.id, t.card_sealed, t.used_at, c.id AS charge FROM tokens t LEFT JOIN charges c ON c.token_id = t.id WHERE t.id = ANY($1)',
      [ids],
    );
    expect(rows).toHaveLength(ids.length);
    const withCvc: string[] = [];
    for (const row of rows) {
      expect(row.used_at, String(row.id)).not.toBeNull();
      expect(row.charge, String(row.id)).not.toBeNull();
      const card = JSON.parse(await vault.server.vault.envelope.openText(String(row.card_sealed), aadFor('tokens', String(row.id)))) as Record<string, unknown>;
      if (card.cvc !== undefined) withCvc.push(String(row.id));
    }
    expect(withCvc, 'used tokens still holding their CVC').toEqual([]);
  });
});
