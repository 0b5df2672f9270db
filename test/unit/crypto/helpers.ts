import { Crypto } from '@peculiar/webcrypto';
import type { CardPayload } from '../../../src/types';

/** Every WebCrypto implementation the client crypto must run on. */
export const SUBTLES: [name: string, subtle: SubtleCrypto][] = [
  ['node webcrypto', globalThis.crypto.subtle],
  ['@peculiar/webcrypto', new Crypto().subtle as SubtleCrypto],
];

export const CARD: CardPayload = {
  number: '4242424242424242',
  exp_month: 12,
  exp_year: 2034,
  cvc: '123',
  name: 'Ada Lovelace',
  address_zip: '94107',
};

export const b64u = (bytes: Uint8Array | string): string => Buffer.from(bytes).toString('base64url');
export const fromB64u = (value: string): Uint8Array<ArrayBuffer> => new Uint8Array(Buffer.from(value, 'base64url'));
