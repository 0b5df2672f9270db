// The frame's locales (src/frame/locales/<locale>.ts). Each gets its own frame bundle
// (dist/frame/cardvault-frame.<locale>.js) and document (dist/frame/card.<locale>.html); the
// host loads the document of the element group's locale. Shared by the build and its checks.
export const FRAME_LOCALES = ['en', 'es', 'fr', 'de'];
