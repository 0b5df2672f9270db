/**
 * Applies the frame's look under a strict CSP (style-src 'self', no 'unsafe-inline'): constructed
 * stylesheets adopted by the document, never `style` attributes or `<style>` elements.
 */
import { sanitiseFonts } from './fonts';
import { sanitiseStyle } from './style-sanitiser';
import { buildStyleSheet } from './style-sheet';

/** Creates the frame's stylesheets; `setStyle` replaces the host's part. */
export function createStyles(doc: Document): { setStyle(style: unknown): void; loadFonts(fonts: unknown): void } {
  // Constructors of the document's own realm: a sheet made elsewhere cannot be adopted.
  const win = doc.defaultView as (Window & typeof globalThis) | null;
  const Sheet = win?.CSSStyleSheet ?? CSSStyleSheet;
  const Face = win?.FontFace;
  // The default look is card.css, linked by the document; adopted sheets come after it.
  const host = new Sheet();
  doc.adoptedStyleSheets = [host];
  const loaded = new Set<string>();
  return {
    setStyle(style) {
      // Only sanitised declarations reach the sheet (no url(), no selector injection).
      host.replaceSync(buildStyleSheet(sanitiseStyle(style).style));
    },
    loadFonts(fonts) {
      const { faces, stylesheets } = sanitiseFonts(fonts);
      for (const f of faces) {
        const id = JSON.stringify(f);
        if (loaded.has(id) || !Face) continue;
        loaded.add(id);
        const face = new Face(f.family, f.source, f.descriptors as FontFaceDescriptors);
        doc.fonts.add(face);
        // A font that fails to load leaves the fallback in place; nothing to report.
        face.load().catch(() => undefined);
      }
      // https CSS from allow-listed font providers only (fonts.ts); the frame origin's CSP must
      // list those origins in style-src / font-src for the browser to load them.
      for (const href of stylesheets) {
        if (loaded.has(href)) continue;
        loaded.add(href);
        const link = doc.createElement('link');
        link.rel = 'stylesheet';
        link.href = href;
        link.referrerPolicy = 'no-referrer';
        doc.head.append(link);
      }
    },
  };
}
