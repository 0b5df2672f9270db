/** Danish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Sikkert betalingsfelt: %|' +
  '1234 1234 1234 1234|MM / ÅÅ|CVC|CVV|CID|Postnummer|' +
  'Kortnummer|Udløbsdato|Sikkerhedskode|Postnummer|' +
  'Kortnummeret er ugyldigt.|Kortnummeret er ufuldstændigt.|Udløbsdatoen er ugyldig.|Udløbsdatoen er ufuldstændig.|Udløbsmåneden er ugyldig.|Udløbsåret er ugyldigt.|Udløbsdatoen er allerede passeret.|Sikkerhedskoden er ugyldig.|Sikkerhedskoden er ufuldstændig.|Postnummeret er ugyldigt.|Postnummeret er ufuldstændigt.|Indtast navnet, som det står på kortet.|Feltet kunne ikke indlæses sikkert.'
);
