import { describe, expect, it } from 'vitest';
import { DEFAULT_FORM, requestOfForm } from '../../../../../renderer/features/assistive/setup.js';

describe('the assistive setup form', () => {
  it('makes a startAssist request from a preset, a UDP output and the session', () => {
    const r = requestOfForm({ ...DEFAULT_FORM, preset: 'needs', udp: '127.0.0.1:9000', subject: 'S01', operator: 'Dr A' });
    expect(r.ok && r.request).toMatchObject({
      scheme: 'direct',
      targets: [{ label: 'Help' }, { label: 'Water' }, { label: 'Pain' }, { label: 'Position' }, { label: 'Call' }],
      outputs: [{ kind: 'udp', host: '127.0.0.1', port: 9000, allowRemote: false }],
      session: { subject: 'S01', operator: 'Dr A' },
      record: {},
    });
  });

  it('carries the protocol and the consent with its time (the engine checks the session as assistive)', () => {
    const r = requestOfForm({ ...DEFAULT_FORM, subject: 'S01', protocolId: ' P1 ', consentObtained: true, consentTime: '2026-06-15T09:00:00.000Z' });
    expect(r.ok && r.request.session).toEqual({ subject: 'S01', operator: '', protocolId: 'P1', consentObtained: true, consentTime: '2026-06-15T09:00:00.000Z' });
    const none = requestOfForm({ ...DEFAULT_FORM, subject: 'S01' });
    expect(none.ok && none.request.session?.consentObtained).toBeUndefined();
  });

  it('marks a label ending in * critical, and says what is wrong in words', () => {
    const r = requestOfForm({ ...DEFAULT_FORM, preset: 'custom', customTargets: 'Yes, No, Pain*' });
    expect(r.ok && r.request.targets).toEqual([
      { label: 'Yes', critical: false },
      { label: 'No', critical: false },
      { label: 'Pain', critical: true },
    ]);
    expect(requestOfForm({ ...DEFAULT_FORM, udp: 'nine thousand' })).toMatchObject({ ok: false, error: expect.stringMatching(/HOST:PORT/) });
    expect(requestOfForm({ ...DEFAULT_FORM, udp: '10.1.1.1:9000' })).toMatchObject({ ok: false, error: expect.stringMatching(/not this machine/) });
    expect(requestOfForm({ ...DEFAULT_FORM, udp: '10.1.1.1:9000', allowRemote: true }).ok).toBe(true);
    expect(requestOfForm({ ...DEFAULT_FORM, thresholdProb: '2' })).toMatchObject({ ok: false, error: expect.stringMatching(/thresholdProb/) });
    expect(requestOfForm({ ...DEFAULT_FORM, preset: 'custom', customTargets: 'Solo' })).toMatchObject({ ok: false });
  });
});
