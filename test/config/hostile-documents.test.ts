/**
 * Documents that cost more to walk than they weigh: a YAML alias bomb (575 bytes for billions of
 * values) and nesting deep enough to blow the stack. Both are configuration errors, quickly.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';

function file(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'outage-hostile-doc-')), name);
  writeFileSync(path, text);
  return path;
}

const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
  'g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
  'h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]',
  'services: [*h,*h,*h,*h,*h,*h,*h,*h,*h]',
  '',
].join('\n');

describe('hostile config documents', () => {
  it('a YAML alias bomb is a configuration error (78) within seconds, not an out-of-memory abort', async () => {
    const r = await runCli(['validate', '-c', file('bomb.yaml', BOMB)]);
    expect(r.code).toBe(78);
    expect(r.stderr).toMatch(/the document expands to more than 1,000,000 values \(YAML aliases/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('nesting hundreds of levels deep is a configuration error, not a stack overflow', async () => {
    const nested = `${'['.repeat(300)}${']'.repeat(300)}`;
    const json = await runCli(['validate', '-c', file('deep.json', `{"services":[{"name":"x","url":"http://127.0.0.1:1/","tags":${nested}}]}`)]);
    expect(json.code).toBe(78);
    expect(json.stderr).toMatch(/nests deeper than 64 levels/);
    // YAML's parser has its own bound (100 levels): the same exit code, its own words.
    const yaml = await runCli(['validate', '-c', file('deep.yaml', `services:\n  - name: x\n    url: http://127.0.0.1:1/\n    tags: ${nested}\n`)]);
    expect(yaml.code).toBe(78);
    for (const r of [json, yaml]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
