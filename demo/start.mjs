#!/usr/bin/env node
/**
 * `npm run demo` (after `npm run build`): starts the vault, the CDN and the merchant site, prints
 * where they are, the test publishable key and the test cards, and stops all three on Ctrl-C.
 *
 * Ports: VAULT_PORT (4242), CDN_PORT (4243), MERCHANT_PORT (4244). Data: CARDVAULT_DEMO_DATA
 * (default demo/.data) — delete it to start from a fresh vault.
 */
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORTS, startDemo } from './servers.mjs';
import { TEST_CARDS, formatTestCard } from './test-cards.mjs';

export { startDemo } from './servers.mjs';

/** @param {string} name @param {number} fallback */
function portFromEnv(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`${name} must be a port number (0-65535), got "${raw}".`);
    process.exit(1);
  }
  return port;
}

async function main() {
  const ports = {
    vault: portFromEnv('VAULT_PORT', DEFAULT_PORTS.vault),
    cdn: portFromEnv('CDN_PORT', DEFAULT_PORTS.cdn),
    merchant: portFromEnv('MERCHANT_PORT', DEFAULT_PORTS.merchant),
  };
  let demo;
  try {
    demo = await startDemo({ ports, dataDir: process.env.CARDVAULT_DEMO_DATA || undefined, quiet: false });
  } catch (error) {
    // One clear line, no stack: the usual causes are a taken port or a missing build.
    console.error(`Cardvault demo: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }

  const pad = (s, n) => s.padEnd(n);
  const lines = [
    '',
    `Cardvault demo (v${demo.version}) — test mode`,
    '',
    `  Merchant shop   ${demo.urls.merchant}/          card element`,
    `                  ${demo.urls.merchant}/spa       split fields, single-page app (ESM + rollup)`,
    `                  ${demo.urls.merchant}/react     React (cardvault/react + rollup)`,
    `                  ${demo.urls.merchant}/direct    direct mode (higher PCI scope, SAQ A-EP)`,
    `  CDN + frames    ${demo.urls.cdn}/v${demo.version}/`,
    `  Vault API       ${demo.urls.vault}`,
    '',
    `  Publishable key ${demo.keys.publishable}`,
    '  (the secret key stays inside the merchant backend in this process)',
    '',
    '  Test cards — any future expiry (e.g. 12/34), any CVC, any postal code:',
    ...TEST_CARDS.map((c) => `    ${pad(formatTestCard(c.number), 21)}${pad(c.brand, 18)}${c.note}`),
    '',
    'Press Ctrl-C to stop.',
    '',
  ];
  console.log(lines.join('\n'));

  let stopping = false;
  const shutdown = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo…`);
    const force = setTimeout(() => process.exit(1), 5000);
    force.unref();
    await demo.close();
    console.log('Stopped.');
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
