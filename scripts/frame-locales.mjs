// The frame's locales (src/frame/locales/<locale>.ts; the same list as LOCALE_CODES in
// src/locale-codes.ts, which test/unit/locale-codes.test.ts keeps equal). Each gets its own frame
// bundle (dist/frame/cardvault-frame.<locale>.js) and document (dist/frame/card.<locale>.html);
// the host loads the document of the element group's locale. Shared by the build and its checks.
export const FRAME_LOCALES = 'ar cs da de el en es fi fr he it ja ko nb nl pl pt ru sv tr zh-Hans zh-Hant'.split(' ');

// Written right to left: their documents say dir="rtl" (the layout mirrors; card digits stay LTR).
export const RTL_LOCALES = ['ar', 'he'];
