/** The `cardvault-vault` CLI on a PGlite data directory (run from source through tsx). */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'server/src/cli.ts');
const env = { ...process.env, CARDVAULT_KEK: '', CARDVAULT_KEK_FILE: '', DATABASE_URL: '' };

describe('cardvault-vault CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardvault-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function run(...args: string[]): { status: number | null; json: any; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', cli, ...args, '--data-dir', dir], { cwd: root, env, encoding: 'utf8', timeout: 60_000 });
    let json: unknown = null;
    try {
      json = JSON.parse(r.stdout);
    } catch {
      json = null;
    }
    return { status: r.status, json, stderr: r.stderr };
  }

  it('initialises, manages keys and rotates keys', { timeout: 900_000 }, () => {
    const init = run('init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.json.publishable_key).toMatch(/^pk_test_[A-Za-z0-9]{24}$/);
    expect(init.json.secret_key).toMatch(/^sk_test_[A-Za-z0-9]{24}$/);
    expect(init.stderr).toContain('kek_created');

    const live = run('keys', 'create', '--type', 'publishable', '--live');
    expect(live.status).not.toBe(0);
    // The CLI names its own flag, not the API's parameter.
    expect(live.stderr.split('\n')[0]).toMatch(/--origin/);
    // A live key lists only origins its account has claimed: claim first (an operator action).
    const unclaimed = run('keys', 'create', '--type', 'publishable', '--live', '--origin', 'https://shop.example');
    expect(unclaimed.status).toBe(1);
    expect(unclaimed.stderr).toMatch(/origins claim/);
    const claimed = run('origins', 'claim', 'https://shop.example', '--note', 'dns-txt');
    expect(claimed.status, claimed.stderr).toBe(0);
    expect(claimed.json).toMatchObject({ origin: 'https://shop.example', account: init.json.account, note: 'dns-txt' });
    const created = run('keys', 'create', '--type', 'publishable', '--live', '--origin', 'https://shop.example');
    expect(created.status, created.stderr).toBe(0);
    expect(created.json).toMatchObject({ type: 'publishable', livemode: true, allowed_origins: ['https://shop.example'], created_by: 'operator' });

    const listed = run('keys', 'list');
    expect(listed.json).toHaveLength(3);
    expect(JSON.stringify(listed.json)).not.toContain(init.json.secret_key);

    const sk = listed.json.find((k: any) => k.type === 'secret');
    const rolled = run('keys', 'roll', sk.id, '--grace', '3600');
    expect(rolled.status, rolled.stderr).toBe(0);
    expect(rolled.json.previous).toMatchObject({ id: sk.id, status: 'rolling' });
    const revoked = run('keys', 'revoke', rolled.json.id, '--cascade');
    expect(revoked.status, revoked.stderr).toBe(0);
    expect(revoked.json).toMatchObject({ status: 'revoked', cascaded: [] });

    const data = run('rotate-data-key');
    expect(data.status, data.stderr).toBe(0);
    expect(data.json.retired).toHaveLength(1);
    expect(data.json.reencrypted).toBeGreaterThan(0);
    const enc = run('rotate-encryption-key', '--grace', '0');
    expect(enc.json.scheduled).toBe(1);
    expect(run('retire-encryption-keys').json.retired).toHaveLength(1);

    expect(run('frobnicate').status).toBe(2);
    // Twelve CLI processes started through tsx, one after another, each blocking: 110-240 s
    // measured with the machine's two cores at load 25-29. Each process is bounded by run()'s
    // 60 s; this limit only has to stay above twelve of those.
  });

  it('claims live origins for one account only', () => {
    const other = run('init', '--name', 'Other');
    expect(other.status, other.stderr).toBe(0);
    const theirs = run('origins', 'claim', 'https://shop.example', '--account', other.json.account);
    expect(theirs.status).toBe(1);
    expect(theirs.stderr).toMatch(/claimed by account/);
    // Their live key cannot list the first account's origin either.
    const key = run('keys', 'create', '--type', 'publishable', '--live', '--origin', 'https://shop.example', '--account', other.json.account);
    expect(key.status).toBe(1);
    expect(key.stderr).toMatch(/not claimed by this account: https:\/\/shop\.example/);
    const listed = run('origins', 'list');
    expect(listed.json).toEqual([expect.objectContaining({ origin: 'https://shop.example' })]);
    expect(listed.json[0].account).not.toBe(other.json.account);
    expect(run('origins', 'claim', 'https://Shop.example/', '--account', other.json.account).stderr).toMatch(/did you mean https:\/\/shop\.example/);
    const released = run('origins', 'release', 'https://shop.example');
    expect(released.status, released.stderr).toBe(0);
    expect(released.json).toMatchObject({ released: true, live_keys: [expect.stringMatching(/^key_/)] });
    // The first account's live key now lists an origin nobody holds: the upgrade report shows it.
    expect(run('origins', 'list', '--unclaimed').json).toEqual([{ origin: 'https://shop.example', accounts: [listed.json[0].account], claimed_by: null }]);
    expect(run('origins', 'claim', 'https://shop.example', '--account', other.json.account).status).toBe(0);
    expect(run('origins', 'frobnicate').status).toBe(2);
  }, 900_000); // ~12 CLI processes, each bounded by run()'s limit

  it('administers a running vault through its admin socket (0600), never a second opener', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--data-dir', dir], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = '';
        child.stdout!.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('listening on')) resolve();
        });
        child.once('exit', () => reject(new Error(out)));
      });
      // The data directory stays the running vault's: the command runs inside it.
      expect(statSync(join(dir, 'admin.sock')).mode & 0o777).toBe(0o600);
      // (Two accounts exist by now; origins list needs no --account.)
      const r = run('origins', 'list');
      expect(r.status, r.stderr).toBe(0);
      expect(r.json.length).toBeGreaterThan(0);
      const bad = run('keys', 'revoke', 'key_nonexistent');
      expect(bad.status).toBe(2);
      expect(bad.stderr).toMatch(/No such key/);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
