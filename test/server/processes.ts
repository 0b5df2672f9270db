/**
 * Real vault processes for lifecycle tests: the CLI run from source, each child owned by a
 * {@link Children} set that kills what is left in afterEach, and PostgreSQL schemas made per test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const cli = join(root, 'server/src/cli.ts');

/** PostgreSQL for the suites that need it (CI sets TEST_DATABASE_URL). */
export const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** An environment with no KEK, no database and no rate limit unless the test sets them. */
export function baseEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, CARDVAULT_RATE_LIMIT: 'off', CARDVAULT_KEK: '', CARDVAULT_KEK_FILE: '', DATABASE_URL: '', ...extra };
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  /** Milliseconds from spawn to exit. */
  ms: number;
  /** True when the test had to kill it (it did not exit by itself in time). */
  timedOut: boolean;
}

/** Every child a test starts; `killAll()` in afterEach. */
export class Children {
  private readonly all = new Set<ChildProcess>();

  spawn(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.all.add(child);
    child.once('exit', () => this.all.delete(child));
    return child;
  }

  /** Runs the CLI to completion (killed after `timeoutMs`). */
  run(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<Exit> {
    const started = Date.now();
    const child = this.spawn(args, env);
    return collect(child, started, timeoutMs);
  }

  /** Starts `serve` and resolves once it prints its listening line. */
  serve(args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs = 90_000): Promise<Vault> {
    const started = Date.now();
    const child = this.spawn(['serve', '--port', '0', ...args], env);
    const exit = collect(child, started, 10 * 60_000);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vault did not start: ${out}`)), timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ child, url: m[1]!, exit });
        }
      });
      void exit.then((e) => {
        clearTimeout(timer);
        reject(new Error(`vault exited (${e.code}): ${e.stdout}${e.stderr}`));
      });
    });
  }

  killAll(): void {
    for (const c of this.all) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    this.all.clear();
  }
}

export interface Vault {
  child: ChildProcess;
  url: string;
  /** Resolves when the process ends, with everything it printed. */
  exit: Promise<Exit>;
}

function collect(child: ChildProcess, started: number, timeoutMs: number): Promise<Exit> {
  let stdout = '';
  let stderr = '';
  let timedOut = false;
  child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, timeoutMs);
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      // Let the pipes drain what was written just before exit.
      setImmediate(() => resolve({ code, signal, stdout, stderr, ms: Date.now() - started, timedOut }));
    });
  });
}

/** JSON log lines a vault printed on stdout. */
export function logLines(stdout: string): Array<Record<string, unknown>> {
  return stdout
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

/** A fresh schema on the test PostgreSQL, and a DATABASE_URL whose connections use it. */
export async function pgSchema(): Promise<{ url: string; schema: string; query(text: string, params?: unknown[]): Promise<any[]>; drop(): Promise<void> }> {
  if (!pgUrl) throw new Error('No TEST_DATABASE_URL');
  const schema = `cv_life_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgUrl });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  await admin.end();
  const u = new URL(pgUrl);
  u.searchParams.set('options', `-c search_path=${schema}`);
  const url = u.toString();
  return {
    url,
    schema,
    async query(text, params = []) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query(text, params)).rows;
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: pgUrl });
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await c.end();
    },
  };
}
