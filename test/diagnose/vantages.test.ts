/** The vantages' verdict as a table: whose problem a failure is, by where it was seen from. */
import { describe, expect, it } from 'vitest';
import type { VantageResult } from '../../src/core/result.js';
import type { Status } from '../../src/core/status.js';
import { vantageVerdict } from '../../src/diagnose/vantages.js';

const v = (from: string, status: Status): VantageResult => ({ from, status, code: status === 'down' ? 'tcp.timeout' : status === 'unknown' ? 'vantage.unreachable' : null, reason: '', durationMs: 1 });
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

describe('a vantage that measured nothing is named for why', () => {
  it('one not asked is not one that did not answer, nor one that answered unknown', () => {
    const here: VantageResult = { from: 'here', status: 'down', code: 'tcp.timeout', reason: '', durationMs: 1 };
    const silent: VantageResult = { from: 'eu', status: 'unknown', code: 'vantage.unreachable', reason: 'eu did not answer: no answer within 21s', durationMs: 1 };
    const notAsked: VantageResult = { from: 'us', status: 'unknown', code: null, reason: 'not asked: the check sends credentials, which are never shared with another machine', durationMs: 0 };
    const unsure: VantageResult = { from: 'ap', status: 'unknown', code: 'local.resources', reason: 'too many open files', durationMs: 1 };
    expect(vantageVerdict([here, notAsked])).toBe('down here; no other vantage could tell (us not asked)');
    expect(vantageVerdict([here, silent, notAsked, unsure])).toBe('down here; no other vantage could tell (eu did not answer; us not asked; ap could not tell either)');
  });
});
