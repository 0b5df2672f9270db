// Deterministic inputs: a seeded PRNG (mulberry32) and a card-number generator with mixed brands,
// partial inputs, spacing, and half of the complete numbers Luhn-valid.

/** mulberry32: small, fast, good enough for test data; same seed → same sequence everywhere. */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Issuer prefixes and lengths per brand (public IIN ranges), for generating plausible numbers. */
const BRANDS = [
  { brand: 'visa', prefixes: ['4'], lengths: [16, 13, 19] },
  { brand: 'mastercard', prefixes: ['51', '52', '53', '54', '55', '2221', '2500', '2720'], lengths: [16] },
  { brand: 'amex', prefixes: ['34', '37'], lengths: [15] },
  { brand: 'discover', prefixes: ['6011', '644', '649', '65'], lengths: [16, 19] },
  { brand: 'diners', prefixes: ['300', '305', '36', '38', '39'], lengths: [14, 16] },
  { brand: 'jcb', prefixes: ['3528', '3545', '3589'], lengths: [16] },
  { brand: 'unionpay', prefixes: ['62', '81'], lengths: [16, 17, 18, 19] },
  { brand: 'maestro', prefixes: ['5018', '5020', '5038', '6304', '6759', '6761', '6763'], lengths: [12, 16, 19] },
  { brand: 'mir', prefixes: ['2200', '2204'], lengths: [16] },
  { brand: 'elo', prefixes: ['636297', '504175', '438935'], lengths: [16] },
  { brand: 'hipercard', prefixes: ['606282'], lengths: [16] },
  { brand: 'unknown', prefixes: ['1', '7', '9'], lengths: [16] },
];

/** Luhn check digit for a payload of digits (the number without its last digit). */
export function luhnCheckDigit(payload) {
  let sum = 0;
  let double = true;
  for (let i = payload.length - 1; i >= 0; i--) {
    let d = payload.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * `count` card-number inputs from `seed`: 80% complete (half Luhn-valid, half with a wrong check
 * digit), 20% partial (a prefix of a complete number, as typed); 10% of all are spaced in groups of 4.
 */
export function generateCardNumbers(count, seed = 0x5eed) {
  const rnd = mulberry32(seed);
  const pick = (xs) => xs[Math.floor(rnd() * xs.length)];
  const out = new Array(count);
  for (let i = 0; i < count; i++) {
    const b = pick(BRANDS);
    const prefix = pick(b.prefixes);
    const length = pick(b.lengths);
    let body = prefix;
    while (body.length < length - 1) body += String(Math.floor(rnd() * 10));
    const check = luhnCheckDigit(body);
    const valid = i % 2 === 0;
    let number = body + String(valid ? check : (check + 1 + Math.floor(rnd() * 9)) % 10);
    if (rnd() < 0.2) number = number.slice(0, 1 + Math.floor(rnd() * (number.length - 1)));
    if (rnd() < 0.1) number = number.replace(/(\d{4})(?=\d)/g, '$1 ');
    out[i] = number;
  }
  return out;
}
