/**
 * The host's half of the binding fixed at creation (decision 0009): what the frame URL's fragment
 * says the frame must accept, and the one `connect` that says it again with a private port.
 *
 * The frame accepts one `connect`, only one naming the fragment's credential and API base, and
 * acknowledges it with its first message on that connect's port; the element fires `ready` on that
 * message, never on `hello` (src/host/element.ts). A page script can read the fragment, and can
 * answer `hello` itself, but it cannot read a message on our port: the port's other end went only to
 * our frame origin, in a channel made with the MessageChannel of SDK load time.
 */
import { envelope } from '../protocol/envelope';
import { PROTOCOL_VERSION, VERSION } from '../version';
import type { HostContext } from './cardvault';

// Captured when the SDK loads: a script that later wraps window.MessageChannel never sees our ports
// nor runs inside our handshake (where it could post its own connect first).
const Channel = MessageChannel;

/**
 * The fragment's `cred` and `api`: the publishable key, or a client token without its signature
 * (the frame reads its account; unsigned, it authenticates nothing), or nothing for a client-token
 * function; and the API base.
 */
export const fixedAtCreation = ({ credential: c, options }: HostContext) => ({
  cred: typeof c === 'function' ? '' : c.value.replace(/\.[^.]*$/, ''),
  api: options.apiBase,
});

/**
 * Posts `connect` to the frame's window with a fresh port, to the exact frame origin (never '*'):
 * the credential (whole) and the API base the fragment named. Returns our end of the port.
 */
export function connectFrame(win: Window, channel: string, { credential: c, options }: HostContext, onMessage: (data: unknown) => void): MessagePort {
  const { port1, port2 } = new Channel();
  port1.onmessage = (e) => onMessage(e.data);
  win.postMessage(
    envelope(channel, 'connect', {
      sdkVersion: VERSION,
      protocolVersion: PROTOCOL_VERSION,
      options: { apiBase: options.apiBase, ...(typeof c !== 'function' && { credential: { kind: c.kind, value: c.value } }) },
    }),
    options.frameOrigin,
    [port2],
  );
  return port1;
}
