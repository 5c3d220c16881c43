/**
 * The hosts a page loads its assets from, read with a real HTML parser (htmlparser2, streaming, no
 * DOM): `img`, `script`, `link` (stylesheets, icons, preloads), `iframe`, `source`, plus `srcset`
 * candidates, `<base href>` and protocol-relative URLs. Attribute entities are decoded by the parser,
 * and comments, `<template>` content and text that merely looks like a tag are not mistaken for
 * markup — which is why this is not a regular expression.
 */
import { Parser } from 'htmlparser2';

const ASSET_ATTRIBUTES: Record<string, readonly string[]> = {
  img: ['src', 'srcset'],
  script: ['src'],
  iframe: ['src'],
  source: ['src', 'srcset'],
  video: ['src', 'poster'],
  audio: ['src'],
  link: ['href'],
};

/** `link` rels that load something the page needs; `canonical`, `alternate`, … are just pages. */
const ASSET_RELS = new Set(['stylesheet', 'icon', 'shortcut', 'apple-touch-icon', 'preload', 'modulepreload', 'manifest', 'mask-icon']);

/** Distinct asset hosts other than the page's own, each with the first URL seen, in page order. */
export function assetHosts(html: string, pageUrl: string): Map<string, string> {
  let base = new URL(pageUrl);
  const pageHost = base.host;
  const hosts = new Map<string, string>();
  let templateDepth = 0;
  const add = (raw: string) => {
    let url: URL;
    try {
      url = new URL(raw.trim(), base);
    } catch {
      return;
    }
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return;
    url.hash = '';
    if (url.host !== pageHost && !hosts.has(url.host)) hosts.set(url.host, url.toString());
  };
  const parser = new Parser(
    {
      onopentag(name, attributes) {
        if (name === 'template') templateDepth++;
        if (templateDepth > 0) return;
        if (name === 'base' && attributes.href && hosts.size === 0) {
          try {
            base = new URL(attributes.href, base);
          } catch {
            // An unusable <base> is ignored, as browsers do.
          }
          return;
        }
        const wanted = ASSET_ATTRIBUTES[name];
        if (!wanted) return;
        if (name === 'link' && !(attributes.rel ?? '').toLowerCase().split(/\s+/).some((r) => ASSET_RELS.has(r))) return;
        for (const attribute of wanted) {
          const value = attributes[attribute];
          if (!value) continue;
          if (attribute === 'srcset') for (const candidate of value.split(',')) add(candidate.trim().split(/\s+/)[0] ?? '');
          else add(value);
        }
      },
      onclosetag(name) {
        if (name === 'template' && templateDepth > 0) templateDepth--;
      },
    },
    { decodeEntities: true, lowerCaseTags: true, lowerCaseAttributeNames: true },
  );
  parser.end(html);
  return hosts;
}
