// Small statistics helpers. Every figure the bench reports is a median over runs, with the spread.

/** Sorted copy of finite numbers. */
const sorted = (xs) => xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);

/** Percentile by nearest rank on the sorted sample (p in 0..100). */
export function percentile(xs, p) {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * s.length);
  return s[Math.min(s.length - 1, Math.max(0, rank - 1))];
}

export const median = (xs) => {
  const s = sorted(xs);
  if (s.length === 0) return NaN;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** { median, min, max, n } of a list of per-run figures. */
export function summary(xs) {
  const s = sorted(xs);
  return { median: median(s), min: s[0] ?? NaN, max: s[s.length - 1] ?? NaN, n: s.length };
}

/** p50/p95/p99/min/max/n of one sample of latencies. */
export function latency(xs) {
  const s = sorted(xs);
  return {
    p50: percentile(s, 50),
    p95: percentile(s, 95),
    p99: percentile(s, 99),
    min: s[0] ?? NaN,
    max: s[s.length - 1] ?? NaN,
    n: s.length,
  };
}

/** Rounds for display and JSON (keeps NaN out of JSON as null). */
export const round = (x, digits = 2) => (Number.isFinite(x) ? Number(x.toFixed(digits)) : null);

/** Formats a number with thousands separators. */
export const fmtInt = (x) => (Number.isFinite(x) ? Math.round(x).toLocaleString('en-US') : 'n/a');

/** Formats milliseconds. */
export const fmtMs = (x) => (Number.isFinite(x) ? (x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1)) : 'n/a');

export const fmtRatio = (x) => (Number.isFinite(x) ? `${x.toFixed(2)}×` : 'n/a');

/** "median (min–max, n runs)". */
export const fmtSpread = (s, f = fmtMs) => `${f(s.median)} (${f(s.min)}–${f(s.max)}, n=${s.n})`;
