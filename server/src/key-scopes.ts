/**
 * Who may manage which API keys (issue 12). A secret key is a merchant's server credential: it may
 * manage the account's publishable keys (public values, replaceable by the merchant), but never
 * create, roll or revoke a secret key. Only the operator (CLI, admin channel) can. Otherwise a
 * leaked secret key breeds spare secret keys that outlive its own roll and revocation, or revokes
 * the merchant's other keys.
 */
import { CardvaultError } from '../../src/errors';
import { CREATED_BY_OPERATOR } from './store/keys';
import type { ApiKeyKind, ApiKeyRow } from './store/types';

/** Who asks for a key operation: the operator, or a secret key through the HTTP API. */
export type KeyActor = { readonly kind: 'operator' } | { readonly kind: 'key'; readonly key: ApiKeyRow };

/** The operator: the CLI, the admin channel, the demo's setup. */
export const OPERATOR: KeyActor = { kind: 'operator' };

/** The `created_by` a key made by `actor` records. */
export function createdBy(actor: KeyActor): string {
  return actor.kind === 'operator' ? CREATED_BY_OPERATOR : actor.key.id;
}

/**
 * Throws `key_management_forbidden` unless `actor` may create, roll or revoke a key of `target`
 * kind. Account and mode are checked by the caller (a key never sees another account's keys).
 */
export function assertMayManage(actor: KeyActor, target: ApiKeyKind, action: 'create' | 'roll' | 'revoke'): void {
  if (actor.kind === 'operator') return;
  // Security rule (issue 12, key scopes): no API credential can mint, extend or kill a secret key.
  if (target === 'secret' || actor.key.kind !== 'secret') {
    throw new CardvaultError('key_management_forbidden', {
      param: action === 'create' ? 'type' : 'id',
      message: `A secret key cannot ${action} secret keys. Ask the vault's operator: cardvault-vault keys ${action} …`,
    });
  }
}
