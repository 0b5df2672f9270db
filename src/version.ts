/**
 * The SDK version. Rollup replaces `__CARDVAULT_VERSION__` at build time with the version from
 * package.json; under tests (no build) the fallback is read from the same place by vitest's define.
 */
declare const __CARDVAULT_VERSION__: string;
export const VERSION: string = __CARDVAULT_VERSION__;

/** Version of the host/frame message protocol. Bumped on any incompatible message change. */
export const PROTOCOL_VERSION = 3;
