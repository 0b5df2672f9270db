import { readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };
// The frame's vault origins (a build sets them from scripts/vault-origins.mjs): the unit tests' vault and loopback.
const define = {
  __CARDVAULT_VERSION__: JSON.stringify(version),
  __CARDVAULT_VAULT_ORIGINS__: JSON.stringify(['https://api.cardvault.test', 'http://127.0.0.1:*', 'http://localhost:*']),
};

export default defineConfig({
  define,
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/types/**/*.test.ts'],
          environment: 'node',
          // ky through Vite rather than Node's module cache, so that vi.resetModules() gives a test a
          // fresh ky that feature-detects again (test/unit/transport/ky-transport.test.ts).
          server: { deps: { inline: ['ky'] } },
          // Time limits are hang guards, never speed checks: at least three times a quiet run of
          // the slowest test they cover, on a loaded 2-core machine (docs/decisions/0013).
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'server',
          include: ['test/server/**/*.test.ts'],
          environment: 'node',
          testTimeout: 90_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 240_000,
          // One Chromium at a time: the machine has two cores.
          fileParallelism: false,
        },
      },
    ],
  },
});
