/**
 * Helpers for the vault's API contract tests: storage backends, an in-process vault on an
 * ephemeral port with an injectable clock and captured logs, and small HTTP helpers.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, startServer, ensureDemoAccount, type AbuseOptions, type LogEntry, type DemoKeys } from '../../server/src';
import type { SqlStore } from '../../server/src/store/sql-store';
import type { RunningServer } from '../../server/src/app';
import { futureExpiry } from '../fixtures/test-cards';

export interface Backend {
  name: string;
  open(): Promise<{ store: SqlStore; dispose(): Promise<void> }>;
}

const pgUrl = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;

/** PGlite always; PostgreSQL when TEST_DATABASE_URL (or DATABASE_URL) is set, in a fresh schema. */
export function backends(): Backend[] {
  const list: Backend[] = [
    {
      name: 'PGlite',
      async open() {
        const store = await openStore({ dataDir: 'memory://' });
        return { store, dispose: () => store.close() };
      },
    },
  ];
  if (pgUrl) {
    list.push({
      name: 'PostgreSQL',
      async open() {
        const schema = `cv_test_${process.pid}_${randomBytes(4).toString('hex')}`;
        const store = await openStore({ databaseUrl: pgUrl, schema, poolSize: 4 });
        return {
          store,
          async dispose() {
            await store.close();
            const client = new pg.Client({ connectionString: pgUrl });
            await client.connect();
            await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
            await client.end();
          },
        };
      },
    });
  } else if (!warned) {
    warned = true;
    console.warn('\n*** PostgreSQL suites NOT run: set TEST_DATABASE_URL=postgres://… to run them. ***\n');
  }
  return list;
}
let warned = false;

export interface TestVault {
  url: string;
  server: RunningServer;
  store: SqlStore;
  keys: DemoKeys;
  logs: LogEntry[];
  /** The injected clock (Unix ms); tests move it forward. */
  clock: { now: number };
  close(): Promise<void>;
}

/** The origin the test vault treats as Cardvault's frame origin (it believes host_origin from it). */
export const FRAME_ORIGIN = 'https://js.cardvault.test';

export const NO_ABUSE: AbuseOptions = { perIp: false, perKey: false, cardTesting: false };

export async function startTestVault(backend: Backend, options: { abuse?: AbuseOptions; tokenTtlSeconds?: number; trustProxy?: number | string } = {}): Promise<TestVault> {
  const { store, dispose } = await backend.open();
  const clock = { now: Date.now() };
  const logs: LogEntry[] = [];
  const server = await startServer({
    port: 0,
    store,
    now: () => clock.now,
    log: (e) => logs.push(e),
    abuse: options.abuse ?? NO_ABUSE,
    frameOrigins: [FRAME_ORIGIN],
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    // Tests move the injected clock hours ahead for a moment: a sweep then would delete tokens
    // other tests still use. Retention is tested with real processes (retention.test.ts).
    retentionSweepMs: 3_600_000,
    ...(options.tokenTtlSeconds !== undefined ? { tokenTtlSeconds: options.tokenTtlSeconds } : {}),
  });
  const keys = await ensureDemoAccount(server.vault, { liveOrigins: ['https://shop.example'] });
  return {
    url: server.url,
    server,
    store,
    keys,
    logs,
    clock,
    async close() {
      await server.close();
      await dispose();
    },
  };
}

export interface Res {
  status: number;
  headers: Headers;
  body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  text: string;
}

async function toRes(r: Response): Promise<Res> {
  const text = await r.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    body = null;
  }
  return { status: r.status, headers: r.headers, body, text };
}

/** POST a form body (string or record) like the browser SDK does. */
export async function postForm(url: string, form: Record<string, string> | string, headers: Record<string, string> = {}): Promise<Res> {
  const body = typeof form === 'string' ? form : new URLSearchParams(form).toString();
  return toRes(await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers } }));
}

export async function postJson(url: string, json: unknown, headers: Record<string, string> = {}): Promise<Res> {
  return toRes(await fetch(url, { method: 'POST', body: typeof json === 'string' ? json : JSON.stringify(json), headers: { 'content-type': 'application/json', ...headers } }));
}

export async function get(url: string, headers: Record<string, string> = {}): Promise<Res> {
  return toRes(await fetch(url, { headers }));
}

export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` };
}

/** Clear card fields for a test-mode tokenization. */
export function cardForm(key: string, number = '4242424242424242', extra: Record<string, string> = {}): Record<string, string> {
  const { exp_month, exp_year } = futureExpiry();
  return {
    key,
    'card[number]': number,
    'card[exp_month]': String(exp_month),
    'card[exp_year]': String(exp_year),
    'card[cvc]': number.startsWith('37') ? '1234' : '123',
    ...extra,
  };
}
