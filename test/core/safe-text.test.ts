/** The output-safety rules, case by case (the property tests in test/fuzz hunt for the rest). */
import { describe, expect, it } from 'vitest';
import { guardLines, safeJson, safeLine, safeLines } from '../../src/core/safe-text.js';

describe('safeLine: remote text as one visible line', () => {
  it.each([
    ['plain text stays as it is', 'HTTP 503 · café 🚨', 'HTTP 503 · café 🚨'],
    ['escape sequences become visible', '\u001b[31mred\u001b]0;title\u0007', '\\x1b[31mred\\x1b]0;title\\x07'],
    ['C1 controls and DEL too (CSI is one byte in C1)', 'a\u009b2Jb\u007f', 'a\\x9b2Jb\\x7f'],
    ['every line break is a space, blanks around it folded', 'one \r\n two\rthree\nfour\u2028five\u0085six\ftab\there', 'one two three four five six tab here'],
    ['bidi overrides and isolates, zero-width space, BOM, soft hyphen and tags are shown', '\u202eevil\u2066\u200b\ufeff\u00ad\udb40\udc41', '\\u{202e}evil\\u{2066}\\u{200b}\\u{feff}\\u{ad}\\u{e0041}'],
    ['joiners that emoji and scripts need stay', '👩\u200d💻 \u200c', '👩\u200d💻 \u200c'],
    ['a lone surrogate is U+FFFD', 'half \udfb8', 'half \ufffd'],
    ['logging commands lose their first #, in any case', '##[error]x ##vso[task.setvariable] ##VSO[x] ###[y]', '\\x23#[error]x \\x23#vso[task.setvariable] \\x23#VSO[x] #\\x23#[y]'],
    ['a ## that starts no command stays', '## heading #1', '## heading #1'],
  ])('%s', (_, input, shown) => {
    expect(safeLine(input)).toBe(shown);
    expect(safeLine(shown)).toBe(shown);
  });
});

describe('guardLines: no line of human output starts a workflow command', () => {
  it.each([
    ['at the start of a line', 'ok\n::error::x\n', 'ok\n\\x3a:error::x\n'],
    ['after the blanks the runner trims', '   ::warning::x\n\u00a0\t::set-output::y', '   \\x3a:warning::x\n\u00a0\t\\x3a:set-output::y'],
    ['after colour codes', '\u001b[2m::error::x\u001b[22m', '\u001b[2m\\x3a:error::x\u001b[22m'],
    ['not in the middle of a line, where it is harmless', 'fd00::1 and [::1]:53', 'fd00::1 and [::1]:53'],
    ['a logging command made of joined pieces', 'a#' + '#[error]', 'a\\x23#[error]'],
  ])('%s', (_, input, guarded) => {
    expect(guardLines(input)).toBe(guarded);
  });

  it('safeLines keeps a message\'s own lines and makes each safe', () => {
    expect(safeLines('problems:\n  a: \u001b[31m\n::error::x')).toBe('problems:\n  a: \\x1b[31m\n\\x3a:error::x');
  });
});

describe('safeJson: exact, and nothing raw', () => {
  it('encodes what JSON.stringify leaves raw, and parses back to the same text', () => {
    const value = { text: 'a\u009b\u007f\u2028\u202e\u200b ##[error] ##vso[x] \udb40\udc41 👩\u200d💻 \u001b' };
    const json = safeJson(JSON.stringify(value));
    expect(json).not.toMatch(/[\u007f-\u009f\u2028\u202e\u200b]|##\[|##vso\[|\udb40/u);
    expect(json).toContain('\\u0023#[error]');
    expect(JSON.parse(json)).toEqual(value);
  });
});
