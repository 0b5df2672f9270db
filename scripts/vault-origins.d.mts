/** Types of scripts/vault-origins.mjs (decision 0009). */
export declare const DEV_VAULT_ORIGINS: string[];
export declare function parseVaultOrigins(value: string | undefined): string[];
export declare function buildVaultOrigins(value: string | undefined, release: boolean): string[];
export declare const VAULT_ORIGINS: string[];
