/** Chinese, Traditional (also for zh-TW, zh-HK, zh-MO): the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated. */
export default (
  '安全付款輸入欄位：%|' +
  '1234 1234 1234 1234|月 / 年|CVC|CVV|CID|郵遞區號|' +
  '卡號|有效期限|安全碼|郵遞區號|' +
  '卡號無效。|卡號不完整。|有效期限無效。|有效期限不完整。|有效月份無效。|有效年份無效。|有效期限已過。|安全碼無效。|安全碼不完整。|郵遞區號無效。|郵遞區號不完整。|請依照卡片上的姓名輸入。|無法安全載入此欄位。'
);
