/** Czech: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Zabezpečené platební pole: %|' +
  '1234 1234 1234 1234|MM / RR|CVC|CVV|CID|PSČ|' +
  'Číslo karty|Datum platnosti|Bezpečnostní kód|PSČ|' +
  'Číslo karty je neplatné.|Číslo karty je neúplné.|Datum platnosti je neplatné.|Datum platnosti je neúplné.|Měsíc platnosti je neplatný.|Rok platnosti je neplatný.|Platnost karty již vypršela.|Bezpečnostní kód je neplatný.|Bezpečnostní kód je neúplný.|PSČ je neplatné.|PSČ je neúplné.|Zadejte jméno tak, jak je uvedeno na kartě.|Toto pole se nepodařilo bezpečně načíst.'
);
