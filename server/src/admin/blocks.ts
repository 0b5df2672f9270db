/**
 * Operator actions on card-testing blocks: list the live ones, clear some or all. Plain functions
 * of (vault, store) and parsed arguments, so the CLI and an admin channel into a running vault call
 * the same code. On PostgreSQL they act on the shared tables (every vault sees the change at once);
 * on PGlite the blocks live in the serving process's memory, so they must run inside it.
 */
import type { BlockView } from '../abuse';
import { AdminArgumentError, type AdminContext } from './context';

/** `blocks list`: live blocks, longest first. */
export async function listBlocks(ctx: AdminContext, _args: Record<string, unknown>): Promise<{ blocks: BlockView[] }> {
  return { blocks: await ctx.vault.abuse.listBlocks() };
}

function optionalString(args: Record<string, unknown>, name: string): string | undefined {
  const v = args[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string' || v === '' || v.length > 200) throw new AdminArgumentError(`--${name} must be a non-empty string.`);
  return v;
}

/**
 * `blocks clear [--ip IP] [--key KEY_ID]`: deletes the matching blocks and resets their counters,
 * so the next request starts a fresh window. `--key` takes a publishable key id (`key_…`) or a
 * client token's `ct:<id>`. Without a filter, every block goes (cards' included).
 */
export async function clearBlocks(ctx: AdminContext, args: Record<string, unknown>): Promise<{ cleared: number }> {
  const ip = optionalString(args, 'ip');
  const key = optionalString(args, 'key');
  const cleared = await ctx.vault.abuse.clearBlocks({ ...(ip !== undefined ? { ip } : {}), ...(key !== undefined ? { key } : {}) });
  ctx.vault.log.info('card_testing_blocks_cleared', { ...(ip !== undefined ? { ip } : {}), ...(key !== undefined ? { key_id: key } : {}), cleared });
  return { cleared };
}
