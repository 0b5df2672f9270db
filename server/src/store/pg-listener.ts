import pg from 'pg';

/** How long a lost LISTEN connection waits before it reconnects. */
const RECONNECT_MS = 500;

/**
 * A dedicated connection that LISTENs on one channel and reconnects when it is lost. Notifications
 * sent while it was away are gone, so `reset()` runs on every reconnect: the listener drops all
 * that it cached, as if it had been told everything changed.
 */
export async function listenPg(
  config: pg.ClientConfig,
  channel: string,
  handlers: { message(payload: string): void; reset(): void },
): Promise<() => Promise<void>> {
  let client: pg.Client | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | null = null;

  const connect = async (): Promise<void> => {
    const c = new pg.Client(config);
    c.on('notification', (n) => {
      if (n.channel === channel && n.payload !== undefined) handlers.message(n.payload);
    });
    const lost = (): void => {
      if (client !== c) return;
      client = null;
      handlers.reset();
      schedule();
    };
    c.on('error', lost);
    c.on('end', lost);
    await c.connect();
    // The channel name is derived (hex), never user input; quoted anyway.
    await c.query(`LISTEN "${channel}"`);
    if (stopped) {
      await c.end().catch(() => {});
      return;
    }
    client = c;
  };

  const schedule = (): void => {
    if (stopped || timer !== null) return;
    timer = setTimeout(() => {
      timer = null;
      connect().then(
        () => handlers.reset(),
        () => schedule(),
      );
    }, RECONNECT_MS);
    timer.unref();
  };

  await connect();
  return async () => {
    stopped = true;
    if (timer !== null) clearTimeout(timer);
    const c = client;
    client = null;
    await c?.end().catch(() => {});
  };
}
