// Section 2: card-number validation throughput, ours (built dist/cardvault.mjs) vs card-validator's
// number(), on the same deterministic inputs. Rounds alternate between the two after a warm-up, so
// both see the same machine state; bounded in rounds and in time.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateCardNumbers } from './lib/prng.mjs';
import { summary } from './lib/stats.mjs';

const require = createRequire(import.meta.url);

/** Runs `fn` over every input once; returns elapsed ms and a sink so the JIT cannot drop the work. */
function pass(fn, inputs) {
  let sink = 0;
  const t0 = performance.now();
  for (let i = 0; i < inputs.length; i++) if (fn(inputs[i]).isValid) sink++;
  return { ms: performance.now() - t0, sink };
}

export async function runValidation({ root, count = 100_000, warmup = 4, rounds = 9, budgetMs = 60_000, seed = 0x5eed }) {
  const started = performance.now();
  const ours = (await import(pathToFileURL(join(root, 'dist', 'cardvault.mjs')).href)).validateCardNumber;
  const theirs = require(join(root, 'node_modules', 'card-validator')).number;
  if (typeof ours !== 'function') throw new Error('dist/cardvault.mjs does not export validateCardNumber');
  const inputs = generateCardNumbers(count, seed);

  // Agreement on isValid (reported, not enforced).
  let disagreements = 0;
  const examples = [];
  const groups = new Map();
  let oursValid = 0;
  let theirsValid = 0;
  for (const n of inputs) {
    const a = ours(n).isValid;
    const b = theirs(n).isValid;
    if (a) oursValid++;
    if (b) theirsValid++;
    if (a !== b) {
      disagreements++;
      const oa = ours(n);
      const tb = theirs(n);
      const digits = n.replace(/\D/g, '').length;
      const key = `${oa.brand ?? 'none'}/${tb.card?.type ?? 'none'}, ${digits} digits: cardvault ${a ? 'valid' : 'invalid'}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
      if (examples.length < 8) examples.push({ input: n.replace(/\d(?=\d{4})/g, (d, i) => (i < 6 ? d : '•')), cardvault: a, cardValidator: b });
    }
  }

  const runs = { cardvault: [], cardValidator: [] };
  for (let i = 0; i < warmup; i++) {
    pass(ours, inputs);
    pass(theirs, inputs);
  }
  for (let i = 0; i < rounds && performance.now() - started < budgetMs; i++) {
    // Alternate which goes first, so neither always runs on a freshly collected heap.
    const order = i % 2 ? [['cardValidator', theirs], ['cardvault', ours]] : [['cardvault', ours], ['cardValidator', theirs]];
    for (const [name, fn] of order) runs[name].push((count / pass(fn, inputs).ms) * 1000);
  }
  const ratios = runs.cardvault.map((x, i) => x / runs.cardValidator[i]);
  return {
    method: `${count.toLocaleString('en-US')} inputs from a seeded PRNG (seed 0x${seed.toString(16)}): 12 brand families incl. unknown prefixes, 80% complete (half Luhn-valid), 20% partial, 10% spaced. One round = every input once through validateCardNumber (dist/cardvault.mjs) or card-validator number(); ${warmup} warm-up rounds each, then alternating rounds in one Node ${process.version} process; ratio per round pair.`,
    count,
    rounds: ratios.length,
    opsPerSecond: { cardvault: summary(runs.cardvault), cardValidator: summary(runs.cardValidator) },
    ratio: summary(ratios),
    agreement: {
      disagreements,
      agreePercent: (100 * (count - disagreements)) / count,
      isValidCount: { cardvault: oursValid, cardValidator: theirsValid },
      examples,
      // "ourBrand/theirBrand, length: our verdict" → count; the largest groups explain the gap.
      byCause: [...groups.entries()].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([cause, n]) => ({ cause, count: n })),
    },
    raw: runs,
    seconds: (performance.now() - started) / 1000,
  };
}
