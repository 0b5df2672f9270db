import { describe, expect, it } from 'vitest';
import { fontCspSources, parseHttpsUrl, sanitiseFonts } from '../../../src/frame/fonts';

describe('sanitiseFonts', () => {
  it('accepts a Google Fonts stylesheet and gives its CSP origins', () => {
    const fonts = sanitiseFonts([{ cssSrc: 'https://fonts.googleapis.com/css?family=Inter' }]);
    expect(fonts).toEqual({ faces: [], stylesheets: ['https://fonts.googleapis.com/css?family=Inter'], rejected: [] });
    expect(fontCspSources(fonts)).toEqual({ styleSrc: ['https://fonts.googleapis.com'], fontSrc: ['https://fonts.gstatic.com'] });
  });

  it('builds FontFace arguments from a custom font', () => {
    const fonts = sanitiseFonts([
      { family: 'Inter', src: 'url(https://cdn.example.com/inter.woff2)', weight: 400 },
      { family: 'Inter Var', src: "url('https://cdn.example.com/v.woff2') format('woff2')", weight: '100 900', style: 'italic', display: 'optional' },
    ]);
    expect(fonts.rejected).toEqual([]);
    expect(fonts.faces).toEqual([
      { family: 'Inter', source: 'url("https://cdn.example.com/inter.woff2")', descriptors: { display: 'swap', weight: '400' } },
      { family: 'Inter Var', source: 'url("https://cdn.example.com/v.woff2")', descriptors: { display: 'optional', weight: '100 900', style: 'italic' } },
    ]);
    expect(fontCspSources(fonts)).toEqual({ styleSrc: [], fontSrc: ['https://cdn.example.com'] });
  });

  it('never passes a unicodeRange descriptor', () => {
    const fonts = sanitiseFonts([{ family: 'X', src: 'url(https://a.example/x.woff2)', unicodeRange: 'U+34' }]);
    expect(fonts.faces[0]?.descriptors).toEqual({ display: 'swap' });
  });

  it.each([
    ['http stylesheet', { cssSrc: 'http://fonts.googleapis.com/css?family=Inter' }, 'fonts[0].cssSrc'],
    ['arbitrary CSS host', { cssSrc: 'https://evil.example/fonts.css' }, 'fonts[0].cssSrc'],
    ['allowed host on another port', { cssSrc: 'https://fonts.googleapis.com:8443/css' }, 'fonts[0].cssSrc'],
    ['credentials', { cssSrc: 'https://user:pw@fonts.googleapis.com/css' }, 'fonts[0].cssSrc'],
    ['data: URL', { family: 'X', src: 'url(data:font/woff2;base64,AAAA)' }, 'fonts[0].src'],
    ['javascript: URL', { cssSrc: 'javascript:alert(1)' }, 'fonts[0].cssSrc'],
    ['relative URL', { family: 'X', src: 'url(/x.woff2)' }, 'fonts[0].src'],
    ['protocol-relative', { family: 'X', src: 'url(//cdn.example.com/x.woff2)' }, 'fonts[0].src'],
    ['http font file', { family: 'X', src: 'url(http://cdn.example.com/x.woff2)' }, 'fonts[0].src'],
    ['newline in URL', { family: 'X', src: 'url(https://cdn.example.com/x\n.woff2)' }, 'fonts[0].src'],
    ['two sources', { family: 'X', src: 'url(https://a.example/x.woff2), url(https://evil.example/y)' }, 'fonts[0].src'],
    ['local()', { family: 'X', src: 'local(Arial)' }, 'fonts[0].src'],
    ['src not a string', { family: 'X', src: ['url(https://a.example/x)'] }, 'fonts[0].src'],
    ['quote in family', { family: 'X"; } body {', src: 'url(https://a.example/x.woff2)' }, 'fonts[0].family'],
    ['missing family', { src: 'url(https://a.example/x.woff2)' }, 'fonts[0].family'],
    ['bad weight', { family: 'X', src: 'url(https://a.example/x.woff2)', weight: 'heavy' }, 'fonts[0].weight'],
    ['bad style', { family: 'X', src: 'url(https://a.example/x.woff2)', style: 'oblique 10deg; x' }, 'fonts[0].style'],
    ['bad display', { family: 'X', src: 'url(https://a.example/x.woff2)', display: 'block;' }, 'fonts[0].display'],
    ['not an object', 'https://fonts.googleapis.com/css', 'fonts[0]'],
    ['null', null, 'fonts[0]'],
  ])('refuses %s', (_, font, path) => {
    const fonts = sanitiseFonts([font]);
    expect(fonts.faces).toEqual([]);
    expect(fonts.stylesheets).toEqual([]);
    expect(fonts.rejected.map((r) => r.path)).toEqual([path]);
    expect(JSON.stringify(fonts.rejected)).not.toContain('evil');
  });

  it('refuses a very long URL', () => {
    expect(parseHttpsUrl(`https://cdn.example.com/${'a'.repeat(2100)}`)).toBeNull();
  });

  it('refuses wrong top-level types without throwing', () => {
    expect(sanitiseFonts(undefined).rejected).toEqual([]);
    expect(sanitiseFonts('x').rejected).toEqual([{ path: 'fonts', reason: 'expected an array' }]);
    expect(sanitiseFonts({ length: 1 }).rejected).toEqual([{ path: 'fonts', reason: 'expected an array' }]);
    expect(sanitiseFonts(Array(11).fill({ cssSrc: 'https://fonts.googleapis.com/css' })).rejected).toEqual([{ path: 'fonts', reason: 'too many fonts' }]);
    const trap = { get cssSrc(): string { throw new Error('boom'); } };
    expect(sanitiseFonts([trap]).rejected).toEqual([{ path: 'fonts[0]', reason: 'could not be read' }]);
  });

  it('deduplicates stylesheets and origins', () => {
    const fonts = sanitiseFonts([
      { cssSrc: 'https://fonts.googleapis.com/css?family=Inter' },
      { cssSrc: 'https://fonts.googleapis.com/css?family=Inter' },
      { cssSrc: 'https://fonts.googleapis.com/css2?family=Roboto' },
    ]);
    expect(fonts.stylesheets).toHaveLength(2);
    expect(fontCspSources(fonts).fontSrc).toEqual(['https://fonts.gstatic.com']);
    expect(fontCspSources({ faces: [], stylesheets: ['https://__proto__/x.css'] }).fontSrc).toEqual([]);
  });
});
