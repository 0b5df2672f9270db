/** Polish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Bezpieczne pole płatności: %|' +
  '1234 1234 1234 1234|MM / RR|CVC|CVV|CID|Kod pocztowy|' +
  'Numer karty|Data ważności|Kod bezpieczeństwa|Kod pocztowy|' +
  'Numer karty jest nieprawidłowy.|Numer karty jest niekompletny.|Data ważności jest nieprawidłowa.|Data ważności jest niekompletna.|Miesiąc ważności jest nieprawidłowy.|Rok ważności jest nieprawidłowy.|Data ważności już minęła.|Kod bezpieczeństwa jest nieprawidłowy.|Kod bezpieczeństwa jest niekompletny.|Kod pocztowy jest nieprawidłowy.|Kod pocztowy jest niekompletny.|Wpisz imię i nazwisko tak, jak widnieją na karcie.|Nie udało się bezpiecznie załadować tego pola.'
);
