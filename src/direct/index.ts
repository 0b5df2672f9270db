/** Direct mode (PCI SAQ A-EP): the merchant page tokenizes card data it collected itself. */
export { createDirectInstance } from './create-direct';
export type { CardvaultDirectInstance } from './create-direct';
export type { DirectCardInput } from './validate-card-input';
export type { CreateTokenOptions } from './validate-token-options';
