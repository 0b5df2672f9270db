/** Turkish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Güvenli ödeme alanı: %|' +
  '1234 1234 1234 1234|AA / YY|CVC|CVV|CID|Posta kodu|' +
  'Kart numarası|Son kullanma tarihi|Güvenlik kodu|Posta kodu|' +
  'Kart numarası geçersiz.|Kart numarası eksik.|Son kullanma tarihi geçersiz.|Son kullanma tarihi eksik.|Son kullanma ayı geçersiz.|Son kullanma yılı geçersiz.|Kartın son kullanma tarihi geçmiş.|Güvenlik kodu geçersiz.|Güvenlik kodu eksik.|Posta kodu geçersiz.|Posta kodu eksik.|Kartın üzerindeki adı aynen girin.|Bu alan güvenli şekilde yüklenemedi.'
);
