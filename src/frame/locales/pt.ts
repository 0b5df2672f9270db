/** Portuguese (for Brazil and Portugal alike): the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  'Campo de pagamento seguro: %|' +
  '1234 1234 1234 1234|MM / AA|CVC|CVV|CID|Código postal|' +
  'Número do cartão|Data de validade|Código de segurança|Código postal|' +
  'O número do cartão é inválido.|O número do cartão está incompleto.|A data de validade é inválida.|A data de validade está incompleta.|O mês de validade é inválido.|O ano de validade é inválido.|A data de validade já passou.|O código de segurança é inválido.|O código de segurança está incompleto.|O código postal é inválido.|O código postal está incompleto.|Insira o nome tal como aparece no cartão.|Não foi possível carregar este campo com segurança.'
);
