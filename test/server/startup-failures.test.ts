/**
 * The bad-configuration table: each bad setting stops `cardvault-vault serve` with one line on
 * stderr naming the setting or flag to fix (never a secret value), a non-zero exit, and no hang.
 * The target is 3 s; on a loaded machine tsx alone takes seconds to start, so the bound here
 * is generous and the measured times are printed (see the report for figures on a quiet machine).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, Children, pgUrl } from './processes';

/** Far above a quiet run (3 s target), far below the hangs this guards against (40 s, forever). */
const EXIT_BOUND_MS = 25_000;

const KEK = randomBytes(32).toString('base64');
const OTHER_KEK = randomBytes(32).toString('base64');
const PASSWORD = 'sekret-pw-123';

describe('start-up failures', () => {
  const children = new Children();
  const tmp = mkdtempSync(join(tmpdir(), 'cardvault-startup-'));
  /** A data directory with a database made under KEK (by `init`). */
  const made = join(tmp, 'made');
  const aFile = join(tmp, 'a-file');
  let silent: Server;
  let silentPort = 0;
  const silentSockets: Socket[] = [];
  let busy: Server;
  let busyPort = 0;
  const times: string[] = [];

  beforeAll(async () => {
    writeFileSync(aFile, 'not a directory\n');
    // Accepts connections and never says a word: a database behind a broken proxy.
    silent = createServer((socket) => void silentSockets.push(socket));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    silentPort = (silent.address() as { port: number }).port;
    busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    busyPort = (busy.address() as { port: number }).port;
    const init = await children.run(['init', '--data-dir', made], baseEnv({ CARDVAULT_KEK: KEK }), 120_000);
    expect(init.code, init.stderr).toBe(0);
    // What starting node with tsx costs on this machine right now, for reading the times below.
    const baseline = await children.run(['help'], baseEnv(), 60_000);
    times.push(`  baseline (\`help\`, no vault): ${baseline.ms}`);
  }, 180_000);

  afterEach(() => children.killAll());
  afterAll(async () => {
    for (const s of silentSockets) s.destroy();
    await new Promise((r) => silent.close(r));
    await new Promise((r) => busy.close(r));
    rmSync(tmp, { recursive: true, force: true });
    console.info(`start-up failure exit times (ms):\n${times.join('\n')}`);
  });

  async function fails(label: string, args: string[], env: NodeJS.ProcessEnv, setting: RegExp, secrets: string[] = []): Promise<void> {
    const exit = await children.run(['serve', ...args], env, EXIT_BOUND_MS);
    times.push(`  ${label}: ${exit.ms}`);
    expect(exit.timedOut, `${label}: still running after ${EXIT_BOUND_MS} ms\n${exit.stdout}${exit.stderr}`).toBe(false);
    expect(exit.code, exit.stderr).not.toBe(0);
    expect(exit.stdout).not.toContain('listening on');
    const lines = exit.stderr.trim().split('\n');
    expect(lines, exit.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(setting);
    for (const s of [KEK, OTHER_KEK, ...secrets]) expect(exit.stderr + exit.stdout).not.toContain(s);
  }

  const dir = (name: string): string[] => ['--data-dir', join(tmp, name)];

  it('a port that is not a number', async () => {
    await fails('PORT=abc', dir('p1'), baseEnv({ PORT: 'abc' }), /^cardvault-vault: PORT .*port number/);
    await fails('--port 99999', [...dir('p2'), '--port', '99999'], baseEnv(), /--port .*port number/);
  });

  it('a port in use', async () => {
    await fails('port in use', [...dir('p3'), '--port', String(busyPort)], baseEnv(), /--port: 127\.0\.0\.1:\d+ is already in use/);
  });

  it('a KEK that is short, or a key file that is missing', async () => {
    await fails('CARDVAULT_KEK short', dir('k1'), baseEnv({ CARDVAULT_KEK: 'c2hvcnQ=' }), /CARDVAULT_KEK must hold a base64-encoded 32-byte key/);
    await fails('CARDVAULT_KEK_FILE missing', dir('k2'), baseEnv({ CARDVAULT_KEK_FILE: join(tmp, 'no-such-kek') }), /CARDVAULT_KEK_FILE .*cannot be read/);
  });

  it('a KEK that is wrong, replaced or missing for an existing PGlite database', async () => {
    await fails('CARDVAULT_KEK wrong', ['--data-dir', made], baseEnv({ CARDVAULT_KEK: OTHER_KEK }), /CARDVAULT_KEK is not the key-encryption key/);
    // The directory's own key file replaced by another key, then missing.
    const kekFile = join(made, 'kek');
    writeFileSync(kekFile, `${KEK}\n`, { mode: 0o600 });
    const original = readFileSync(kekFile, 'utf8');
    try {
      writeFileSync(kekFile, `${OTHER_KEK}\n`);
      await fails('<dir>/kek replaced', ['--data-dir', made], baseEnv(), /key file .*kek is not the key-encryption key/);
      renameSync(kekFile, `${kekFile}.away`);
      await fails('<dir>/kek missing', ['--data-dir', made], baseEnv(), /No key-encryption key: .*kek is missing.*CARDVAULT_KEK/);
    } finally {
      rmSync(kekFile, { force: true });
      rmSync(`${kekFile}.away`, { force: true });
      writeFileSync(kekFile, original, { mode: 0o600 });
    }
  });

  it('a data directory that is a file, or cannot be created', async () => {
    await fails('--data-dir is a file', ['--data-dir', aFile], baseEnv(), /--data-dir .* is a file, not a directory/);
    // Root ignores permission bits, so "unwritable" is a path under a file (ENOTDIR), not a chmod.
    await fails('--data-dir under a file', ['--data-dir', join(aFile, 'vault')], baseEnv(), /--data-dir .* cannot be (created|read) \(ENOTDIR\)/);
    await fails('CARDVAULT_DATA_DIR is a file', [], baseEnv({ CARDVAULT_DATA_DIR: aFile }), /CARDVAULT_DATA_DIR .* is a file/);
  });

  it('a DATABASE_URL that is malformed, unreachable or silent', async () => {
    await fails('DATABASE_URL malformed', dir('d1'), baseEnv({ DATABASE_URL: 'not a url', CARDVAULT_KEK: KEK }), /DATABASE_URL must be a postgres:\/\//);
    await fails(
      'DATABASE_URL unreachable',
      dir('d2'),
      baseEnv({ DATABASE_URL: `postgres://cv:${PASSWORD}@127.0.0.1:1/cv`, CARDVAULT_KEK: KEK }),
      /DATABASE_URL: cannot connect to 127\.0\.0\.1:1 \(ECONNREFUSED\)/,
      [PASSWORD],
    );
    await fails(
      'DATABASE_URL silent',
      dir('d3'),
      baseEnv({ DATABASE_URL: `postgres://cv:${PASSWORD}@127.0.0.1:${silentPort}/cv`, CARDVAULT_KEK: KEK }),
      /DATABASE_URL: 127\.0\.0\.1:\d+ did not complete a connection within 2 s/,
      [PASSWORD],
    );
  });

  it.runIf(pgUrl)('a KEK missing for a PostgreSQL database that holds data keys', async () => {
    const { pgSchema } = await import('./processes');
    const db = await pgSchema();
    try {
      const init = await children.run(['init', ...dir('pg-init')], baseEnv({ DATABASE_URL: db.url, CARDVAULT_KEK: KEK }), 120_000);
      expect(init.code, init.stderr).toBe(0);
      await fails('KEK missing (PostgreSQL)', dir('pg-none'), baseEnv({ DATABASE_URL: db.url }), /No key-encryption key: the database at DATABASE_URL holds data keys/);
      await fails('KEK wrong (PostgreSQL)', dir('pg-wrong'), baseEnv({ DATABASE_URL: db.url, CARDVAULT_KEK: OTHER_KEK }), /key-encryption key/);
    } finally {
      await db.drop();
    }
  });
});
