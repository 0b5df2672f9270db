import type { Store } from '../store/types';
import type { Vault } from '../vault';
import { startAdminSocket } from './socket';

/**
 * What a serving vault runs beside HTTP so operators can change it live: it follows the other
 * vaults on its database (PostgreSQL LISTEN/NOTIFY: revocations, data keys), and on a PGlite data
 * directory it answers the CLI on the admin socket. Resolves a close() for shutdown.
 */
export async function startLiveAdmin(vault: Vault, store: Store): Promise<() => Promise<void>> {
  const unfollow = await vault.follow();
  let closeSocket: (() => Promise<void>) | null = null;
  if (store.backend === 'pglite' && store.dataDir !== null) {
    try {
      closeSocket = await startAdminSocket(store.dataDir, { vault, store });
    } catch (error) {
      // e.g. a data-dir path too long for a Unix socket (~100 bytes): serve anyway; the CLI then
      // says the directory is in use, as before.
      vault.log.warn('admin_socket_unavailable', { message: (error as Error).message });
    }
  }
  return async () => {
    await closeSocket?.();
    await unfollow();
  };
}
