// One failure shape: schema issues become one sentence and a list of fields; whatever is thrown
// gets a kind; the kind decides the CLI's exit code.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { EngineError, exitCodeOf, explainIssues, failureOf, FAILURE_KINDS } from '../../../../electron/common/contract/failure.js';
import { parseCommand } from '../../../../electron/common/contract/commands.js';

describe('failures', () => {
  it('explains schema issues once: one sentence, each issue kept with its dotted field', () => {
    const schema = z.object({ session: z.object({ subject: z.string().min(2, 'too short') }), run: z.number().int() });
    const parsed = schema.safeParse({ session: { subject: 'x' }, run: 1.5 });
    expect(parsed.success).toBe(false);
    const error = explainIssues('recording options', parsed.error!.issues);
    expect(error).toBeInstanceOf(EngineError);
    expect(error.kind).toBe('invalid-request');
    expect(error.issues.map((i) => i.path)).toEqual(['session.subject', 'run']);
    expect(error.message).toMatch(/^invalid recording options: session\.subject: too short; run: /);
  });

  it('gives whatever is thrown a kind: engine errors keep theirs, system errors are io or not-found', () => {
    expect(failureOf(new EngineError('state', 'not recording'))).toEqual({ ok: false, kind: 'state', error: 'not recording', issues: [] });
    expect(failureOf(Object.assign(new Error('ENOSPC: no space'), { code: 'ENOSPC' })).kind).toBe('io');
    expect(failureOf(Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' })).kind).toBe('not-found');
    expect(failureOf(new Error('bug')).kind).toBe('internal');
    expect(failureOf('a string').error).toBe('a string');
  });

  it('maps kinds to exit codes: 2 only for a request that can never work', () => {
    expect(FAILURE_KINDS.map((k) => [k, exitCodeOf(k)])).toEqual([
      ['invalid-request', 2], ['not-found', 1], ['state', 1], ['device', 1], ['io', 1], ['unsupported', 1], ['internal', 1],
    ]);
  });

  it('round-trips a failure through a client', () => {
    const back = EngineError.fromFailure({ kind: 'invalid-request', error: 'invalid x: a: b', issues: [{ path: 'a', message: 'b' }] });
    expect([back.kind, back.message, back.issues]).toEqual(['invalid-request', 'invalid x: a: b', [{ path: 'a', message: 'b' }]]);
  });

  it('refuses a malformed command with the fields at fault', () => {
    const refused = parseCommand('setChannels', { changes: [{ channel: 0, gain: 7 }] });
    expect(refused.ok).toBe(false);
    if (refused.ok) return;
    expect(refused.kind).toBe('invalid-request');
    expect(refused.issues.map((i) => i.path)).toEqual(['changes.0.channel', 'changes.0.gain']);
    expect(parseCommand('nope', {})).toMatchObject({ ok: false, kind: 'invalid-request', error: 'unknown command "nope"' });
  });
});
