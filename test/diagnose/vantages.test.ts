/** The vantages' verdict as a table: whose problem a failure is, by where it was seen from. */
import { describe, expect, it } from 'vitest';
import type { VantageResult } from '../../src/core/result.js';
import type { Status } from '../../src/core/status.js';
import { vantageVerdict } from '../../src/diagnose/vantages.js';

const v = (from: string, status: Status): VantageResult => ({ from, status, code: status === 'down' ? 'tcp.timeout' : null, reason: '', durationMs: 1 });
const seen = (...statuses: [string, Status][]) => vantageVerdict(statuses.map(([from, status]) => v(from, status)));

describe('vantageVerdict', () => {
  it.each([
    [[['here', 'up'], ['eu', 'up']], undefined],
    [[['here', 'down']], undefined],
    [[['here', 'down'], ['eu', 'down'], ['us', 'down']], 'down everywhere (here and eu, us): their outage'],
    [[['here', 'down'], ['eu', 'up'], ['us', 'up']], 'down only here, up from eu, us: your path or network'],
    [[['here', 'up'], ['eu', 'down'], ['us', 'up']], "down only from eu, up here and from us: eu's path"],
    [[['here', 'up'], ['eu', 'down']], "down only from eu, up here: eu's path"],
    [[['here', 'degraded'], ['eu', 'down']], "down only from eu, up here: eu's path"],
    [[['here', 'up'], ['eu', 'down'], ['us', 'down']], 'down from 2 of 3 vantages (eu, us)'],
    [[['here', 'down'], ['eu', 'down'], ['us', 'up']], 'down from 2 of 3 vantages (here, eu)'],
    // A vantage that did not answer says nothing.
    [[['here', 'down'], ['eu', 'unknown'], ['us', 'up']], 'down only here, up from us: your path or network'],
    [[['here', 'down'], ['eu', 'unknown']], 'down here; no other vantage could tell (eu did not answer)'],
    [[['here', 'up'], ['eu', 'unknown']], undefined],
    // Here unknown (a local network problem): the others decide alone.
    [[['here', 'unknown'], ['eu', 'down'], ['us', 'down']], 'down from 2 of 2 vantages (eu, us)'],
  ] as [[string, Status][], string | undefined][])('%j → %s', (statuses, verdict) => {
    expect(seen(...statuses)).toBe(verdict);
  });
});
