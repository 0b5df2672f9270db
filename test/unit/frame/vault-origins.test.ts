import { describe, expect, it } from 'vitest';
import { isOurVault } from '../../../src/frame/vault-origins';
import { buildVaultOrigins, DEV_VAULT_ORIGINS, parseVaultOrigins } from '../../../scripts/vault-origins.mjs';

describe('the build’s vault origins (decision 0009)', () => {
  it('defaults to loopback on any port (the development build), and takes an explicit list for a release', () => {
    expect(parseVaultOrigins(undefined)).toEqual(DEV_VAULT_ORIGINS);
    expect(parseVaultOrigins(' ')).toEqual(DEV_VAULT_ORIGINS);
    expect(parseVaultOrigins('https://api.cardvault.dev')).toEqual(['https://api.cardvault.dev']);
    expect(parseVaultOrigins('https://a.example, http://localhost:5252')).toEqual(['https://a.example', 'http://localhost:5252']);
  });

  it('refuses a release build (CARDVAULT_RELEASE=1) without an explicit https list', () => {
    expect(() => buildVaultOrigins(undefined, true)).toThrow(/release build/);
    expect(() => buildVaultOrigins('http://127.0.0.1:*', true)).toThrow(/release build/);
    expect(() => buildVaultOrigins('https://api.cardvault.dev, http://localhost:4242', true)).toThrow(/release build/);
    expect(buildVaultOrigins('https://api.cardvault.dev', true)).toEqual(['https://api.cardvault.dev']);
    expect(buildVaultOrigins(undefined, false)).toEqual(DEV_VAULT_ORIGINS);
  });

  it.each(['http://api.example', 'https://api.example/v1', 'https://api.example:*', 'http://127.0.0.1:5252:*', 'not a url', 'https://api.example/'])('refuses %s', (v) => {
    expect(() => parseVaultOrigins(v)).toThrow(/CARDVAULT_VAULT_ORIGINS/);
  });

  // vitest defines the list as https://api.cardvault.test, http://127.0.0.1:*, http://localhost:*.
  it.each([
    ['https://api.cardvault.test', true],
    ['https://api.cardvault.test/v1', true],
    ['http://127.0.0.1:4242', true],
    ['http://localhost:5252/', true],
    ['http://api.cardvault.test', false],
    ['https://api.cardvault.test.evil.example', false],
    ['https://api.cardvault.tes', false],
    ['http://127.0.0.2:4242', false],
    ['http://evil.test:4242', false],
    ['not a url', false],
  ] as const)('isOurVault(%s) is %s', (url, ok) => {
    expect(isOurVault(url)).toBe(ok);
  });
});
