/** Norwegian Bokmål (also for no and nn): the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Sikkert betalingsfelt: %|' +
  '1234 1234 1234 1234|MM / ÅÅ|CVC|CVV|CID|Postnummer|' +
  'Kortnummer|Utløpsdato|Sikkerhetskode|Postnummer|' +
  'Kortnummeret er ugyldig.|Kortnummeret er ufullstendig.|Utløpsdatoen er ugyldig.|Utløpsdatoen er ufullstendig.|Utløpsmåneden er ugyldig.|Utløpsåret er ugyldig.|Utløpsdatoen har allerede passert.|Sikkerhetskoden er ugyldig.|Sikkerhetskoden er ufullstendig.|Postnummeret er ugyldig.|Postnummeret er ufullstendig.|Skriv inn navnet slik det står på kortet.|Feltet kunne ikke lastes inn sikkert.'
);
