/**
 * The one hook behind every element component (react-stripe-js's createElementComponent): it
 * creates and mounts the element once per provider group, forwards its events to the latest
 * props through a ref (new handlers never remount), and sends option changes with `update()`.
 */
import { useEffect, useRef, useState, type RefObject } from 'react';
import type { CardvaultElement, ElementEventName, ElementOptions, ElementType } from '../host/types';
import { useProviderValue } from './context';
import { changedOptions } from './is-equal';
import type { ElementProps } from './types';

const HANDLERS: ReadonlyArray<[ElementEventName, keyof ElementProps<ElementType>]> = [
  ['ready', 'onReady'],
  ['change', 'onChange'],
  ['focus', 'onFocus'],
  ['blur', 'onBlur'],
  ['escape', 'onEscape'],
  ['loaderror', 'onLoadError'],
];

/** The SDK's state classes on a mount target (`CardvaultElement`, `CardvaultElement--focus`, …). */
const stateClasses = (box: Element | null) => (box ? [...box.classList].filter((c) => c.startsWith('CardvaultElement')).join(' ') : '');

/** What the component renders its placeholder with. */
export interface ElementBox {
  ref: RefObject<HTMLDivElement | null>;
  /**
   * The app's `className` plus the SDK's state classes: React rewrites the whole attribute when
   * the prop changes, so the state classes must be part of what it writes.
   */
  className: string | undefined;
}

/**
 * Mounts an element of `type` into the returned ref's `<div>` once the provider has its group,
 * and destroys it on unmount. Effects never run on the server, so server rendering only reads the
 * context. Under StrictMode the mount, destroy, mount leaves one frame and no listener behind; an
 * unmount while the frame loads removes it, its listener and its load timer, and raises nothing.
 *
 * @param user the component's name, for `provider_missing` outside a provider.
 */
export function useCardvaultElement<T extends ElementType>(type: T, props: ElementProps<T>, user: string): ElementBox {
  const { elements } = useProviderValue(user);
  const box = useRef<HTMLDivElement | null>(null);
  const latest = useRef(props);
  const element = useRef<CardvaultElement<T> | null>(null);
  /** The options the element has now: what changes are measured against. */
  const applied = useRef<ElementOptions | undefined>(undefined);
  /** A copy of the SDK's state classes, taken whenever they may have changed ('' on the server). */
  const [states, setStates] = useState('');

  useEffect(() => {
    latest.current = props;
  });

  useEffect(() => {
    const target = box.current;
    if (!elements || !target) return;
    const el = elements.create(type, latest.current.options);
    applied.current = latest.current.options;
    for (const [event, prop] of HANDLERS) {
      // Events arrive in later tasks, after the commit that set `latest`: always today's handler.
      el.on(event, (e: unknown) => {
        // The SDK has set its classes before it emits; change, focus and blur are when it does.
        setStates(stateClasses(target));
        (latest.current[prop] as ((arg: unknown) => void) | undefined)?.(event === 'ready' ? el : e);
      });
    }
    el.mount(target);
    setStates(stateClasses(target));
    element.current = el;
    return () => {
      element.current = null;
      // Removes the frame, its window listener and timers, and every handler above.
      el.destroy();
      setStates('');
    };
  }, [elements, type]);

  useEffect(() => {
    const el = element.current;
    if (!el) return;
    const changed = changedOptions(applied.current, props.options);
    applied.current = props.options;
    if (changed) el.update(changed as ElementOptions);
  }, [props.options]);

  return { ref: box, className: [props.className, states].filter(Boolean).join(' ') || undefined };
}
