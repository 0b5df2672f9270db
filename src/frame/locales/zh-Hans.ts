/** Chinese, Simplified (also for zh, zh-CN, zh-SG): the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  '安全支付输入框：%|' +
  '1234 1234 1234 1234|月 / 年|CVC|CVV|CID|邮政编码|' +
  '卡号|有效期|安全码|邮政编码|' +
  '卡号无效。|卡号不完整。|有效期无效。|有效期不完整。|有效期月份无效。|有效期年份无效。|有效期已过。|安全码无效。|安全码不完整。|邮政编码无效。|邮政编码不完整。|请按卡片上显示的姓名输入。|无法安全加载此字段。'
);
