/**
 * Mounting inside a shadow root. A frame in a shadow tree is missing from `window.frames`, the
 * list in which split fields find their siblings (src/frame/registry.ts), so split fields there
 * could not gather the card. As braintree-web does, the iframe goes in the light DOM of the shadow
 * host instead and is shown in the merchant's box through a named `<slot>`: it stays in the
 * document tree (and in `window.frames`) while it renders, takes focus and Tabs in the box's place.
 */
import { randomId } from './random-id';

/**
 * Where to append the iframe for the mount target `box`: `box` itself in the document tree, else
 * a `<div slot>` in the shadow host's light DOM, one level per nested shadow root. Every node it
 * creates is pushed on `created`, for the unmount to remove.
 */
export function frameParent(box: Element, created: Element[]): Element {
  let at = box;
  for (let root: Node; (root = at.getRootNode()) instanceof ShadowRoot; ) {
    const slot = at.appendChild(document.createElement('slot'));
    at = root.host.appendChild(document.createElement('div'));
    at.slot = slot.name = randomId();
    created.push(slot, at);
  }
  return at;
}
