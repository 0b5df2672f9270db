/** English: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Secure payment field: %|' +
  '1234 1234 1234 1234|MM / YY|CVC|CVV|CID|Postal code|' +
  'Card number|Expiration date|Security code|Postal code|' +
  "Your card number is invalid.|Your card number is incomplete.|Your card's expiration date is invalid.|Your card's expiration date is incomplete.|Your card's expiration month is invalid.|Your card's expiration year is invalid.|Your card's expiration date is in the past.|Your card's security code is invalid.|Your card's security code is incomplete.|Your postal code is invalid.|Your postal code is incomplete.|Enter the name as it appears on your card.|This field could not load securely."
);
