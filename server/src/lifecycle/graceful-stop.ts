/**
 * Graceful stop of the vault's HTTP server: stop accepting, let every request in flight finish
 * within a grace period, tell keep-alive clients not to reuse their connections, then close them.
 */
import type { Server, ServerResponse } from 'node:http';
import { Server as NetServer, type Socket } from 'node:net';

/** Default grace for requests in flight (`--shutdown-grace`, CARDVAULT_SHUTDOWN_GRACE_SECONDS). */
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

/**
 * A keep-alive connection idle this long while stopping is closed. Not at once: a client may have
 * written its next request on it already (the classic keep-alive race), and that request would be
 * reset. Lingering briefly lets it arrive; it is then served with `Connection: close`.
 */
const IDLE_LINGER_MS = 500;

const POLL_MS = 20;

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
  idleSince: number;
}

/** Starts tracking `server`'s connections and requests; call before it receives any. */
export function trackConnections(server: Server): ConnectionTracker {
  const sockets = new Map<Socket, SocketState>();
  const open = new Set<ServerResponse>();
  let draining = false;

  server.on('connection', (socket: Socket) => {
    sockets.set(socket, { active: 0, idleSince: Date.now() });
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
      if (state) {
        state.active--;
        state.idleSince = Date.now();
      }
    });
  });

  return {
    async drain(graceMs) {
      draining = true;
      const inFlight = open.size;
      // Only stop listening: http.Server#close would also close idle keep-alive connections at once
      // (Node 19+), racing requests clients are writing on them right now (see IDLE_LINGER_MS).
      NetServer.prototype.close.call(server);
      for (const res of open) if (!res.headersSent) res.setHeader('Connection', 'close');
      const deadline = Date.now() + graceMs;
      let last = Date.now();
      while (sockets.size > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, POLL_MS));
        // Judged after the I/O phase (setImmediate runs after it), so a request that arrived while
        // the event loop was busy has been parsed and counted before its connection looks idle.
        await new Promise((r) => setImmediate(r));
        const now = Date.now();
        // A stalled loop (a long query on PGlite) makes every connection look idle: wait a round.
        const stalled = now - last > POLL_MS * 5;
        last = now;
        if (stalled) continue;
        for (const [socket, state] of sockets) {
          if (state.active === 0 && now - state.idleSince >= IDLE_LINGER_MS) socket.destroy();
        }
      }
      let cut = 0;
      for (const [socket, state] of sockets) {
        cut += state.active;
        socket.destroy();
      }
      return { inFlight, cut };
    },
  };
}
