/**
 * Durability: the vault (a child process on a PGlite data dir) is SIGKILLed in the middle of a
 * stream of tokenizations and restarted; every token whose creation was answered 200 is there.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bearer, cardForm, get, postForm } from './helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'server/src/cli.ts');

function serve(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0', '--data-dir', dataDir], {
    cwd: root,
    env: { ...process.env, CARDVAULT_RATE_LIMIT: 'off', CARDVAULT_KEK: '', CARDVAULT_KEK_FILE: '', DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`vault did not start: ${out}`)), 90_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]! });
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`vault exited (${code}): ${out}`)));
  });
}

describe('crash safety', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cardvault-crash-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every token answered 200 across a SIGKILL', async () => {
    const init = spawnSync(process.execPath, ['--import', 'tsx', cli, 'init', '--data-dir', dir], {
      cwd: root,
      env: { ...process.env, CARDVAULT_KEK: '', CARDVAULT_KEK_FILE: '', DATABASE_URL: '' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(init.status, init.stderr).toBe(0);
    const keys = JSON.parse(init.stdout) as { publishable_key: string; secret_key: string };

    const first = await serve(dir);
    children.push(first.child);
    const created: string[] = [];
    let killed = false;
    const worker = async (): Promise<void> => {
      while (!killed) {
        try {
          const res = await postForm(`${first.url}/v1/tokens`, cardForm(keys.publishable_key));
          if (res.status === 200) created.push(res.body.id as string);
        } catch {
          return; // connection reset by the kill
        }
      }
    };
    const workers = Array.from({ length: 8 }, worker);
    const deadline = Date.now() + 10_000;
    while (created.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    first.child.kill('SIGKILL');
    killed = true;
    await Promise.all(workers);
    expect(created.length).toBeGreaterThan(50);

    const second = await serve(dir);
    children.push(second.child);
    const missing: string[] = [];
    for (const id of created) {
      const res = await get(`${second.url}/v1/tokens/${id}`, bearer(keys.secret_key));
      if (res.status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
    second.child.kill('SIGTERM');
  });
});
