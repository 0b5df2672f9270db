/** Public prop types of the React bindings (`cardvault/react`). Types only. */
import type { ReactNode } from 'react';
import type { CardvaultInstance } from '../host/cardvault';
import type { CardvaultElement, ElementEventHandler, ElementOptions, ElementsOptions, ElementType } from '../host/types';

/** Props of `<CardvaultProvider>`. */
export interface CardvaultProviderProps {
  /**
   * The instance from `Cardvault(key)`, a promise of it (load the SDK lazily), or `null` (server
   * rendering, or not known yet). It may go from `null` or a promise to an instance once; after
   * that it cannot change (a new value is ignored with a console warning).
   */
  cardvault: CardvaultInstance | PromiseLike<CardvaultInstance | null> | null;
  /** Options of the provider's one `elements()` group (fonts, locale, default style). Read once. */
  options?: ElementsOptions;
  children?: ReactNode;
}

/** The options an element of type `T` accepts: `hidePostalCode` is the card's, `hideIcon` needs a number. */
export type ElementOptionsFor<T extends ElementType> = T extends 'card'
  ? ElementOptions
  : T extends 'cardNumber'
    ? Omit<ElementOptions, 'hidePostalCode'>
    : Omit<ElementOptions, 'hidePostalCode' | 'hideIcon'>;

/** Props of every element component. Handlers may change on every render: that never remounts. */
export interface ElementProps<T extends ElementType> {
  /** `id` of the placeholder `<div>` the frame mounts in. */
  id?: string;
  /** `className` of that `<div>` (it also gets the `CardvaultElement--*` state classes). */
  className?: string;
  /** Element options; later changes are sent with `element.update()` (no remount). */
  options?: ElementOptionsFor<T>;
  /** The frame is shown and takes input; gets the element (e.g. to `focus()` it). */
  onReady?: (element: CardvaultElement<T>) => void;
  /** Empty / complete / brand / error: never what was typed. */
  onChange?: ElementEventHandler<'change', T>;
  onFocus?: ElementEventHandler<'focus', T>;
  onBlur?: ElementEventHandler<'blur', T>;
  onEscape?: ElementEventHandler<'escape', T>;
  /** The frame failed to load (`frame_load_failed`, `protocol_version_mismatch`, …). */
  onLoadError?: ElementEventHandler<'loaderror', T>;
}

export type CardElementProps = ElementProps<'card'>;
export type CardNumberElementProps = ElementProps<'cardNumber'>;
export type CardExpiryElementProps = ElementProps<'cardExpiry'>;
export type CardCvcElementProps = ElementProps<'cardCvc'>;
export type PostalCodeElementProps = ElementProps<'postalCode'>;
