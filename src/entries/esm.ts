/**
 * The ESM package (`import { Cardvault } from 'cardvault'`). Tree-shakeable and SSR-safe: importing
 * it touches neither `window` nor `document`; only calling into elements does.
 */
export { createInstance as Cardvault } from '../host/cardvault';
export type { CardvaultInstance } from '../host/cardvault';
export type {
  CardvaultElement,
  CardvaultElements,
  ElementType,
  ElementOptions,
  ElementsOptions,
  ElementStyle,
  StyleRules,
  FontSource,
  ElementError,
  ElementEventMap,
  ElementEventName,
  ElementEventHandler,
  TokenExtra,
} from '../host/types';
export type { CardvaultOptions } from '../options';
export { CardvaultError, isCardvaultError, CATALOGUE } from '../errors';
export type { ErrorCode, ErrorType, SerializedError } from '../errors';
export {
  detectBrand,
  validateCardNumber,
  validateExpiry,
  validateCvc,
  formatCardNumber,
  getBrandInfo,
} from '../card';
export type { CardBrand, Token, BillingDetails, Locale, LocaleCode } from '../types';
export { VERSION } from '../version';
