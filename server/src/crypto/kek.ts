import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface KekSource {
  /** The 32 raw bytes of the key-encryption key. */
  bytes: Uint8Array;
  /** Where it came from, for the start-up log (never the key itself). */
  source: 'env' | 'file' | 'generated-file' | 'ephemeral';
  path?: string;
}

function decodeKek(text: string, where: string): Uint8Array {
  const trimmed = text.trim();
  const bytes = Buffer.from(trimmed, 'base64');
  if (bytes.length !== 32 || !/^[A-Za-z0-9+/_-]+=*$/.test(trimmed)) {
    throw new Error(`${where} must hold a base64-encoded 32-byte key (e.g. \`openssl rand -base64 32\`).`);
  }
  return new Uint8Array(bytes);
}

/**
 * Finds the key-encryption key: `CARDVAULT_KEK` (base64, 32 bytes), else the file named by
 * `CARDVAULT_KEK_FILE`, else `<dataDir>/kek` — created on first use with 0600 permissions so a
 * local vault needs no setup. Without any of these (an in-memory store) the key is ephemeral.
 */
export function resolveKek(env: NodeJS.ProcessEnv, dataDir: string | null): KekSource {
  if (env.CARDVAULT_KEK) return { bytes: decodeKek(env.CARDVAULT_KEK, 'CARDVAULT_KEK'), source: 'env' };
  if (env.CARDVAULT_KEK_FILE) {
    return { bytes: decodeKek(readFileSync(env.CARDVAULT_KEK_FILE, 'utf8'), 'CARDVAULT_KEK_FILE'), source: 'file', path: env.CARDVAULT_KEK_FILE };
  }
  if (dataDir === null) return { bytes: new Uint8Array(randomBytes(32)), source: 'ephemeral' };
  const path = join(dataDir, 'kek');
  if (existsSync(path)) return { bytes: decodeKek(readFileSync(path, 'utf8'), path), source: 'file', path };
  const bytes = new Uint8Array(randomBytes(32));
  // 'wx' fails if another process created it meanwhile; then that one's key is used.
  try {
    writeFileSync(path, `${Buffer.from(bytes).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    chmodSync(path, 0o600);
  } catch {
    return { bytes: decodeKek(readFileSync(path, 'utf8'), path), source: 'file', path };
  }
  return { bytes, source: 'generated-file', path };
}
