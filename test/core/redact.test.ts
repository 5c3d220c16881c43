/** The redactor matches every spelling of a secret, and only whole words of base64 around one. */
import { describe, expect, it } from 'vitest';
import { createRedactor, redactDeep } from '../../src/core/redact.js';
import { percentDecode } from '../../src/core/percent-decode.js';

describe('createRedactor', () => {
  const cases: { name: string; secret: string; text: string; expected: string }[] = [
    { name: 'as given', secret: 'tok-123456', text: 'a tok-123456 b', expected: 'a *** b' },
    { name: 'trimmed: the line break after it stays', secret: 'tok-123456\n', text: 'k=tok-123456\nnext', expected: 'k=***\nnext' },
    { name: 'tab and newlines dropped by the URL parser', secret: 'ab\tcd\nef', text: 'q=abcdef', expected: 'q=***' },
    { name: 'encodeURIComponent', secret: 'a b"c', text: 'q=a%20b%22c', expected: 'q=***' },
    { name: 'lower-case hex', secret: 'a/b?c', text: 'q=a%2fb%3fc', expected: 'q=***' },
    { name: 'mixed-case hex', secret: 'a/b?c', text: 'q=a%2Fb%3fc', expected: 'q=***' },
    { name: "the URL query set (' kept)", secret: `it's "x"`, text: `/?it's%20%22x%22`, expected: '/?***' },
    { name: 'form-encoded', secret: 'a b&c', text: 'f=a+b%26c', expected: 'f=***' },
    { name: 'encoded twice', secret: 'a b/c', text: 'next=a%2520b%252Fc', expected: 'next=***' },
    { name: 'percent-decoded', secret: 'p%41ss', text: 'pAss!', expected: '***!' },
    { name: 'base64 of the secret', secret: 'secret-value', text: 'x c2VjcmV0LXZhbHVl y', expected: 'x *** y' },
    { name: 'base64url', secret: '~~~>>>?aa', text: 'k=fn5-Pj4-P2Fh', expected: 'k=***' },
    { name: 'base64 of user:pass, whole word', secret: 'p4ssw0rd-long', text: `Basic ${Buffer.from('someone:p4ssw0rd-long').toString('base64')}.`, expected: 'Basic ***.' },
    { name: 'JSON-escaped', secret: 'say "hi"\\', text: '{"k":"say \\"hi\\"\\\\"}', expected: '{"k":"***"}' },
    { name: 'XML-escaped', secret: 'a<b>&"c\'', text: 'v="a&lt;b&gt;&amp;&quot;c&apos;"', expected: 'v="***"' },
    { name: 'markdown-escaped', secret: 'tok_en*x', text: '| tok\\_en\\*x |', expected: '| *** |' },
    { name: "markdown as the renderer writes it: no mention, no reference", secret: 'p@ss#1_w.rd', text: '| p@&#8203;ss#&#8203;1\\_w.rd |', expected: '| *** |' },
    { name: 'markdown as the renderer writes it after a letter: GH-1 and www. are then left alone', secret: 'GH-1_x', text: '| aGH-1\\_x |', expected: '| a*** |' },
    { name: 'markdown www. after a letter', secret: 'www.a_b', text: '| awww.a\\_b |', expected: '| a*** |' },
    { name: 'a host, lower-cased', secret: 'Tenant-ABC', text: 'https://tenant-abc/', expected: 'https://***/' },
    { name: 'upper-cased, as a server that shouts what it was sent echoes it', secret: 'sk_live_4eC39HqL', text: "-ERR unknown command 'SK_LIVE_4EC39HQL'", expected: "-ERR unknown command '***'" },
    { name: 'upper-cased and JSON-escaped', secret: 'pw"Zq81', text: '"PW\\"ZQ81"', expected: '"***"' },
    { name: 'the longest spelling first', secret: 'abc', text: 'abcabc', expected: '******' },
  ];
  it.each(cases)('$name', ({ secret, text, expected }) => {
    expect(createRedactor([secret])(text)).toBe(expected);
  });

  it('redacts the start of a secret that remote text quoted and cut short with …', () => {
    const redact = createRedactor(['sk_live_4eC39HqLyjWDarjtT1zdp7dc', 'pw-Zq81-Kx7v', 'pw Zq81/Kx7v']);
    expect(redact(`answered "-ERR 'Bearer sk_live_4eC39HqLyjWD…"`)).toBe(`answered "-ERR 'Bearer ***…"`);
    // Percent-encoded and base64 spellings, cut too.
    expect(redact('next?p=pw%20Zq81%2FK…')).toBe('next?p=***…');
    const basic = Buffer.from('admin:pw-Zq81-Kx7v').toString('base64');
    expect(redact(`Basic ${basic.slice(0, 16)}…`)).toBe('Basic ***…');
    // Only right before the ellipsis, and not text that merely shares the secret's start.
    expect(redact('sk_live_ keys… and pw-Zq81 alone')).toBe('sk_live_ keys… and pw-Zq81 alone');
  });

  it('leaves short values and unrelated text alone', () => {
    expect(createRedactor(['ab', 'xyz-secret'])('ab abc xyz-secre')).toBe('ab abc xyz-secre');
  });

  it('takes no prefix of a secret for its host spelling: # ? / \\ end a host', () => {
    for (const secret of ['tok#1abcdef', 'tok?1abcdef', 'tok/1abcdef', 'tok\\1abcdef']) {
      expect(createRedactor([secret])(`token tok ${secret}`), secret).toBe('token tok ***');
    }
  });
});

describe('percentDecode (as curl decodes)', () => {
  it.each([
    ['p%zz', 'p%zz'],
    ['p%41', 'pA'],
    ['100%', '100%'],
    ['%4', '%4'],
    ['%C3%A9t%C3%A9', 'été'],
    ['%25zz', '%zz'],
  ])('%s → %s', (input, output) => expect(percentDecode(input)).toBe(output));
});

describe('redactDeep', () => {
  it("redacts every string but outage's own words, which renderers look up", () => {
    const redact = createRedactor(['down', 'averylongsecretname', 'tcp.refused']);
    const report = { status: 'down', code: 'tcp.refused', services: [{ name: 'averylongsecretname', reason: 'went down', probes: [{ kind: 'tcp', at: 3 }] }] };
    expect(redactDeep(report, redact)).toEqual({ status: 'down', code: 'tcp.refused', services: [{ name: '***', reason: 'went ***', probes: [{ kind: 'tcp', at: 3 }] }] });
  });
});
