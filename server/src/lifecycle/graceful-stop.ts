/**
 * Graceful stop of the vault's HTTP server: stop accepting, let every request in flight finish
 * within a grace period, tell keep-alive clients not to reuse their connections, then close them.
 */
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** Default grace for requests in flight (`--shutdown-grace`, CARDVAULT_SHUTDOWN_GRACE_SECONDS). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

const POLL_MS = 25;

export interface DrainResult {
  /** Requests in flight when the stop began. */
  inFlight: number;
  /** Requests still unfinished when the grace ran out, whose connections were cut. */
  cut: number;
}

export interface ConnectionTracker {
  /** Stops accepting and waits (at most `graceMs`) for requests in flight; then closes every connection. */
  drain(graceMs: number): Promise<DrainResult>;
}

interface SocketState {
  active: number;
}

/** Starts tracking `server`'s connections and requests; call before it receives any. */
export function trackConnections(server: Server): ConnectionTracker {
  const sockets = new Map<Socket, SocketState>();
  const open = new Set<ServerResponse>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0 });
    socket.once('close', () => sockets.delete(socket));
  });
  // Before the application's handler, so the header is set before anything is sent.
  server.prependListener('request', (req, res) => {
    const state = sockets.get(req.socket);
    if (state) state.active++;
    open.add(res);
    if (draining) res.setHeader('Connection', 'close');
    res.once('close', () => {
      open.delete(res);
      if (state) state.active--;
    });
  });

  return {
    async drain(graceMs) {
      draining = true;
      const inFlight = open.size;
      // Only stop listening: http.Server#close would also close idle keep-alive connections at once
      // (Node 19+), racing requests clients are writing on them right now (see below).
      NetServer.prototype.close.call(server);
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      const deadline = Date.now() + graceMs;
      // Idle keep-alive connections are not closed here: a client may be writing its next request
      // on one right now, and closing it would reset that request (HTTP/1.1 has no way to say
      // "closing" on an idle connection). Node closes each once its keep-alive timeout has passed
      // — a timeout announced to clients (`Keep-Alive: timeout=5`), which close such connections
      // themselves first — and a request that does arrive meanwhile is served with
      // `Connection: close`. So the wait is at most the keep-alive timeout, within the grace.
      while (sockets.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, POLL_MS));
      let cut = 0;
      for (const [socket, state] of sockets) {
        cut += state.active;
        socket.destroy();
      }
      return { inFlight, cut };
    },
  };
}
