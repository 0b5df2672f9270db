/** `cardvault.elements()`: a group of elements sharing fonts, locale, default style and a group id. */
import { CardvaultError } from '../errors/cardvault-error';
import { ELEMENT_TYPES, type ElementType } from '../protocol/messages';
import type { HostContext } from './cardvault';
import { resolveOptions } from '../options';
import { createElement, handles, type Group } from './element';
import { pickLocale } from '../locale-codes';
import { randomId } from './random-id';
import type { CardvaultElements } from './types';
import { bad, checkOptions, ELEMENT_OPTIONS } from './validate';

/**
 * Creates an elements group. Its random `group` id tells the frames which siblings may exchange
 * values (same origin, same group) when the card-number frame tokenizes split fields.
 *
 * @example
 * const elements = cardvault.elements({ locale: 'fr' });
 * const number = elements.create('cardNumber', { placeholder: '1234 1234 1234 1234' });
 */
export function createElements(ctx: HostContext, options?: unknown): CardvaultElements {
  const { locale, ...defaults } = checkOptions(options, 'options', 'fonts style locale');
  // The factory's own check validates the group's locale (and maps `pt-BR` to `pt`).
  const wanted = locale ? resolveOptions({ locale }).locale : ctx.options.locale;
  const group: Group = {
    ctx,
    id: randomId(),
    // `auto`: the customer's languages in their order of preference, not only the first.
    locale: wanted === 'auto' ? pickLocale(navigator.languages ?? [navigator.language]) : wanted,
    defaults,
    members: new Map(),
  };
  return {
    create(type: ElementType, opts?: unknown) {
      if (!ELEMENT_TYPES.includes(type)) throw bad('type', `one of ${ELEMENT_TYPES.join(', ')}`, type);
      const o = checkOptions(opts, 'options', ELEMENT_OPTIONS);
      const m = group.members;
      // One of each type per group, and the combined card never mixed with split fields: the
      // frames of a group gather each other's values by type.
      if (m.has(type) || (m.size > 0 && (type === 'card' || m.has('card')))) {
        throw new CardvaultError('element_exists', {
          param: 'type',
          message: m.has(type) ? `${type} exists in this group: use getElement('${type}').` : `card and split fields cannot be mixed in one group: create ${type} in another elements().`,
        });
      }
      const element = createElement(group, type, o);
      m.set(type, handles.get(element)!);
      return element;
    },
    getElement(type: ElementType) {
      return group.members.get(type)?.element ?? null;
    },
  } as CardvaultElements;
}
