// Renders docs/errors.md from the one catalogue (src/errors/catalogue.ts).
// `npx tsx scripts/error-docs.ts > docs/errors.md`; test/unit/errors/docs.test.ts fails on drift.
import { CATALOGUE } from '../src/errors/catalogue';

export function renderErrorDocs(): string {
  const lines = [
    '# Error codes',
    '',
    'Every error Cardvault raises — in the SDK (`CardvaultError`) and in the vault\'s JSON',
    '(`{ "error": { "type", "code", "param", "message", "request_id" } }`) — uses a code from this',
    'table. Generated from `src/errors/catalogue.ts`; do not edit by hand.',
    '',
    '| code | type | who can fix it | HTTP | message |',
    '| --- | --- | --- | --- | --- |',
  ];
  const order = ['validation_error', 'card_error', 'invalid_request_error', 'authentication_error', 'rate_limit_error', 'api_error', 'network_error'];
  const rows = Object.entries(CATALOGUE).sort(([a, x], [b, y]) => order.indexOf(x.type) - order.indexOf(y.type) || a.localeCompare(b));
  for (const [code, e] of rows) {
    lines.push(`| \`${code}\` | ${e.type} | ${e.fix} | ${e.status || '—'} | ${e.message.replaceAll('|', '\\|')} |`);
  }
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() ?? '')) process.stdout.write(renderErrorDocs());
