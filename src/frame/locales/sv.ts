/** Swedish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Säkert betalningsfält: %|' +
  '1234 1234 1234 1234|MM / ÅÅ|CVC|CVV|CID|Postnummer|' +
  'Kortnummer|Utgångsdatum|Säkerhetskod|Postnummer|' +
  'Kortnumret är ogiltigt.|Kortnumret är ofullständigt.|Utgångsdatumet är ogiltigt.|Utgångsdatumet är ofullständigt.|Utgångsmånaden är ogiltig.|Utgångsåret är ogiltigt.|Utgångsdatumet har redan passerat.|Säkerhetskoden är ogiltig.|Säkerhetskoden är ofullständig.|Postnumret är ogiltigt.|Postnumret är ofullständigt.|Ange namnet som det står på kortet.|Fältet kunde inte läsas in säkert.'
);
