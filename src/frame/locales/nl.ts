/** Dutch: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Beveiligd betaalveld: %|' +
  '1234 1234 1234 1234|MM / JJ|CVC|CVV|CID|Postcode|' +
  'Kaartnummer|Vervaldatum|Beveiligingscode|Postcode|' +
  'Het kaartnummer is ongeldig.|Het kaartnummer is onvolledig.|De vervaldatum is ongeldig.|De vervaldatum is onvolledig.|De vervalmaand is ongeldig.|Het vervaljaar is ongeldig.|De vervaldatum ligt in het verleden.|De beveiligingscode is ongeldig.|De beveiligingscode is onvolledig.|De postcode is ongeldig.|De postcode is onvolledig.|Vul de naam in zoals die op de kaart staat.|Dit veld kon niet veilig worden geladen.'
);
