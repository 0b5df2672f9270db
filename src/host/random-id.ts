/**
 * A 128-bit random id, base64url (22 chars): channels, group ids and request ids. Unguessable, so a
 * script on the merchant page cannot forge a message for another element's channel.
 */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
