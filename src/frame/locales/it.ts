/** Italian: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Campo di pagamento sicuro: %|' +
  '1234 1234 1234 1234|MM / AA|CVC|CVV|CID|CAP|' +
  'Numero della carta|Data di scadenza|Codice di sicurezza|Codice postale|' +
  "Il numero della carta non è valido.|Il numero della carta è incompleto.|La data di scadenza non è valida.|La data di scadenza è incompleta.|Il mese di scadenza non è valido.|L'anno di scadenza non è valido.|La data di scadenza è già passata.|Il codice di sicurezza non è valido.|Il codice di sicurezza è incompleto.|Il codice postale non è valido.|Il codice postale è incompleto.|Inserisci il nome così come appare sulla carta.|Impossibile caricare questo campo in modo sicuro."
);
