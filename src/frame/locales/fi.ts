/** Finnish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Suojattu maksukenttä: %|' +
  '1234 1234 1234 1234|KK / VV|CVC|CVV|CID|Postinumero|' +
  'Kortin numero|Voimassaoloaika|Turvakoodi|Postinumero|' +
  'Kortin numero on virheellinen.|Kortin numero on puutteellinen.|Voimassaoloaika on virheellinen.|Voimassaoloaika on puutteellinen.|Voimassaolon kuukausi on virheellinen.|Voimassaolon vuosi on virheellinen.|Voimassaoloaika on jo päättynyt.|Turvakoodi on virheellinen.|Turvakoodi on puutteellinen.|Postinumero on virheellinen.|Postinumero on puutteellinen.|Kirjoita nimi samassa muodossa kuin kortissa.|Kenttää ei voitu ladata turvallisesti.'
);
