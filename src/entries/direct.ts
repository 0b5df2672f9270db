/**
 * `cardvault/direct`: direct mode for bundlers.
 *
 * PCI scope: direct mode puts the merchant page in PCI DSS SAQ A-EP scope — the page's own
 * JavaScript handles the card number and CVC before they are encrypted. Use the default entry
 * (`cardvault`, hosted fields in Cardvault's frames, SAQ A) unless you accept that scope. This entry
 * is never part of the script-tag bundle (scripts/check-boundary.mjs checks it).
 *
 * @example
 * import { CardvaultDirect, isCardvaultError } from 'cardvault/direct';
 * const cardvault = CardvaultDirect('pk_test_…');
 * try {
 *   const token = await cardvault.createToken({ number, exp_month, exp_year, cvc });
 * } catch (e) {
 *   if (isCardvaultError(e) && e.type === 'validation_error') highlight(e.fields);
 * }
 */
export { createDirectInstance as CardvaultDirect } from '../direct';
export type { CardvaultDirectInstance, DirectCardInput, CreateTokenOptions } from '../direct';
export type { CardvaultOptions } from '../options';
export { CardvaultError, isCardvaultError, CATALOGUE } from '../errors';
export type { ErrorCode, ErrorType, SerializedError } from '../errors';
export {
  detectBrand,
  validateCardNumber,
  validateExpiry,
  validateCvc,
  validatePostalCode,
  formatCardNumber,
  getBrandInfo,
} from '../card';
export type { CardNumberValidation, ExpiryValidation, CvcValidation, PostalCodeValidation, BrandInfo } from '../card';
export type { CardBrand, Token, BillingDetails, ClientTokenSource } from '../types';
export { VERSION } from '../version';
