/** German: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Sicheres Zahlungsfeld: %|' +
  '1234 1234 1234 1234|MM / JJ|CVC|CVV|CID|Postleitzahl|' +
  'Kartennummer|Ablaufdatum|Sicherheitscode|Postleitzahl|' +
  'Die Kartennummer ist ungültig.|Die Kartennummer ist unvollständig.|Das Ablaufdatum ist ungültig.|Das Ablaufdatum ist unvollständig.|Der Ablaufmonat ist ungültig.|Das Ablaufjahr ist ungültig.|Das Ablaufdatum liegt in der Vergangenheit.|Der Sicherheitscode ist ungültig.|Der Sicherheitscode ist unvollständig.|Die Postleitzahl ist ungültig.|Die Postleitzahl ist unvollständig.|Bitte geben Sie den Namen so ein, wie er auf der Karte steht.|Dieses Feld konnte nicht sicher geladen werden.'
);
