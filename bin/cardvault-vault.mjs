#!/usr/bin/env node
// The reference vault's CLI. Runs the bundle built by `npm run build` (dist-server/cli.mjs).
import { existsSync } from 'node:fs';

const bundle = new URL('../dist-server/cli.mjs', import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write('cardvault-vault: dist-server/cli.mjs is missing. Run `npm run build` first.\n');
  process.exit(1);
}
const { main } = await import(bundle.href);
process.exitCode = await main(process.argv.slice(2));
