import type { BillingDetails } from './types';

/**
 * The billing members a token may carry: the wire format's `card[<member>]` list, and the keys
 * every entry accepts in `createToken(…, extra)` / direct mode's `billing`. Not card data.
 */
export const BILLING_FIELDS = [
  'name',
  'address_line1',
  'address_city',
  'address_state',
  'address_zip',
  'address_country',
] as const satisfies readonly (keyof BillingDetails)[];
