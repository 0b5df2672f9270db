/**
 * The script-tag bundle: the global `Cardvault` is the factory itself. It carries the host side
 * only — no card inputs, no transport, no direct mode (scripts/check-boundary.mjs enforces that).
 */
import { isCardvaultError } from '../errors/cardvault-error';
import { createInstance } from '../host/cardvault';
import { VERSION } from '../version';

const Cardvault = Object.assign(createInstance, { version: VERSION, isCardvaultError });
export default Cardvault;
