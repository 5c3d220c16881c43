import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { writeStdout } from '../../src/commands/output.js';

const realStdout = Object.getOwnPropertyDescriptor(process, 'stdout') as PropertyDescriptor;
afterEach(() => Object.defineProperty(process, 'stdout', realStdout));

/** A slow reader: each chunk is taken a tick later, and the most ever queued is recorded. */
function slowStdout() {
  const chunks: string[] = [];
  let mostQueued = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    decodeStrings: false,
    write(chunk: string, _encoding, callback) {
      chunks.push(chunk);
      mostQueued = Math.max(mostQueued, stream.writableLength);
      setImmediate(callback);
    },
  });
  Object.defineProperty(process, 'stdout', { value: stream, configurable: true });
  return { chunks, mostQueued: () => mostQueued };
}

describe('writing a large report to stdout', () => {
  it('writes every character, in order, never queuing the whole report behind a slow reader', async () => {
    const out = slowStdout();
    // Astral characters (two UTF-16 units) land on every slice boundary at some offset.
    const text = Array.from({ length: 60_000 }, (_, i) => `svc-${i} 😀 é\n`).join('');
    await writeStdout(text);
    expect(out.chunks.join('')).toBe(text);
    expect(out.chunks.length).toBeGreaterThan(10);
    // No slice ends inside a surrogate pair (a lone half would be written as U+FFFD).
    for (const chunk of out.chunks) expect(chunk).not.toMatch(/[\uD800-\uDBFF]$/);
    expect(out.mostQueued()).toBeLessThan(text.length / 4);
  });

  it('writes a short text in one write and resolves once it is flushed', async () => {
    const out = slowStdout();
    await writeStdout('all up\n');
    expect(out.chunks).toEqual(['all up\n']);
  });

  it('does not wait forever on a stream that was closed', async () => {
    const out = slowStdout();
    (process.stdout as unknown as Writable).destroy();
    await expect(Promise.race([writeStdout('x'.repeat(200_000)).then(() => 'returned'), new Promise((r) => setTimeout(() => r('hung'), 2000))])).resolves.toBe('returned');
    expect(out.chunks.join('')).toBe('');
  });
});
