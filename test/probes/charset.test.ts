import { describe, expect, it } from 'vitest';
import { decodeText } from '../../src/probes/http/charset.js';

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('decodeText', () => {
  it('decodes each body on its own, whatever the body before it was (decoders are shared)', () => {
    // Invalid UTF-8 (a latin1 é) makes the strict decoder throw; the next body must not inherit that.
    expect(decodeText(latin1('caf\xe9'))).toBe('café');
    expect(decodeText(Buffer.from('café ✓', 'utf8'))).toBe('café ✓');
    // A body cut inside a multi-byte character, then a whole one: nothing carried over between them.
    expect(decodeText(Buffer.from([0x63, 0xe2, 0x9c]), 'text/plain; charset=utf-8')).toBe('c\ufffd');
    expect(decodeText(Buffer.from('✓', 'utf8'), 'text/plain; charset=utf-8')).toBe('✓');
  });

  it('follows the declared charset, the BOM first, under any spelling of the label', () => {
    expect(decodeText(latin1('na\xefve'), 'text/html; charset=ISO-8859-1')).toBe('naïve');
    expect(decodeText(latin1('na\xefve'), 'text/html; charset=" latin1 "')).toBe('naïve');
    expect(decodeText(Buffer.from([0xfe, 0xff, 0x00, 0x6f, 0x00, 0x6b]), 'text/plain; charset=latin1')).toBe('ok');
    expect(decodeText(latin1('<meta charset="windows-1252">\x93q\x94'))).toBe('<meta charset="windows-1252">\u201cq\u201d');
    expect(decodeText(latin1('<?xml version="1.0" encoding="ISO-8859-1"?><a>\xe9</a>'))).toBe('<?xml version="1.0" encoding="ISO-8859-1"?><a>é</a>');
  });

  it('reads windows-1252 (and latin1, which names it) as a browser does: 0x80–0x9F are “ ” – — € …, not control characters', () => {
    const bytes = latin1('\x93quoted\x94 \x96 \x80 5 \x85 \x91x\x92 \x9f');
    const shown = '\u201cquoted\u201d \u2013 \u20ac 5 \u2026 \u2018x\u2019 \u0178';
    expect(decodeText(bytes, 'text/html; charset=windows-1252')).toBe(shown);
    expect(decodeText(bytes, 'text/html; charset=ISO-8859-1')).toBe(shown);
    // Undeclared and not UTF-8: read as windows-1252, as a browser's default.
    expect(decodeText(bytes)).toBe(shown);
    // The five bytes the standard leaves undefined stay as they are.
    expect(decodeText(latin1('\x81\x8d\x8f\x90\x9d'), 'text/plain; charset=windows-1252')).toBe('\x81\x8d\x8f\x90\x9d');
  });

  it('an unknown label is ignored, not kept: the body is read as undeclared', () => {
    for (let i = 0; i < 1000; i++) expect(decodeText(Buffer.from('ok'), `text/plain; charset=x-made-up-${i}`)).toBe('ok');
  });
});
