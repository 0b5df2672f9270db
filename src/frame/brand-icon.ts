/**
 * The brand icon: a generic card outline with the brand's short mark written on it. Built with
 * createElementNS (no markup strings, no image requests), coloured with `currentColor`.
 */
import type { CardBrand } from '../types';

const NS = 'http://www.w3.org/2000/svg';
const MARKS: Record<CardBrand, string> = {
  visa: 'VISA', mastercard: 'MC', amex: 'AMEX', discover: 'DISC', diners: 'DC', jcb: 'JCB',
  unionpay: 'UP', maestro: 'MAES', mir: 'MIR', elo: 'ELO', hipercard: 'HIPER',
};

function svg(doc: Document, name: string, attrs: Record<string, string>): SVGElement {
  const el = doc.createElementNS(NS, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

/** Creates the icon container; `set(brand)` switches the mark (null: a plain card with a stripe). */
export function createBrandIcon(doc: Document): { el: HTMLElement; set(brand: CardBrand | null): void } {
  const el = doc.createElement('span');
  el.className = 'cv-brand';
  // Decorative: the brand reaches assistive technology through the host's change event.
  el.setAttribute('aria-hidden', 'true');
  const root = svg(doc, 'svg', { viewBox: '0 0 24 16', focusable: 'false' });
  root.append(svg(doc, 'rect', { x: '.5', y: '.5', width: '23', height: '15', rx: '2', fill: 'none', stroke: 'currentColor' }));
  const stripe = svg(doc, 'rect', { x: '1', y: '4', width: '22', height: '2.5' });
  const text = svg(doc, 'text', { x: '12', y: '10.5', 'text-anchor': 'middle', 'font-size': '6', 'font-weight': '700', 'font-family': 'sans-serif' });
  root.append(stripe, text);
  el.append(root);
  const set = (brand: CardBrand | null): void => {
    text.textContent = brand ? MARKS[brand] : '';
    stripe.setAttribute('visibility', brand ? 'hidden' : 'visible');
    el.dataset.brand = brand ?? 'unknown';
  };
  set(null);
  return { el, set };
}
