/** Public types of Cardvault Elements (host side). Types only. */
import type { CardvaultError } from '../errors/cardvault-error';
import type { ElementType } from '../protocol/messages';
import type { BillingDetails, CardBrand, Locale } from '../types';

export type { ElementType };

/** A style rule set: CSS properties (camelCase or kebab-case) and nested pseudo-classes/media queries. */
export type StyleRules = { [property: string]: string | number | StyleRules };

/** Styles by field state. The frame applies an allow-list of properties and sanitises values. */
export interface ElementStyle {
  base?: StyleRules;
  complete?: StyleRules;
  empty?: StyleRules;
  invalid?: StyleRules;
}

/** A web font the frames may load: an https CSS URL (e.g. Google Fonts). */
export interface FontSource {
  cssSrc: string;
}

/** Options of `cardvault.elements()`. */
export interface ElementsOptions {
  /** Web fonts for every frame of the group. */
  fonts?: FontSource[];
  /** Frame language; defaults to the factory's `locale`. */
  locale?: Locale;
  /** Default style of every element of the group (an element's own `style` replaces it). */
  style?: ElementStyle;
}

/** Options of `elements.create()` and `element.update()`. */
export interface ElementOptions {
  style?: ElementStyle;
  placeholder?: string;
  /** Accessible name of the input. */
  label?: string;
  disabled?: boolean;
  /** `card` element only: hide the postal-code input. */
  hidePostalCode?: boolean;
  /**
   * `card` and `postalCode` elements: `'optional'` lets the customer leave the postal code empty
   * (then none is sent); `'required'` (the default) asks for one (3 to 10 letters, digits, spaces
   * or dashes) and says so when it is left empty.
   */
  postalCode?: 'optional' | 'required';
  /** `card` element only: hide the brand icon. */
  hideIcon?: boolean;
}

/** A validation error the customer can fix; never contains the value. */
export interface ElementError {
  code: string;
  message: string;
}

/** Payloads of element events. `change` never carries what the customer typed. */
export interface ElementEventMap<T extends ElementType = ElementType> {
  ready: { elementType: T };
  change: { elementType: T; empty: boolean; complete: boolean; brand: CardBrand | null; error?: ElementError };
  focus: { elementType: T };
  blur: { elementType: T };
  escape: { elementType: T };
  loaderror: { elementType: T; error: CardvaultError };
}

export type ElementEventName = keyof ElementEventMap;

export type ElementEventHandler<K extends ElementEventName, T extends ElementType = ElementType> = (
  event: ElementEventMap<T>[K],
) => void;

/**
 * One card field in its own iframe on the Cardvault frame origin. The merchant page never sees
 * what is typed in it.
 *
 * @example
 * const card = elements.create('card');
 * card.on('change', (e) => (errors.textContent = e.error?.message ?? ''));
 * card.mount('#card');
 */
export interface CardvaultElement<T extends ElementType = ElementType> {
  readonly elementType: T;
  /** Inserts the frame into a container (a CSS selector or an element). Remounting moves it. */
  mount(target: string | HTMLElement): void;
  /** Removes the frame; `mount()` may be called again. */
  unmount(): void;
  /** Removes the frame and every listener; the element cannot be used afterwards. */
  destroy(): void;
  update(options: ElementOptions): void;
  focus(): void;
  blur(): void;
  clear(): void;
  on<K extends ElementEventName>(event: K, handler: ElementEventHandler<K, T>): this;
  /** Removes one handler, or every handler of the event when none is given. */
  off<K extends ElementEventName>(event: K, handler?: ElementEventHandler<K, T>): this;
}

/** A group of elements that tokenize together (split fields of one card). */
export interface CardvaultElements {
  create<T extends ElementType>(type: T, options?: ElementOptions): CardvaultElement<T>;
  getElement<T extends ElementType>(type: T): CardvaultElement<T> | null;
}

/** Billing details the merchant may attach in `createToken(element, extra)`. Not card data. */
export type TokenExtra = Pick<
  BillingDetails,
  'name' | 'address_line1' | 'address_city' | 'address_state' | 'address_zip' | 'address_country'
>;
