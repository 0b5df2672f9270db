/**
 * Arabic (right to left): the strings of src/frame/locales.ts, in the order of its KEYS, `|`-separated.
 * The expiry placeholder has LEFT-TO-RIGHT MARKs (\u200e): it shows in the left-to-right expiry
 * input, where the month is typed on the left, and the marks keep "month" left of "year" there.
 */
export default (
  'حقل دفع آمن: %|' +
  '1234 1234 1234 1234|شهر\u200e / \u200eسنة|CVC|CVV|CID|الرمز البريدي|' +
  'رقم البطاقة|تاريخ الانتهاء|رمز الأمان|الرمز البريدي|' +
  'رقم البطاقة غير صالح.|رقم البطاقة غير مكتمل.|تاريخ الانتهاء غير صالح.|تاريخ الانتهاء غير مكتمل.|شهر الانتهاء غير صالح.|سنة الانتهاء غير صالحة.|انتهت صلاحية البطاقة.|رمز الأمان غير صالح.|رمز الأمان غير مكتمل.|الرمز البريدي غير صالح.|الرمز البريدي غير مكتمل.|أدخل الاسم كما يظهر على البطاقة.|تعذّر تحميل هذا الحقل بأمان.'
);
