/** Card numbers a card-testing bot would send: many distinct Luhn-valid ones, and invalid ones. */

/** The i-th Luhn-valid 16-digit Visa-range number of a series (distinct for distinct i or salt). */
export function visa(i: number, salt = 0): string {
  const body = `4${String(salt).padStart(3, '0')}${String(i).padStart(11, '0')}`;
  let sum = 0;
  for (let k = 0; k < body.length; k++) {
    let d = Number(body[body.length - 1 - k]);
    if (k % 2 === 0) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return `${body}${(10 - (sum % 10)) % 10}`;
}

/** A number of the same shape that fails the Luhn check. */
export function invalid(i: number, salt = 7): string {
  const n = visa(i, salt);
  return `${n.slice(0, -1)}${(Number(n.at(-1)) + 1) % 10}`;
}
