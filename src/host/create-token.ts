/** `cardvault.createToken()`: asks the element's frame to tokenize; the host never sees card data. */
import { isSecureContextNow, resolveCredential } from '../auth/credential';
import type { Token } from '../types';
import type { HostContext } from './cardvault';
import { handles } from './element';
import { bad, BILLING, checkOptions } from './validate';

/** Extra wait beyond `timeouts.total` for the frame to report its own timeout first. */
const MARGIN = 5000;

/**
 * Resolves the credential (calling the merchant's client-token function now), sends `tokenize` to
 * the tokenizing frame and returns its token. One shape: always a promise, rejected with a
 * `CardvaultError` (misuse included), never a thrown error or a `{ error }` result.
 */
export async function createToken(
  ctx: HostContext,
  element: unknown,
  extra: unknown,
  onLivemode: (livemode: boolean) => void,
): Promise<Token> {
  // WeakMap#get of a non-object is undefined, never a throw.
  const h = handles.get(element as object);
  if (!h) throw bad('element', 'an element from elements().create()', element);
  const billing = extra === undefined ? undefined : checkOptions(extra, 'extra', BILLING);
  // Split fields: the card-number frame tokenizes and gathers its siblings' values itself.
  const target = (h.type !== 'card' && h.group.members.get('cardNumber')) || h;
  // Fail fast (and without calling the merchant's client-token function) when it cannot work.
  const unusable = target.unusable();
  if (unusable) throw unusable;
  const credential = await resolveCredential(ctx.credential, isSecureContextNow());
  onLivemode(credential.livemode);
  const { request, total } = ctx.options.timeouts;
  return target.tokenize(
    {
      credential: { kind: credential.kind, value: credential.value },
      apiBase: ctx.options.apiBase,
      timeouts: { request, total },
      ...(billing && { billing }),
    },
    total + MARGIN,
  );
}
