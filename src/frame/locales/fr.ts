/** French: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Champ de paiement sécurisé : %|' +
  '1234 1234 1234 1234|MM / AA|CVC|CVV|CID|Code postal|' +
  "Numéro de carte|Date d'expiration|Code de sécurité|Code postal|" +
  "Le numéro de carte n'est pas valide.|Le numéro de carte est incomplet.|La date d'expiration n'est pas valide.|La date d'expiration est incomplète.|Le mois d'expiration n'est pas valide.|L'année d'expiration n'est pas valide.|La date d'expiration est déjà passée.|Le code de sécurité n'est pas valide.|Le code de sécurité est incomplet.|Le code postal n'est pas valide.|Le code postal est incomplet.|Saisissez le nom tel qu'il figure sur la carte.|Impossible de charger ce champ en toute sécurité."
);
