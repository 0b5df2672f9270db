/**
 * Where an admin operation runs: in the vault serving a PGlite data directory (through its admin
 * socket), else on a store opened here. PostgreSQL always runs it here, beside running vaults:
 * they learn of changes through LISTEN/NOTIFY (store/events.ts).
 */
import { resolve } from 'node:path';
import type { LogSink } from '../log';
import { openStore } from '../store/open';
import { Vault } from '../vault';
import { runOperation } from './operations';
import { callAdminSocket } from './socket';

export interface AdminTarget {
  dataDir: string;
  databaseUrl?: string;
  log: LogSink;
}

/** Runs the named operation where it belongs; resolves its result. */
export async function runAdmin(target: AdminTarget, op: string, args: Record<string, unknown>): Promise<unknown> {
  if (!target.databaseUrl) {
    const remote = await callAdminSocket(resolve(target.dataDir), op, args);
    if (remote.served) return remote.result;
  }
  const store = await openStore({ ...(target.databaseUrl ? { databaseUrl: target.databaseUrl } : {}), dataDir: target.dataDir });
  try {
    const vault = await Vault.create({ store, log: target.log });
    return await runOperation(op, { vault, store }, args);
  } finally {
    await store.close();
  }
}
