/** Spanish: the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Campo de pago seguro: %|' +
  '1234 1234 1234 1234|MM / AA|CVC|CVV|CID|Código postal|' +
  'Número de tarjeta|Fecha de caducidad|Código de seguridad|Código postal|' +
  'El número de la tarjeta no es válido.|El número de la tarjeta está incompleto.|La fecha de caducidad no es válida.|La fecha de caducidad está incompleta.|El mes de caducidad no es válido.|El año de caducidad no es válido.|La fecha de caducidad ya ha pasado.|El código de seguridad no es válido.|El código de seguridad está incompleto.|El código postal no es válido.|El código postal está incompleto.|Introduce el nombre tal como aparece en la tarjeta.|Este campo no se pudo cargar de forma segura.'
);
