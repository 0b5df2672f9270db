/**
 * Type tests of the public API. Every `@ts-expect-error` line is a misuse that must NOT compile:
 * `npm run typecheck` (tsc -p test/tsconfig.json) fails if one ever does. The runtime assertions
 * only give vitest something to run; nothing here touches the DOM.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  Cardvault,
  CardvaultError,
  type CardvaultElement,
  type CardvaultElements,
  type CardvaultInstance,
  type ElementEventMap,
  type ElementType,
  type Token,
} from '../../src/entries/esm';
import CdnCardvault from '../../src/entries/cdn';

// Never called: a function body the type checker reads.
function usage(cardvault: CardvaultInstance, elements: CardvaultElements) {
  // ---- factory ----
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx');
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'fr', timeouts: { frameLoad: 5000 } });
  Cardvault(async () => 'ct_test_…');
  // @ts-expect-error the key is a string or a client-token function
  Cardvault(42);
  // @ts-expect-error unknown factory option
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { colour: 'red' });
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'pt-BR' });
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'zh-Hant' });
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'zh-TW' });
  // @ts-expect-error locale is a closed set: a translated language, optionally with a region
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'xx' });
  // @ts-expect-error a language name is not a language tag
  Cardvault('pk_test_abcdefghijklmnopqrstuvwx', { locale: 'french' });
  CdnCardvault('pk_test_abcdefghijklmnopqrstuvwx').elements();

  // ---- elements() ----
  cardvault.elements();
  cardvault.elements({ locale: 'de', fonts: [{ cssSrc: 'https://fonts.example/a.css' }], style: { base: { color: '#333' } } });
  // @ts-expect-error unknown elements option
  cardvault.elements({ appearance: 'night' });
  // @ts-expect-error style states are base, complete, empty, invalid
  cardvault.elements({ style: { hover: { color: 'red' } } });

  // ---- create() ----
  const card = elements.create('card', { hidePostalCode: true, hideIcon: true, style: { invalid: { color: 'red' } } });
  expectTypeOf(card).toEqualTypeOf<CardvaultElement<'card'>>();
  expectTypeOf(card.elementType).toEqualTypeOf<'card'>();
  const number = elements.create('cardNumber', { placeholder: '1234', label: 'Card number', disabled: false });
  expectTypeOf(number.elementType).toEqualTypeOf<'cardNumber'>();
  elements.create('cardExpiry');
  elements.create('cardCvc');
  elements.create('postalCode');
  // @ts-expect-error unknown element type
  elements.create('cardholderName');
  // @ts-expect-error disabled is a boolean
  elements.create('cardCvc', { disabled: 'yes' });
  // @ts-expect-error no value option: the host never sets or reads card data
  elements.create('cardNumber', { value: '4242424242424242' });
  expectTypeOf(elements.getElement('cardCvc')).toEqualTypeOf<CardvaultElement<'cardCvc'> | null>();

  // ---- element methods and events ----
  card.mount('#card');
  card.mount(document.createElement('div'));
  // @ts-expect-error mount takes a selector or an element
  card.mount(42);
  card.update({ placeholder: 'x' });
  card.on('change', (e) => {
    expectTypeOf(e.elementType).toEqualTypeOf<'card'>();
    expectTypeOf(e.complete).toBeBoolean();
    expectTypeOf(e.brand).toEqualTypeOf<ElementEventMap['change']['brand']>();
    expectTypeOf(e.error).toEqualTypeOf<{ code: string; message: string } | undefined>();
    // @ts-expect-error change events never carry the value
    void e.value;
  });
  card.on('loaderror', (e) => expectTypeOf(e.error).toEqualTypeOf<CardvaultError>());
  card.on('ready', () => {}).on('focus', () => {}).on('blur', () => {}).on('escape', () => {});
  // @ts-expect-error unknown event name
  card.on('input', () => {});
  // @ts-expect-error a ready event has no `complete`
  card.on('ready', (e) => e.complete);
  card.off('change');

  // ---- createToken ----
  const token = cardvault.createToken(card, { name: 'Jenny Rosen', address_zip: '94107' });
  expectTypeOf(token).toEqualTypeOf<Promise<Token>>();
  void token.then((t) => expectTypeOf(t.id).toBeString());
  // @ts-expect-error extra accepts billing details only
  void cardvault.createToken(card, { email: 'jenny@example.com' });
  // @ts-expect-error the element comes from elements.create()
  void cardvault.createToken('#card');
  // @ts-expect-error an element is required
  void cardvault.createToken();
}

describe('public API types', () => {
  it('compiles the usage above (see npm run typecheck) and exposes the runtime entry points', () => {
    expect(typeof usage).toBe('function');
    expect(typeof Cardvault).toBe('function');
    const cv = Cardvault('pk_test_abcdefghijklmnopqrstuvwx');
    expect(typeof cv.elements).toBe('function');
    expect(typeof cv.createToken).toBe('function');
    expect(typeof CdnCardvault.isCardvaultError).toBe('function');
    const types: ElementType[] = ['card', 'cardNumber', 'cardExpiry', 'cardCvc', 'postalCode'];
    expect(types).toHaveLength(5);
  });
});
