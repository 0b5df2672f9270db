/**
 * Direct mode's own script-tag bundle (global `CardvaultDirect`). Separate from `cardvault.min.js`
 * because direct mode puts the merchant page in PCI DSS SAQ A-EP scope: a page that only loads the
 * default bundle never contains code that handles raw card data.
 */
import { createDirectInstance } from '../direct';
import { isCardvaultError } from '../errors/cardvault-error';
import { VERSION } from '../version';

const CardvaultDirect = Object.assign(createDirectInstance, { version: VERSION, isCardvaultError });
export default CardvaultDirect;
