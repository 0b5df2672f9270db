/** The element components: thin wrappers, each a placeholder `<div>` over `useCardvaultElement`. */
import { createElement, type FunctionComponent } from 'react';
import type { ElementType } from '../host/types';
import type { ElementProps } from './types';
import { useCardvaultElement } from './use-element';

function elementComponent<T extends ElementType>(type: T, name: string): FunctionComponent<ElementProps<T>> {
  const Component: FunctionComponent<ElementProps<T>> = (props) => {
    const { ref, className } = useCardvaultElement(type, props, `<${name}>`);
    // The same markup on the server and in the browser's first render, so hydration matches; the
    // frame is appended inside it after the commit, where React renders no children of its own.
    return createElement('div', { id: props.id, className, ref });
  };
  Component.displayName = name;
  return Component;
}

/**
 * The combined card field (number, expiry, CVC and, unless hidden, postal code).
 *
 * @example
 * <CardElement options={{ hidePostalCode: true }} onChange={(e) => setComplete(e.complete)} />
 */
export const CardElement = elementComponent('card', 'CardElement');
/** The card-number field of split fields; it tokenizes for the group. */
export const CardNumberElement = elementComponent('cardNumber', 'CardNumberElement');
/** The expiry field of split fields. */
export const CardExpiryElement = elementComponent('cardExpiry', 'CardExpiryElement');
/** The CVC field of split fields. */
export const CardCvcElement = elementComponent('cardCvc', 'CardCvcElement');
/** The postal-code field of split fields. */
export const PostalCodeElement = elementComponent('postalCode', 'PostalCodeElement');
