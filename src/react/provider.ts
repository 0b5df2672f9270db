/**
 * `<CardvaultProvider>`: one Cardvault instance and one `elements()` group for the components
 * below it. Like react-stripe-js's `<Elements>`, it takes the instance, a promise of it, or `null`
 * (server rendering), and adopts the first instance it gets for good.
 */
import { createElement, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import { CardvaultError } from '../entries/esm';
import type { CardvaultInstance } from '../host/cardvault';
import { ProviderContext, type ProviderValue } from './context';
import { isEqual } from './is-equal';
import type { CardvaultProviderProps } from './types';

type Parsed = { instance: CardvaultInstance | null; promise?: PromiseLike<unknown> };

const isObject = (v: unknown): v is Record<string, unknown> => (typeof v === 'object' || typeof v === 'function') && v !== null;
const isInstance = (v: unknown): v is CardvaultInstance => isObject(v) && typeof v.elements === 'function' && typeof v.createToken === 'function';

/** An instance or `null`; anything else is misuse (`invalid_argument`, param `cardvault`). */
function checkInstance(value: unknown): CardvaultInstance | null {
  if (value === null || isInstance(value)) return value;
  throw new CardvaultError('invalid_argument', { param: 'cardvault', message: 'The cardvault prop must be a Cardvault instance, a promise of one, or null.' });
}

function parse(value: unknown): Parsed {
  if (isObject(value) && !isInstance(value) && typeof value.then === 'function') return { instance: null, promise: value as unknown as PromiseLike<unknown> };
  return { instance: checkInstance(value) };
}

const warn = (what: string) => console.warn(`Cardvault: <CardvaultProvider> ${what}`);

/**
 * Provides a Cardvault instance and its elements group to `<CardElement>` & co., `useCardvault()`
 * and `useElements()`. Renders no DOM of its own; on the server (or with `null`) the elements
 * render their empty placeholders and mount once an instance arrives in the browser.
 *
 * @example
 * const cardvault = Cardvault('pk_test_…');
 * <CardvaultProvider cardvault={cardvault} options={{ locale: 'auto' }}>
 *   <CheckoutForm />
 * </CardvaultProvider>
 */
export function CardvaultProvider({ cardvault, options, children }: CardvaultProviderProps): ReactElement {
  const parsed = useMemo(() => parse(cardvault), [cardvault]);
  const [value, setValue] = useState<ProviderValue>(() => ({ cardvault: parsed.instance, elements: null }));
  /** The prop value the adopted instance came from (itself, or the promise of it). */
  const adopted = useRef<{ from: unknown } | null>(null);
  const latestOptions = useRef(options);
  /** A rejected promise, a promise of something else, or bad options: thrown from the next render. */
  const [failure, setFailure] = useState<{ error: unknown } | null>(null);

  useEffect(() => {
    latestOptions.current = options;
  });

  // The group is made in an effect, never while rendering: `elements()` reads the browser's
  // language, which a server does not have.
  useEffect(() => {
    if (value.elements) return;
    let live = true;
    const adopt = (resolved: unknown) => {
      if (!live) return;
      try {
        const instance = checkInstance(resolved);
        if (!instance) return;
        const elements = instance.elements(latestOptions.current);
        // StrictMode runs this twice before the state lands: the first group wins, the second
        // (which holds nothing yet) is dropped.
        setValue((v) => (v.elements ? v : { cardvault: instance, elements }));
        adopted.current ??= { from: cardvault };
      } catch (error) {
        setFailure({ error });
      }
    };
    if (parsed.promise) parsed.promise.then(adopt, (error: unknown) => live && setFailure({ error }));
    else adopt(parsed.instance);
    return () => {
      live = false;
    };
  }, [parsed, value.elements, cardvault]);

  // As react-stripe-js does: once adopted, the instance and the group's options stay; a change is
  // the app's mistake, reported without breaking the fields the customer may be typing in.
  useEffect(() => {
    const a = adopted.current;
    if (a && cardvault !== a.from && cardvault !== value.cardvault) warn('cannot change its `cardvault` prop once it has an instance; the first one stays in use.');
  }, [cardvault, value.cardvault]);
  const previousOptions = useRef(options);
  useEffect(() => {
    if (adopted.current && !isEqual(options, previousOptions.current)) warn('reads `options` once, when it creates its elements group; the change is ignored.');
    previousOptions.current = options;
  }, [options]);

  // Where React reports render errors (an error boundary), not as an unhandled rejection.
  if (failure) throw failure.error;
  return createElement(ProviderContext.Provider, { value }, children);
}
