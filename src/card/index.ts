/**
 * Pure card helpers: brand detection, validation and formatting. No DOM, no network, no state,
 * so they run in the frame, in direct mode and on the vault alike.
 *
 * @example
 * import { validateCardNumber, formatCardNumber } from '../card';
 * validateCardNumber('4242 4242 4242 4242').isValid; // true
 * formatCardNumber('378282246310005');               // '3782 822463 10005'
 */
export type { CardBrand } from '../types';
export { getBrandInfo, isCardBrand, MAX_CARD_LENGTH } from './brands';
export type { BrandInfo } from './brands';
export { detectBrand } from './detect-brand';
export { luhnCheck } from './luhn';
export { validateCardNumber } from './validate-card-number';
export type { CardNumberValidation } from './validate-card-number';
export { validateExpiry, MAX_YEARS_AHEAD } from './validate-expiry';
export type { ExpiryValidation } from './validate-expiry';
export { validateCvc } from './validate-cvc';
export type { CvcValidation } from './validate-cvc';
export { validatePostalCode } from './validate-postal-code';
export type { PostalCodeValidation } from './validate-postal-code';
export { formatCardNumber } from './format-card-number';
export { formatExpiry } from './format-expiry';
export { digitsOnly } from './digits-only';
