// Renders bench/results.md from the results object. Only figures present in the results appear;
// a section that did not run says why.
import { fmtInt, fmtMs, fmtRatio } from './stats.mjs';

const kb = (b) => (Number.isFinite(b) ? `${(b / 1024).toFixed(1)} KB` : 'n/a');
const spread = (s, f) => (s && Number.isFinite(s.median) ? `${f(s.median)} (${f(s.min)}–${f(s.max)})` : 'n/a');
const aim = (ok) => (ok === undefined ? '' : ok ? 'met' : '**not met**');
const table = (head, rows) =>
  [`| ${head.join(' | ')} |`, `|${head.map(() => ' --- ').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const notMeasured = (s) => `_Not measured: ${s?.reason ?? 'section did not run'}._`;

function headline(r) {
  const rows = [];
  const sz = r.sizes;
  if (sz?.measured) {
    if (!sz.ours.length) rows.push(['Cardvault bundle sizes', 'not measured', '', '', '', 'dist/ is not built (npm run build)']);
    const cv = sz.headline.find((h) => h.sdk === 'Cardvault');
    const bt = sz.headline.find((h) => h.sdk === 'Braintree');
    const st = sz.headline.find((h) => h.sdk === 'Stripe');
    if (cv && bt) rows.push(['Merchant-page JS, gzip (checkout)', kb(cv.gzip), `Braintree ${kb(bt.gzip)}`, `${(bt.gzip / cv.gzip).toFixed(1)}× smaller`, '', 'deterministic']);
    if (cv && st) rows.push(['', '', `Stripe loader ${kb(st.gzip)} + js.stripe.com/v3 (not measurable offline)`, 'n/a', '', '']);
  } else rows.push(['Bundle sizes', 'not measured', '', '', '', sz?.reason ?? '']);
  const v = r.validation;
  if (v?.measured) {
    rows.push([
      'Card-number validation, ops/s',
      spread(v.opsPerSecond.cardvault, fmtInt),
      `card-validator ${spread(v.opsPerSecond.cardValidator, fmtInt)}`,
      spread(v.ratio, fmtRatio),
      `≥ 20× ${aim(v.ratio.median >= 20)}`,
      `${v.rounds} rounds × ${fmtInt(v.count)} inputs`,
    ]);
  } else rows.push(['Validation throughput', 'not measured', '', '', '', v?.reason ?? '']);
  const b = r.browser;
  if (b?.measured) {
    const q = b.requests.summary;
    if (b.requests.measured === false) rows.push(['HTTP requests per tokenization', 'not measured', '', '', '1 and 0', b.requests.reason]);
    else rows.push([
      'HTTP requests per tokenization (key set cached)',
      `${q.serverRequests.median} request, ${q.preflights.median} preflights`,
      '',
      '',
      `1 and 0 ${aim(q.serverRequests.max === 1 && q.serverRequests.min === 1 && q.preflights.max === 0 && q.ok === q.tokenizations)}`,
      `${q.tokenizations} tokenizations; browser saw ${spread(q.browserRequests, String)}`,
    ]);
    if (b.tokenization.measured === false) rows.push(['Tokenization p50 vs bare CORS POST', 'not measured', '', '', '≤ 1.15×', b.tokenization.reason]);
    else rows.push([
      'Tokenization p50 (with encryption)',
      `${fmtMs(b.tokenization.createToken.p50)} ms`,
      `bare CORS POST ${fmtMs(b.tokenization.barePost.p50)} ms`,
      spread(b.tokenization.ratio, fmtRatio),
      `≤ 1.15× ${aim(b.tokenization.ratio.median <= 1.15)}`,
      `${b.tokenization.createToken.n} pairs, ${b.tokenization.ratio.n} blocks`,
    ]);
    rows.push([
      'Encryption alone, p50 (browser)',
      `${fmtMs(b.encryption.samples.p50)} ms`,
      '',
      '',
      `≤ 0.5 ms ${aim(b.encryption.samples.p50 <= 0.5)}`,
      `${b.encryption.samples.n} batches of 10 calls`,
    ]);
    rows.push([
      'Mount-to-ready, card element p50',
      `${fmtMs(b.mount.samples.card.p50)} ms`,
      `bare iframe ${fmtMs(b.mount.samples.bare.p50)} ms`,
      spread(b.mount.ratio.card, fmtRatio),
      `≤ 1.2× ${aim(b.mount.ratio.card.median <= 1.2)}`,
      `${b.mount.samples.card.n} mounts, ${b.mount.ratio.card.n} blocks`,
    ]);
    rows.push([
      'Mount-to-ready, 4 split fields p50',
      `${fmtMs(b.mount.samples.split.p50)} ms`,
      `bare iframe ${fmtMs(b.mount.samples.bare.p50)} ms`,
      spread(b.mount.ratio.split, fmtRatio),
      `≤ 1.5× ${aim(b.mount.ratio.split.median <= 1.5)}`,
      `${b.mount.samples.split.n} mounts, ${b.mount.ratio.split.n} blocks`,
    ]);
  } else rows.push(['In-browser figures', 'not measured', '', '', '', b?.reason ?? '']);
  for (const [key, label, target] of [
    ['vaultPglite', 'PGlite', 1000],
    ['vaultPostgres', 'PostgreSQL', 2000],
  ]) {
    const s = r[key];
    if (s?.measured && s.levels.length) {
      const best = s.levels.reduce((a, l) => (l.tokensPerSecond.median > a.tokensPerSecond.median ? l : a));
      rows.push([
        `Vault tokens/s, ${label} (best level: c=${best.concurrency})`,
        spread(best.tokensPerSecond, fmtInt),
        '',
        '',
        `≥ ${fmtInt(target)} ${aim(best.tokensPerSecond.median >= target)}`,
        `p99 ${fmtMs(best.p99.median)} ms; ${best.runs} runs`,
      ]);
      if (s.halfLoad) {
        rows.push([
          `Vault p99 at half load, ${label} (${fmtInt(s.halfLoad.rate)}/s, open loop)`,
          `${spread(s.halfLoad.p99, fmtMs)} ms`,
          '',
          '',
          `< 50 ms ${aim(s.halfLoad.p99.median < 50)}`,
          `${s.halfLoad.runs} runs`,
        ]);
      }
    } else rows.push([`Vault tokens/s, ${label}`, 'not measured', '', '', '', s?.reason ?? '']);
  }
  return table(['Figure', 'Cardvault', 'Peer / floor', 'Ratio', 'Aim', 'Runs / notes'], rows);
}

function sizesSection(s) {
  if (!s?.measured) return notMeasured(s);
  const out = [];
  if (!s.ours.length) out.push('_Cardvault files not measured: dist/ is not built (npm run build)._\n');
  out.push('**What the merchant page loads up front for a checkout** (the headline):\n');
  out.push(
    table(
      ['SDK', 'Loads', 'Raw', 'Minified', 'Gzip', 'Brotli', 'Note'],
      s.headline.map((h) => [h.sdk, h.loads, kb(h.raw), kb(h.min), kb(h.gzip), kb(h.brotli), h.note]),
    ),
  );
  if (s.frameTotal) {
    out.push(
      `\nCardvault's frame (loaded inside the iframe from the Cardvault CDN, not by the merchant page): ${s.frameTotal.loads}, ${kb(s.frameTotal.min)} minified, **${kb(s.frameTotal.gzip)} gzip**, ${kb(s.frameTotal.brotli)} brotli.`,
    );
  }
  out.push('\n**Every dist file:**\n');
  out.push(table(['File', 'Raw', 'Minified', 'Gzip', 'Brotli', 'Minified by'], s.ours.map((f) => [`\`${f.file}\``, kb(f.raw), kb(f.min), kb(f.gzip), kb(f.brotli), f.minifiedBy])));
  out.push('\n**Peers, measured the same way:**\n');
  out.push(table(['Package', 'File', 'Raw', 'Minified', 'Gzip', 'Brotli', 'How'], s.peers.map((p) => [p.peer, p.file, kb(p.raw), kb(p.min), kb(p.gzip), kb(p.brotli), p.method])));
  if (s.errors?.length) out.push(`\nPeers not measured: ${s.errors.join('; ')}`);
  out.push(`\n_Method:_ ${s.method} KB = 1024 bytes.`);
  return out.join('\n');
}

function validationSection(v) {
  if (!v?.measured) return notMeasured(v);
  const a = v.agreement;
  return [
    table(
      ['Library', 'ops/s, median', 'min–max', 'Rounds'],
      [
        ['Cardvault `validateCardNumber`', fmtInt(v.opsPerSecond.cardvault.median), `${fmtInt(v.opsPerSecond.cardvault.min)}–${fmtInt(v.opsPerSecond.cardvault.max)}`, v.rounds],
        ['card-validator `number()`', fmtInt(v.opsPerSecond.cardValidator.median), `${fmtInt(v.opsPerSecond.cardValidator.min)}–${fmtInt(v.opsPerSecond.cardValidator.max)}`, v.rounds],
        ['**Ratio** (per round pair)', `**${fmtRatio(v.ratio.median)}**`, `${fmtRatio(v.ratio.min)}–${fmtRatio(v.ratio.max)}`, v.ratio.n],
      ],
    ),
    `\nAgreement on \`isValid\`: ${a.agreePercent.toFixed(2)}% (${fmtInt(a.disagreements)} of ${fmtInt(v.count)} inputs differ; isValid true for ${fmtInt(a.isValidCount.cardvault)} by Cardvault, ${fmtInt(a.isValidCount.cardValidator)} by card-validator). Largest groups (Cardvault brand / card-validator brand, digits, Cardvault's verdict):`,
    '',
    ...a.byCause.map((c) => `- ${c.cause}: ${fmtInt(c.count)}`),
    '',
    "These are policy differences, not bugs in either: card-validator accepts UnionPay numbers without a Luhn check by default (`luhnValidateUnionPay: false`) and does not list 13-digit Visa; Cardvault Luhn-checks UnionPay and accepts 13-digit Visa. The generator's ranges are wider than either library's tables (e.g. 81 UnionPay), on purpose.",
    `\n_Method:_ ${v.method}`,
  ].join('\n');
}

function browserSection(b) {
  if (!b?.measured) return notMeasured(b);
  const m = b.mount;
  const t = b.tokenization;
  const e = b.encryption;
  const q = b.requests;
  const lat = (name, l) => [name, fmtMs(l.p50), fmtMs(l.p95), `${fmtMs(l.min)}–${fmtMs(l.max)}`, l.n];
  const requests =
    q.measured === false
      ? [notMeasured(q)]
      : [
          table(
            ['Tokenization', 'OK', 'Browser-observed requests', 'Requests at the server', 'OPTIONS (preflights)'],
            q.perTokenization.map((p, i) => [i + 1, p.ok ? 'yes' : `no (${p.error ?? ''})`, `${p.browserRequests}: ${p.browserList.join(', ')}`, `${p.serverRequests}: ${p.serverList.join(', ')}`, p.serverOptions]),
          ),
          '',
          `Key-set fetches at the server before the first tokenization (the prefetch at mount): ${q.keySetFetchesBeforeFirstToken}. Preflights seen during the whole phase: ${q.totalPreflightsSeen}.`,
          '',
          `_Method:_ ${q.method}`,
        ];
  const tokenization =
    t.measured === false
      ? [notMeasured(t)]
      : [
          table(['Call', 'p50', 'p95', 'min–max', 'Samples'], [lat('`createToken` (frame, JWE, POST)', t.createToken), lat('Bare CORS simple POST (clear fields)', t.barePost)]),
          '',
          `Ratio of p50s per block: **${spread(t.ratio, fmtRatio)}** over ${t.ratio.n} blocks (aim ≤ 1.15×). Ratio of the overall medians: ${fmtRatio(t.ratioOfMedians)}.${t.errors.length ? ` Errors: ${t.errors.join('; ')}` : ''}`,
          '',
          `_Method:_ ${t.method}`,
        ];
  return [
    `${b.chromium ?? 'Chromium'}, headless, one fresh profile; host page, frame/CDN and vault on three 127.0.0.1 ports (three origins).`,
    '',
    '### Requests per tokenization',
    '',
    ...requests,
    '',
    '### Tokenization latency (ms)',
    '',
    ...tokenization,
    '',
    '### Encryption alone (ms)',
    '',
    table(
      ['Call', 'p50', 'p95', 'min–max', 'Samples'],
      [lat('`encryptCardPayload`, per-call mean of a batch of 10', e.samples), ...(e.singleCalls ? [lat('`encryptCardPayload`, single calls (0.1 ms clock)', e.singleCalls)] : [])],
    ),
    '',
    `Key: ${e.key}. First call, including the one-time key import: ${fmtMs(e.firstCallMs)} ms.`,
    '',
    `_Method:_ ${e.method}`,
    '',
    '### Mount-to-ready (ms)',
    '',
    table(
      ['Element', 'p50', 'p95', 'min–max', 'Samples', 'p50 ratio to bare iframe (per block)'],
      [
        [...lat('Bare cross-origin iframe', m.samples.bare), '1'],
        [...lat('`card` element', m.samples.card), `**${spread(m.ratio.card, fmtRatio)}** (aim ≤ 1.2×)`],
        [...lat('4 split fields (number, expiry, CVC, postal code)', m.samples.split), `**${spread(m.ratio.split, fmtRatio)}** (aim ≤ 1.5×)`],
        [...lat('4 bare iframes (context)', m.samples.bare4), `split vs 4 bare: ${spread(m.ratio.splitVsBare4, fmtRatio)}`],
      ],
    ),
    '',
    `_Method:_ ${m.method}`,
    b.pageErrors?.length ? `\nPage errors seen: ${b.pageErrors.join('; ')}` : '',
  ].join('\n');
}

function vaultSection(s, label) {
  if (!s?.measured) return notMeasured(s);
  return [
    `Store: ${s.store}.`,
    '',
    table(
      ['Concurrency', 'tokens/s, median (min–max)', 'p50 ms, median (min–max)', 'p99 ms, median (min–max)', 'Runs', 'Non-200'],
      s.levels.map((l) => [l.concurrency, spread(l.tokensPerSecond, fmtInt), spread(l.p50, fmtMs), spread(l.p99, fmtMs), l.runs, l.non200 ? `${l.non200} (${JSON.stringify(l.statuses)})` : 0]),
    ),
    '',
    s.halfLoad
      ? `\nAt half load (open loop, ${fmtInt(s.halfLoad.rate)} requests/s due): achieved ${spread(s.halfLoad.achieved, fmtInt)} tokens/s, p50 ${spread(s.halfLoad.p50, fmtMs)} ms, **p99 ${spread(s.halfLoad.p99, fmtMs)} ms** (aim < 50 ms), ${s.halfLoad.runs} runs; sends the load generator made over 50 ms late (its own CPU limit, which inflates p99): ${s.halfLoad.lateSends.join(', ')}. ${s.halfLoad.method}`
      : '',
    '',
    `_Method (${label}):_ ${s.method}`,
  ].join('\n');
}

export function renderMarkdown(r) {
  const m = r.meta;
  return `# Cardvault benchmarks

Generated by \`npm run bench\` (see [README](README.md)) on ${m.date.slice(0, 16).replace('T', ' ')} UTC: Cardvault ${m.version}, Node ${m.node}, ${m.cpus}, ${m.memoryGiB} GiB RAM; the whole run took ${Math.round(m.totalSeconds)} s${m.quick ? ' (BENCH_QUICK: fewer runs)' : ''}.
${m.vaultOverride ? `\n> **Vault figures come from BENCH_VAULT_MODULE=${m.vaultOverride}, not the built vault (dist-server/). Do not quote them.**\n` : ''}This machine is shared and noisy: every timing is a median over runs with its spread (min–max) and the number of runs; ratios are computed within one run, side by side.

## Summary

${headline(r)}

## 1. Bundle size

${sizesSection(r.sizes)}

## 2. Validation throughput

${validationSection(r.validation)}

## 3. In Chromium (three localhost origins: host page, frames/CDN, vault)

${browserSection(r.browser)}

## 4. Vault throughput

### PGlite (embedded, in the vault process)

${vaultSection(r.vaultPglite, 'PGlite')}

### PostgreSQL

${vaultSection(r.vaultPostgres, 'PostgreSQL')}
`;
}
