/**
 * Luhn (mod 10) check of a card number: true when the check digit matches.
 *
 * Accepts digits optionally separated by spaces or dashes (so a formatted "4242 4242 4242 4242"
 * needs no copy); any other character, or no digit at all, gives false. It walks the string once
 * from the right with `charCodeAt` and allocates nothing: this runs on every keystroke and in the
 * validation benchmark.
 *
 * @example
 * luhnCheck('4242424242424242');    // true
 * luhnCheck('4242 4242 4242 4241'); // false
 */
export function luhnCheck(value: string): boolean {
  let sum = 0;
  let double = false;
  let digits = 0;
  for (let i = value.length - 1; i >= 0; i--) {
    const c = value.charCodeAt(i);
    if (c === 32 || c === 45) continue; // space, dash
    const d = c - 48;
    if (d < 0 || d > 9) return false;
    digits++;
    if (double) sum += d > 4 ? d * 2 - 9 : d * 2;
    else sum += d;
    double = !double;
  }
  return digits > 0 && sum % 10 === 0;
}
