/** Reading asset hosts from HTML with a real parser: what counts, what does not. */
import { describe, expect, it } from 'vitest';
import { assetHosts } from '../../src/probes/hosts/html-assets.js';

const hosts = (html: string, page = 'https://www.example.test/shop/') => [...assetHosts(html, page).entries()];

describe('assetHosts', () => {
  it('img, script, stylesheet link, iframe and source, protocol-relative and srcset included', () => {
    const html = `
      <IMG SRC="https://images.example.test/a.png">
      <script src="//cdn.example.test/app.js"></script>
      <link rel="preload stylesheet" href="https://styles.example.test/s.css">
      <iframe src="https://frames.example.test/embed"></iframe>
      <picture><source srcset="https://m.example.test/1.webp 1x, https://retina.example.test/2.webp 2x"></picture>`;
    expect(hosts(html)).toEqual([
      ['images.example.test', 'https://images.example.test/a.png'],
      ['cdn.example.test', 'https://cdn.example.test/app.js'],
      ['styles.example.test', 'https://styles.example.test/s.css'],
      ['frames.example.test', 'https://frames.example.test/embed'],
      ['m.example.test', 'https://m.example.test/1.webp'],
      ['retina.example.test', 'https://retina.example.test/2.webp'],
    ]);
  });

  it('not links, canonical pages, comments, templates, scripts’ text, data: URLs or the page’s own host', () => {
    const html = `
      <a href="https://elsewhere.test/">x</a>
      <link rel="canonical" href="https://canonical.test/">
      <!-- <img src="https://commented.test/x.png"> -->
      <template><img src="https://template.test/x.png"></template>
      <script>document.write('<img src="https://in-script.test/x.png">')</script>
      <img src="data:image/png;base64,AAAA">
      <img src="/relative.png"><img src="https://www.example.test/abs.png">`;
    expect(hosts(html)).toEqual([]);
  });

  it('resolves against <base href> and decodes entities in attributes; keeps the first URL per host', () => {
    const html = `<base href="https://static.example.test/v2/"><img src="logo.png"><img src="https://a.test/x?a=1&amp;b=2"><img src="https://a.test/y">`;
    expect(hosts(html)).toEqual([
      ['static.example.test', 'https://static.example.test/v2/logo.png'],
      ['a.test', 'https://a.test/x?a=1&b=2'],
    ]);
  });

  it('survives malformed markup (a tag cut off by the end of the body is dropped, as browsers do)', () => {
    expect(hosts('</span><div><p><img src="https://ok.test/a.png"></div></div></b><img src="https://cut.test/x.png')).toEqual([['ok.test', 'https://ok.test/a.png']]);
    expect(hosts('<img src="http://[bad/">')).toEqual([]);
  });
});
