/** The provider's value (one instance, one elements group) and how components and hooks read it. */
import { createContext, useContext } from 'react';
import { CardvaultError } from '../entries/esm';
import type { CardvaultInstance } from '../host/cardvault';
import type { CardvaultElements } from '../host/types';

export interface ProviderValue {
  /** `null` until the provider has an instance (server rendering, a pending promise). */
  readonly cardvault: CardvaultInstance | null;
  /** The provider's group; `null` until it exists (it is created after the first commit). */
  readonly elements: CardvaultElements | null;
}

/** `null` outside a provider: the hooks turn that into a coded error. */
export const ProviderContext = createContext<ProviderValue | null>(null);
ProviderContext.displayName = 'CardvaultContext';

/** The nearest provider's value; throws `provider_missing` (naming `user`) outside one. */
export function useProviderValue(user: string): ProviderValue {
  const value = useContext(ProviderContext);
  if (!value) throw new CardvaultError('provider_missing', { param: user });
  return value;
}

/**
 * The provider's Cardvault instance, or `null` while it has none (server rendering, a pending
 * promise). Throws `provider_missing` outside a `<CardvaultProvider>`.
 *
 * @example
 * const cardvault = useCardvault();
 * const elements = useElements();
 * const pay = async () => {
 *   if (!cardvault || !elements) return;
 *   const token = await cardvault.createToken(elements.getElement('card'));
 * };
 */
export function useCardvault(): CardvaultInstance | null {
  return useProviderValue('useCardvault').cardvault;
}

/**
 * The provider's elements group (`getElement(type)` finds a mounted component's element), or
 * `null` while it does not exist yet. Throws `provider_missing` outside a `<CardvaultProvider>`.
 */
export function useElements(): CardvaultElements | null {
  return useProviderValue('useElements').elements;
}
