/**
 * Type tests of the React bindings (`cardvault/react`). Every `@ts-expect-error` line is a misuse
 * that must NOT compile (`npm run typecheck` fails if one ever does). Nothing here renders.
 */
import { createElement as h } from 'react';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Cardvault, type CardvaultElement, type CardvaultElements, type CardvaultError, type CardvaultInstance, type Token } from '../../src/entries/esm';
import {
  CardCvcElement,
  CardElement,
  CardExpiryElement,
  CardNumberElement,
  CardvaultProvider,
  PostalCodeElement,
  useCardvault,
  useElements,
  type CardNumberElementProps,
} from '../../src/entries/react';

// Never called: bodies the type checker reads.
function provider(cardvault: CardvaultInstance) {
  h(CardvaultProvider, { cardvault }, h(CardElement));
  h(CardvaultProvider, { cardvault: Promise.resolve(cardvault) });
  h(CardvaultProvider, { cardvault: import('../../src/entries/esm').then((m) => m.Cardvault('pk_test_abcdefghijklmnopqrstuvwx')) });
  h(CardvaultProvider, { cardvault: null, options: { locale: 'fr', fonts: [{ cssSrc: 'https://fonts.example/a.css' }] } });
  // @ts-expect-error the provider takes an instance, not a key
  h(CardvaultProvider, { cardvault: 'pk_test_abcdefghijklmnopqrstuvwx' });
  // @ts-expect-error the cardvault prop is required (null on the server)
  h(CardvaultProvider, {});
  // @ts-expect-error elements options are fonts, locale and style
  h(CardvaultProvider, { cardvault, options: { appearance: 'night' } });
  // @ts-expect-error locale is a closed union of the supported codes (and their regional tags)
  h(CardvaultProvider, { cardvault, options: { locale: 'tlh' } });
}

function elements() {
  h(CardElement, { id: 'card', className: 'box', options: { hidePostalCode: true, hideIcon: true, style: { base: { color: '#333' } } } });
  h(CardNumberElement, { options: { placeholder: '1234', hideIcon: true } });
  h(CardExpiryElement, { options: { disabled: true } });
  h(CardCvcElement, { onBlur: (e) => expectTypeOf(e.elementType).toEqualTypeOf<'cardCvc'>() });
  h(PostalCodeElement, { onEscape: () => {} });
  h(CardElement, {
    onReady: (el) => expectTypeOf(el).toEqualTypeOf<CardvaultElement<'card'>>(),
    onChange: (e) => {
      expectTypeOf(e.complete).toBeBoolean();
      expectTypeOf(e.elementType).toEqualTypeOf<'card'>();
      // @ts-expect-error change events never carry the value
      void e.value;
    },
    onLoadError: (e) => expectTypeOf(e.error).toEqualTypeOf<CardvaultError>(),
  });
  // @ts-expect-error hidePostalCode is the combined card's option
  h(CardNumberElement, { options: { hidePostalCode: true } });
  // @ts-expect-error split fields other than the number have no brand icon
  h(CardCvcElement, { options: { hideIcon: true } });
  // @ts-expect-error no value option: the page never sets card data
  h(CardNumberElement, { options: { value: '4242424242424242' } });
  // @ts-expect-error unknown handler
  h(CardElement, { onInput: () => {} });
  // @ts-expect-error onReady gets the element of this component's type
  h(CardCvcElement, { onReady: (el: CardvaultElement<'cardNumber'>) => el });
  const props: CardNumberElementProps = { onFocus: (e) => expectTypeOf(e.elementType).toEqualTypeOf<'cardNumber'>() };
  void props;
}

function hooks() {
  const cardvault = useCardvault();
  const group = useElements();
  expectTypeOf(cardvault).toEqualTypeOf<CardvaultInstance | null>();
  expectTypeOf(group).toEqualTypeOf<CardvaultElements | null>();
  // @ts-expect-error null until the provider has an instance: check it first
  void cardvault.createToken(group!.getElement('card'));
  // @ts-expect-error null until the provider has its group: check it first
  void group.getElement('card');
  if (!cardvault || !group) return;
  expectTypeOf(group.getElement('cardNumber')).toEqualTypeOf<CardvaultElement<'cardNumber'> | null>();
  // The documented call: getElement's `null` (no such element yet) rejects at run time.
  expectTypeOf(cardvault.createToken(group.getElement('card'))).toEqualTypeOf<Promise<Token>>();
  void cardvault.createToken(group.getElement('cardNumber'), { name: 'Jenny Rosen' });
  // @ts-expect-error unknown element type
  group.getElement('cardPin');
  // @ts-expect-error the group is not an element
  void cardvault.createToken(group);
  // @ts-expect-error a component is not an element (pass its type to getElement)
  void cardvault.createToken(CardElement);
}

describe('React binding types', () => {
  it('compiles the usage above (see npm run typecheck)', () => {
    expect([provider, elements, hooks].every((f) => typeof f === 'function')).toBe(true);
    expect(typeof Cardvault).toBe('function');
  });
});
