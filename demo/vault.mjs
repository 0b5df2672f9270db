/**
 * Starts the reference vault in-process from the built bundle (dist-server/index.mjs, written by
 * `npm run build`) and makes sure the demo's test account exists. The account and its keys live in
 * the data directory, so they stay the same across restarts.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @param {{ root: string, port: number, host: string, dataDir: string, merchantOrigins: string[], frameOrigins: string[], quiet: boolean }} o
 * @returns {Promise<{ port: number, keys: { publishable: string, secret: string }, close: () => Promise<void> }>}
 */
export async function startVault({ root, port, host, dataDir, merchantOrigins, frameOrigins, quiet }) {
  const entry = join(root, 'dist-server', 'index.mjs');
  if (!existsSync(entry)) throw new Error('dist-server/index.mjs is missing: run `npm run build` first.');
  const mod = await import(pathToFileURL(entry).href);
  if (typeof mod.startServer !== 'function' || typeof mod.ensureDemoAccount !== 'function') {
    throw new Error('dist-server/index.mjs does not export startServer() and ensureDemoAccount(): rebuild with `npm run build`.');
  }

  // The vault's JSON request log would drown the demo's own output: keep warnings and errors only.
  const log = quiet
    ? () => {}
    : (/** @type {{ level: string, msg?: string, note?: string }} */ entry) => {
        if (entry.level !== 'warn' && entry.level !== 'error') return;
        if (entry.msg === 'kek_created') console.log(`vault: created a key-encryption key in ${dataDir} (demo data; delete the directory to start over)`);
        else console.error(`vault ${entry.level}: ${entry.msg ?? ''}${entry.note ? ` — ${entry.note}` : ''}`);
      };
  // The CDN serves the card frames: from there the vault checks the frame-attested host_origin.
  const running = await mod.startServer({ port, host, dataDir, log, frameOrigins });
  try {
    // Test keys accept any origin; the live publishable key is limited to the merchant site.
    const account = await mod.ensureDemoAccount(running.vault ?? running.store, { liveOrigins: merchantOrigins });
    return { port: running.port, keys: normaliseKeys(account), close: () => running.close() };
  } catch (error) {
    await running.close().catch(() => {});
    throw error;
  }
}
/** Accepts the few shapes a demo account may come in and returns the two keys. */
function normaliseKeys(account) {
  const publishable =
    account.publishableKey ?? account.publishable ?? account.keys?.publishable ?? account.keys?.publishableKey ?? account.pk;
  const secret = account.secretKey ?? account.secret ?? account.keys?.secret ?? account.keys?.secretKey ?? account.sk;
  if (typeof publishable !== 'string' || typeof secret !== 'string') {
    throw new Error('the demo account has no publishable/secret key pair.');
  }
  return { publishable, secret };
}
