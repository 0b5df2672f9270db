/**
 * The local admin channel of a vault serving a PGlite data directory. PGlite is one process's
 * database, so `cardvault-vault keys …` / `rotate-data-key` cannot open it beside a running vault;
 * they ask the vault instead, over a Unix socket *inside the data directory*:
 *
 * - Security rule: only the operator can reach it. The socket file is mode 0600 in a 0700 data
 *   directory (the directory that already holds the database and the KEK file); there is no TCP
 *   listener and no token: whoever can open this file could read the database anyway.
 * - Protocol: one JSON line `{"op": name, "args": {…}}` per connection; one JSON line back,
 *   `{"ok": true, "result": …}` or `{"ok": false, "error": {message, input, code?}}`.
 */
import { chmodSync, existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import type { Store } from '../store/types';
import type { Vault } from '../vault';
import { AdminInputError, describeFailure, runOperation, type AdminFailure } from './operations';

/** A request line larger than this is refused (arguments are a few ids and flags). */
const MAX_REQUEST_BYTES = 64 * 1024;

/** The admin socket of a data directory. */
export function adminSocketPath(dataDir: string): string {
  return join(dataDir, 'admin.sock');
}

/** Listens on `<dataDir>/admin.sock` for the running vault; resolves a close(). */
export async function startAdminSocket(dataDir: string, ctx: { vault: Vault; store: Store }): Promise<() => Promise<void>> {
  const path = adminSocketPath(dataDir);
  // A socket file left by a killed vault: this process holds the data dir's lock, so it is stale.
  rmSync(path, { force: true });
  const server: Server = createServer((socket) => serveOne(socket, ctx));
  // The socket is created owner-only (umask), not chmod-ed afterwards: between bind and chmod a
  // local user could otherwise connect and run operator commands (create keys, rotate).
  const umask = process.umask(0o177);
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } finally {
    process.umask(umask);
  }
  chmodSync(path, 0o600);
  return () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      rmSync(path, { force: true });
    });
}

function serveOne(socket: Socket, ctx: { vault: Vault; store: Store }): void {
  let buffer = '';
  let done = false;
  socket.setEncoding('utf8');
  socket.on('error', () => {});
  socket.on('data', (chunk: string) => {
    if (done) return;
    buffer += chunk;
    const end = buffer.indexOf('\n');
    if (end < 0) {
      if (buffer.length > MAX_REQUEST_BYTES) reply(new AdminInputError('Admin request too large.'));
      return;
    }
    done = true;
    void handle(buffer.slice(0, end));
  });

  function reply(outcome: { result: unknown } | unknown): void {
    done = true;
    const line =
      outcome !== null && typeof outcome === 'object' && 'result' in outcome
        ? { ok: true, result: (outcome as { result: unknown }).result }
        : { ok: false, error: describeFailure(outcome) };
    socket.end(`${JSON.stringify(line)}\n`);
  }

  async function handle(line: string): Promise<void> {
    let request: { op?: unknown; args?: unknown };
    try {
      request = JSON.parse(line) as typeof request;
    } catch {
      reply(new AdminInputError('Admin request is not JSON.'));
      return;
    }
    if (typeof request.op !== 'string' || (request.args !== undefined && (typeof request.args !== 'object' || request.args === null))) {
      reply(new AdminInputError('Admin request needs op (a string) and args (an object).'));
      return;
    }
    try {
      const result = await runOperation(request.op, ctx, (request.args ?? {}) as Record<string, unknown>);
      reply({ result });
    } catch (error) {
      ctx.vault.log.warn('admin_operation_failed', { op: request.op, ...describeFailure(error) });
      reply(error);
    }
  }
}

/** A failure reported by the vault behind the admin socket. */
export class AdminRemoteError extends Error {
  override readonly name = 'AdminRemoteError';
  constructor(readonly failure: AdminFailure) {
    super(failure.message);
  }
}

/**
 * Runs `op` in the vault serving `dataDir`, if one listens there. Resolves `{ served: false }` when
 * nobody does (no socket file, or a stale one), so the caller opens the store itself.
 */
export async function callAdminSocket(
  dataDir: string,
  op: string,
  args: Record<string, unknown>,
): Promise<{ served: true; result: unknown } | { served: false }> {
  const path = adminSocketPath(dataDir);
  if (!existsSync(path)) return { served: false };
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let connected = false;
    let answer = '';
    socket.setEncoding('utf8');
    socket.once('connect', () => {
      connected = true;
      socket.write(`${JSON.stringify({ op, args })}\n`);
    });
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.once('error', (error: NodeJS.ErrnoException) => {
      // Nobody listening (a vault killed without cleaning up): not served, open the store.
      if (!connected && (error.code === 'ECONNREFUSED' || error.code === 'ENOENT')) resolve({ served: false });
      else reject(error);
    });
    socket.once('end', () => {
      let line: { ok?: boolean; result?: unknown; error?: AdminFailure };
      try {
        line = JSON.parse(answer.trim()) as typeof line;
      } catch {
        reject(new Error('The running vault closed the admin socket without an answer (did it stop?).'));
        return;
      }
      if (line.ok === true) resolve({ served: true, result: line.result });
      else reject(new AdminRemoteError(line.error ?? { message: 'Admin operation failed.', input: false }));
    });
  });
}
