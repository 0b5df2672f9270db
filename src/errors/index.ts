export { CardvaultError, isCardvaultError } from './cardvault-error';
export type { CardvaultErrorInit, SerializedError } from './cardvault-error';
export { CATALOGUE, isErrorCode } from './catalogue';
export type { ErrorCode, ErrorType, Fixer, CatalogueEntry } from './catalogue';
