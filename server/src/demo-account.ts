import { createHmac } from 'node:crypto';
import { aadFor } from './crypto/envelope';
import { sha256Hex } from './crypto/random';
import type { Store } from './store/types';
import { Vault } from './vault';

export interface DemoKeys {
  accountId: string;
  publishableKey: string;
  secretKey: string;
  livePublishableKey: string;
  liveSecretKey: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function derive(seed: Uint8Array, label: string): string {
  let out = '';
  for (let round = 0; out.length < 24; round++) {
    const mac = createHmac('sha256', seed).update(`${label}:${round}`).digest();
    for (const b of mac) if (b < 248 && out.length < 24) out += ALPHABET[b % 62];
  }
  return out;
}

/**
 * Creates (once) the demo account `acct_demo` and returns its keys. The keys are derived from a
 * random seed stored sealed in the database, so they stay the same across restarts on the same
 * data directory and differ between installations. Pass a Vault, or a Store (the KEK is then
 * resolved as `startServer` does: env, key file, or `<dataDir>/kek`).
 *
 * @example
 * const store = await openStore({ dataDir: '.data/vault' });
 * const keys = await ensureDemoAccount(store, { liveOrigins: ['http://localhost:4244'] });
 * const server = await startServer({ store });
 */
export async function ensureDemoAccount(
  target: Store | Vault,
  options: { liveOrigins?: string[] } = {},
): Promise<DemoKeys> {
  const vault = target instanceof Vault ? target : await Vault.create({ store: target });
  const store = vault.store;
  const accountId = 'acct_demo';
  let seedRow = await store.getSecret('demo_seed');
  if (!seedRow) {
    const raw = globalThis.crypto.getRandomValues(new Uint8Array(32));
    seedRow = await vault.envelope.write(null, raw, aadFor('vault_secrets', 'demo_seed'), ({ sealed, dataKeyId }) =>
      store.putSecretIfAbsent({ name: 'demo_seed', sealed, dataKeyId, createdAt: vault.now() }),
    );
  }
  const seed = await vault.envelope.open(seedRow.sealed, aadFor('vault_secrets', 'demo_seed'));
  if (!(await store.getAccount(accountId))) {
    try {
      await vault.createAccount('Demo', accountId);
    } catch (error) {
      if (!(await store.getAccount(accountId))) throw error;
    }
  }
  const keys: DemoKeys = {
    accountId,
    publishableKey: `pk_test_${derive(seed, 'pk_test')}`,
    secretKey: `sk_test_${derive(seed, 'sk_test')}`,
    livePublishableKey: `pk_live_${derive(seed, 'pk_live')}`,
    liveSecretKey: `sk_live_${derive(seed, 'sk_live')}`,
  };
  seed.fill(0);
  // The demo's merchant page (4244). In frame mode the vault checks the host_origin the frame
  // attests (the vault must list the CDN as a frame origin); in direct mode, the page's Origin.
  const liveOrigins = options.liveOrigins ?? ['http://localhost:4244', 'http://127.0.0.1:4244'];
  // The demo's setup is the operator's: it claims the merchant origins for the demo account, which a
  // live key must have (origin-claims.ts). An origin another account holds fails here, loudly.
  for (const origin of liveOrigins) await vault.origins.claim(accountId, origin, 'demo');
  const wanted: [string, 'publishable' | 'secret', boolean, string[] | null][] = [
    [keys.publishableKey, 'publishable', false, null],
    [keys.secretKey, 'secret', false, null],
    [keys.livePublishableKey, 'publishable', true, liveOrigins],
    [keys.liveSecretKey, 'secret', true, null],
  ];
  for (const [secret, kind, livemode, origins] of wanted) {
    if (await store.findApiKeyByHash(sha256Hex(secret))) continue;
    try {
      await vault.createApiKey(accountId, kind, livemode, origins, secret);
    } catch (error) {
      if (!(await store.findApiKeyByHash(sha256Hex(secret)))) throw error;
    }
  }
  return keys;
}
