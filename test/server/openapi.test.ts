/** The OpenAPI file stays in step with the catalogue, the routes and the test-card table. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isErrorCode } from '../../src/errors';
import { APPROVED_CARDS as PROCESSOR_APPROVED, DECLINING_CARDS as PROCESSOR_DECLINING } from '../../server/src/processor';
import { APPROVED_CARDS, DECLINING_CARDS } from '../fixtures/test-cards';

const spec = readFileSync(new URL('../../server/openapi.yaml', import.meta.url), 'utf8');

describe('server/openapi.yaml', () => {
  it('lists only catalogue codes', () => {
    const block = spec.slice(spec.indexOf('ErrorCode:'), spec.indexOf('TokenRequest:'));
    const codes = [...block.matchAll(/^\s+- ([a-z_]+)$/gm)].map((m) => m[1]!);
    expect(codes.length).toBeGreaterThan(40);
    for (const code of codes) expect(isErrorCode(code), code).toBe(true);
  });

  it('documents every route', () => {
    for (const path of ['/v1/tokens:', '/v1/encryption_keys:', '/v1/tokens/{id}:', '/v1/charges:', '/v1/charges/{id}:', '/v1/client_tokens:', '/v1/api_keys:', '/v1/api_keys/{id}/revoke:', '/v1/api_keys/{id}/roll:']) {
      expect(spec).toContain(`\n  ${path}\n`);
    }
  });

  it('has the same test cards as the fixture and the processor', () => {
    for (const c of APPROVED_CARDS) {
      expect(spec).toContain(`| ${c.number} |`);
      expect(PROCESSOR_APPROVED[c.number]).toBe(c.brand);
    }
    for (const c of DECLINING_CARDS) {
      expect(spec).toContain(`| ${c.number} | visa | 402 \`${c.code}\` |`);
      expect(PROCESSOR_DECLINING[c.number]).toBe(c.code);
    }
    expect(Object.keys(PROCESSOR_APPROVED)).toHaveLength(APPROVED_CARDS.length);
    expect(Object.keys(PROCESSOR_DECLINING)).toHaveLength(DECLINING_CARDS.length);
  });
});
