/**
 * `cardvault/react`: React bindings (React 18 or later, an optional peer dependency). The SDK
 * itself comes from the `cardvault` package (this bundle imports it, it does not copy it), and
 * none of this is ever in the script-tag bundle (scripts/check-boundary.mjs checks both).
 *
 * @example
 * import { Cardvault } from 'cardvault';
 * import { CardvaultProvider, CardElement, useCardvault, useElements } from 'cardvault/react';
 *
 * const cardvault = Cardvault('pk_test_…');
 * function Checkout() {
 *   const cv = useCardvault();
 *   const elements = useElements();
 *   const pay = async () => {
 *     if (!cv || !elements) return;
 *     const token = await cv.createToken(elements.getElement('card'));
 *   };
 *   return <><CardElement /><button onClick={pay}>Pay</button></>;
 * }
 * <CardvaultProvider cardvault={cardvault}><Checkout /></CardvaultProvider>
 */
export { CardvaultProvider } from '../react/provider';
export { useCardvault, useElements } from '../react/context';
export { CardElement, CardNumberElement, CardExpiryElement, CardCvcElement, PostalCodeElement } from '../react/element-components';
export type {
  CardvaultProviderProps,
  ElementProps,
  ElementOptionsFor,
  CardElementProps,
  CardNumberElementProps,
  CardExpiryElementProps,
  CardCvcElementProps,
  PostalCodeElementProps,
} from '../react/types';
