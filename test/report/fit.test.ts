import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeChalk } from '../../src/report/colors.js';
import { fitWidths, renderFitted, type Column } from '../../src/report/fit.js';
import { displayWidth, wrapText } from '../../src/report/wrap.js';
import { safeLine } from '../../src/core/safe-text.js';

const urlish = fc.stringMatching(/^[a-z0-9./:?&=_-]{1,120}$/);

describe('wrapText (property)', () => {
  it('a word without spaces comes back whole when its lines are joined, each line within the width', () => {
    fc.assert(
      fc.property(urlish, fc.integer({ min: 1, max: 60 }), (word, width) => {
        const lines = wrapText(word, width);
        expect(lines.join('')).toBe(word);
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('text with spaces loses only the spaces it breaks at', () => {
    fc.assert(
      fc.property(fc.array(urlish, { minLength: 1, maxLength: 8 }), fc.integer({ min: 1, max: 60 }), (words, width) => {
        const lines = wrapText(words.join(' '), width);
        expect(lines.join('').replace(/ /g, '')).toBe(words.join(''));
        for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('breaks a URL after a separator rather than mid-word where it can', () => {
    expect(wrapText('http://127.0.0.1:4000/health/service-alpha/v1', 20)).toEqual(['http://127.0.0.1:', '4000/health/service-', 'alpha/v1']);
  });
});

describe('displayWidth', () => {
  it('counts wide characters twice, combining marks not at all, colors not at all', () => {
    expect(displayWidth('名前')).toBe(4);
    expect(displayWidth('🚨 x')).toBe(4);
    expect(displayWidth('e\u0301')).toBe(1);
    expect(displayWidth('\u001b[31m✖ down\u001b[39m')).toBe(6);
  });
});

describe('fitWidths', () => {
  const columns: Column[] = [{ title: 'Service', min: 12 }, { title: 'Status', fixed: true }, { title: 'Reason', min: 24 }];
  const row = (name: string, reason: string) => [{ text: name }, { text: '✔ up' }, { text: reason }];

  it('fits the width, keeping every floor, when the floors fit', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(urlish, fc.lorem({ maxCount: 20 })), { minLength: 1, maxLength: 5 }), fc.integer({ min: 20, max: 200 }), (data, width) => {
        const rows = data.map(([name, reason]) => row(name, reason));
        const widths = fitWidths(columns, rows, width);
        if (!widths) return;
        expect(widths.reduce((a, b) => a + b, 0) + 3 * columns.length + 1).toBeLessThanOrEqual(width);
        expect(widths[1]).toBe(6);
      }),
    );
  });

  it('gives up (undefined) when the floors alone are wider than the terminal', () => {
    expect(fitWidths(columns, [row('x'.repeat(40), 'y '.repeat(40))], 40)).toBeUndefined();
  });
});

/** The Service cells as rendered, wrapped pieces joined: from a table's first column, or blocks. */
function serviceCells(text: string): string[] {
  const cells: string[][] = [];
  const lines = text.split('\n');
  if (text.startsWith('┌')) {
    for (const line of lines) {
      if (/^[├└]/.test(line)) cells.push([]);
      else if (line.startsWith('│')) cells.at(-1)?.push((line.split('│')[1] ?? '').trim());
    }
    cells.pop(); // after └
  } else {
    let field = '';
    for (const line of lines) {
      if (line && !line.startsWith(' ')) {
        field = line.split(' ')[0] as string;
        if (field === 'Service') cells.push([line.slice(field.length).trim()]);
      } else if (field === 'Service') {
        cells.at(-1)?.push(line.trim());
      }
    }
  }
  return cells.map((c) => c.join('')).filter(Boolean);
}

describe('renderFitted', () => {
  const chalk = makeChalk(0);
  const names = ['https://status.example.test/api/v2/components/alpha', 'https://status.example.test/api/v2/components/alphb'];
  const rows = names.map((name) => [{ text: name }, { text: 'HTTP 200 in 5ms' }]);
  const columns: Column[] = [{ title: 'Service', min: 12 }, { title: 'Reason', min: 24 }];

  it('never renders two different names as the same cell, at any width', () => {
    for (let width = 10; width <= 120; width++) {
      const text = renderFitted(columns, rows, { chalk, width });
      for (const line of text.trimEnd().split('\n')) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(serviceCells(text)).toEqual(names);
    }
  });

  it('never cuts a cell (…) and keeps every line of the box the same width, whatever the characters (property)', () => {
    const text = fc.string({ unit: fc.oneof(fc.constantFrom('名', '🚨', '❤\ufe0f', 'e\u0301', '✔', 'ｱ', '\u200d', '한'), fc.string({ unit: 'grapheme' })), maxLength: 40 });
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), fc.integer({ min: 10, max: 100 }), (cells, width) => {
        const safe = cells.map((cell) => safeLine(cell).replace(/…/g, ''));
        const out = renderFitted([{ title: 'Service', min: 12 }, { title: 'Reason', min: 24 }], safe.map((cell) => [{ text: cell }, { text: cell }]), { chalk, width });
        expect(out).not.toContain('…');
        const table = out.split('\n').filter((line) => /^[┌│├└]/.test(line));
        expect(new Set(table.map(displayWidth)).size).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('redacts before wrapping, so a line break never splits a secret past the redactor', () => {
    const secret = 'hunter2-very-long-secret-token';
    const text = renderFitted([{ title: 'Target', min: 8 }], [[{ text: `https://x.test/?t=${secret}` }]], {
      chalk,
      width: 20,
      redact: (t) => t.replaceAll(secret, '***'),
    });
    expect(text.replace(/[│\s]/g, '')).not.toMatch(/hunter|token/);
  });
});
