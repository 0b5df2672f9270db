/**
 * Real vault processes for the fault tests: `cardvault-vault serve` and CLI commands run from
 * source (tsx) as children. A {@link Children} owns every child it starts; kill them all in
 * afterEach so a failing test leaves nothing running.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'server/src/cli.ts');

export const pgUrl = process.env.TEST_DATABASE_URL;

/** Where a vault keeps its data: a PGlite data dir, or a PostgreSQL schema (with a fixed KEK). */
export type Where = { kind: 'pglite'; dataDir: string } | { kind: 'postgres'; schema: string; kek: string; dataDir: string };

export function pgWhere(dataDir: string): Where {
  return { kind: 'postgres', schema: `cv_rot_${process.pid}_${randomBytes(4).toString('hex')}`, kek: randomBytes(32).toString('base64'), dataDir };
}

export async function dropSchema(where: Where): Promise<void> {
  if (where.kind !== 'postgres' || !pgUrl) return;
  const client = new pg.Client({ connectionString: pgUrl });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${where.schema} CASCADE`);
  await client.end();
}

function envFor(where: Where): NodeJS.ProcessEnv {
  const base = { ...process.env, CARDVAULT_RATE_LIMIT: 'off', CARDVAULT_KEK_FILE: '', CARDVAULT_DATA_DIR: where.dataDir };
  if (where.kind === 'pglite') return { ...base, CARDVAULT_KEK: '', DATABASE_URL: '', CARDVAULT_PG_SCHEMA: '' };
  return { ...base, CARDVAULT_KEK: where.kek, DATABASE_URL: pgUrl, CARDVAULT_PG_SCHEMA: where.schema };
}

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the command exits. */
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; json: any }>; // eslint-disable-line @typescript-eslint/no-explicit-any
  /** performance.now() when stdout first received data (the command's answer). */
  answeredAt(): number | null;
  /** Resolves when stderr has shown a line matching `re`. */
  waitForStderr(re: RegExp, timeoutMs: number): Promise<void>;
}

export interface Served {
  child: ChildProcess;
  url: string;
}

export class Children {
  private readonly all: ChildProcess[] = [];

  /** Runs `cardvault-vault <args>` against `where`. */
  cli(where: Where, ...args: string[]): CliRun {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { cwd: root, env: envFor(where), stdio: ['ignore', 'pipe', 'pipe'] });
    this.all.push(child);
    let stdout = '';
    let stderr = '';
    let answered: number | null = null;
    const waiters: { re: RegExp; resolve(): void }[] = [];
    child.stdout!.on('data', (c: Buffer) => {
      answered ??= performance.now();
      stdout += c.toString();
    });
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      for (const w of [...waiters]) {
        if (w.re.test(stderr)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
      }
    });
    const done = new Promise<Awaited<CliRun['done']>>((resolve) => {
      child.once('exit', (code, signal) => {
        let json: unknown = null;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = null;
        }
        resolve({ code, signal, stdout, stderr, json });
      });
    });
    return {
      child,
      done,
      answeredAt: () => answered,
      waitForStderr: (re, timeoutMs) =>
        new Promise<void>((resolve, reject) => {
          if (re.test(stderr)) return resolve();
          const timer = setTimeout(() => reject(new Error(`no ${re} on stderr in ${timeoutMs} ms: ${stderr.slice(-500)}`)), timeoutMs);
          waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
          void done.then(() => reject(new Error(`exited before ${re}: ${stderr.slice(-500)}`)));
        }),
    };
  }

  /** Starts `cardvault-vault serve --port 0` on `where`; resolves once it listens. */
  serve(where: Where): Promise<Served> {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', '--port', '0'], { cwd: root, env: envFor(where), stdio: ['ignore', 'pipe', 'pipe'] });
    this.all.push(child);
    return new Promise((resolve, reject) => {
      let out = '';
      const timer = setTimeout(() => reject(new Error(`vault did not start: ${out.slice(-500)}`)), 90_000);
      child.stdout!.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m) {
          clearTimeout(timer);
          resolve({ child, url: m[1]! });
        }
      });
      child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`vault exited (${code}): ${out.slice(-500)}`));
      });
    });
  }

  /** Kills a child (SIGKILL by default) and waits for it to be gone. */
  async stop(child: ChildProcess, signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = new Promise((r) => child.once('exit', r));
    child.kill(signal);
    await gone;
  }

  /** SIGKILLs every child still running (afterEach). */
  async killAll(): Promise<void> {
    await Promise.all(this.all.map((c) => this.stop(c)));
    this.all.length = 0;
  }
}
