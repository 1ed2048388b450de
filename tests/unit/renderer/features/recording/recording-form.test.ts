// The session form's pure side: the startRecording request, what is remembered, consent, the
// engine's refusal tied to its field, and the panel's formats.
import { describe, expect, it } from 'vitest';
import { recordingOptionsSchema } from '../../../../../electron/common/contract/session.js';
import {
  DEFAULT_SESSION_FIELDS,
  bidsPreview,
  formatConsentTime,
  recordingRefusal,
  rememberedFields,
  restoreFields,
  shortHash,
  toRecordingOptions,
  withConsent,
  type SessionFields,
} from '../../../../../renderer/features/recording/recording-form.js';
import { EngineError, explainIssues, failureOf } from '../../../../../electron/common/contract/failure.js';

const filled: SessionFields = {
  ...DEFAULT_SESSION_FIELDS,
  subject: ' S01 ',
  session: '02',
  task: 'motor',
  run: '3',
  operator: 'AB',
  montage: '10-20 8ch',
  protocolId: 'ETH-2024-17',
  notes: ' calm ',
  format: 'edf',
  powerLineHz: 60,
  dataDir: ' /tmp/data ',
};

describe('session form → startRecording', () => {
  it('requires a subject code, and says so', () => {
    const check = toRecordingOptions(DEFAULT_SESSION_FIELDS);
    expect(check).toMatchObject({ ok: false, field: 'subject' });
    if (!check.ok) expect(check.error).toMatch(/never a name/);
  });

  it('sends the minimum: the engine fills the defaults', () => {
    const check = toRecordingOptions({ ...DEFAULT_SESSION_FIELDS, subject: 'S01' });
    expect(check).toEqual({ ok: true, options: { session: { subject: 'S01' }, format: 'bdf', powerLineHz: 50 } });
    if (check.ok) expect(recordingOptionsSchema.parse(check.options).session).toMatchObject({ subject: 'S01', session: '01', task: 'rest' });
  });

  it('trims every field and passes what the contract accepts', () => {
    const check = toRecordingOptions(withConsent(filled, true, new Date('2025-03-04T10:20:30Z')));
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.options).toEqual({
      session: { subject: 'S01', session: '02', task: 'motor', run: 3, operator: 'AB', montage: '10-20 8ch', protocolId: 'ETH-2024-17', consentObtained: true, consentTime: '2025-03-04T10:20:30.000Z', notes: 'calm' },
      format: 'edf',
      powerLineHz: 60,
      dataDir: '/tmp/data',
    });
    expect(recordingOptionsSchema.safeParse(check.options).success).toBe(true);
  });

  it('leaves the run to the engine when empty, refuses one that is not 1-99', () => {
    expect(toRecordingOptions({ ...filled, run: '' }).ok).toBe(true);
    for (const run of ['0', '100', 'x', '1.5', '-2']) expect(toRecordingOptions({ ...filled, run })).toMatchObject({ ok: false, field: 'run' });
  });

  it('leaves BIDS labels for the engine to judge', () => {
    const check = toRecordingOptions({ ...DEFAULT_SESSION_FIELDS, subject: 'Jane Doe' });
    expect(check.ok).toBe(true);
    if (check.ok) expect(recordingOptionsSchema.safeParse(check.options).success).toBe(false);
  });
});

describe('consent', () => {
  it('stamps the time when ticked and clears it when unticked', () => {
    const now = new Date('2025-01-02T03:04:05Z');
    const on = withConsent(DEFAULT_SESSION_FIELDS, true, now);
    expect(on).toMatchObject({ consentObtained: true, consentTime: '2025-01-02T03:04:05.000Z' });
    expect(withConsent(on, false, now)).toMatchObject({ consentObtained: false, consentTime: '' });
    expect(toRecordingOptions({ ...withConsent(on, false, now), subject: 'S1' })).toEqual({ ok: true, options: { session: { subject: 'S1' }, format: 'bdf', powerLineHz: 50 } });
  });

  it('shows the stamp as a time today, with the date otherwise', () => {
    const t = new Date(2025, 0, 2, 9, 5);
    expect(formatConsentTime(t.toISOString(), new Date(2025, 0, 2, 18, 0))).toBe('09:05');
    expect(formatConsentTime(t.toISOString(), new Date(2025, 0, 3, 8, 0))).toBe('2025-01-02 09:05');
    expect(formatConsentTime('', new Date())).toBe('');
  });
});

describe('remembered fields', () => {
  it('keeps the lab, never who, consent, the run or notes', () => {
    const kept = rememberedFields(withConsent(filled, true, new Date()));
    expect(kept).not.toHaveProperty('subject');
    expect(kept).not.toHaveProperty('consentObtained');
    expect(kept).not.toHaveProperty('run');
    expect(kept).not.toHaveProperty('notes');
    const back = restoreFields(JSON.stringify(kept));
    expect(back).toMatchObject({ subject: '', session: '02', task: 'motor', operator: 'AB', format: 'edf', powerLineHz: 60, dataDir: ' /tmp/data ', consentObtained: false });
  });

  it('falls back to the defaults on anything malformed', () => {
    expect(restoreFields(null)).toEqual(DEFAULT_SESSION_FIELDS);
    expect(restoreFields('{not json')).toEqual(DEFAULT_SESSION_FIELDS);
    expect(restoreFields('42')).toEqual(DEFAULT_SESSION_FIELDS);
    expect(restoreFields(JSON.stringify({ task: 7, format: 'wav', powerLineHz: 55, subject: 'S9' }))).toEqual(DEFAULT_SESSION_FIELDS);
  });
});

describe("the engine's refusal", () => {
  it('is a sentence tied to the field its structured issue names, whatever the wording', () => {
    const parsed = recordingOptionsSchema.safeParse({ session: { subject: 'Jane Doe' } });
    expect(parsed.success).toBe(false);
    const failure = failureOf(explainIssues('startRecording request', parsed.error!.issues));
    const refused = EngineError.fromFailure(failure);
    expect(recordingRefusal(refused)).toEqual({ text: 'The subject code must be letters and digits only (a BIDS label, e.g. 01 or S01)', field: 'subject' });
    // reworded by the engine: the field still comes from the issue's path
    const reworded = new EngineError('invalid-request', 'Recording refused.', [{ path: 'session.task', message: 'letters and digits only' }]);
    expect(recordingRefusal(reworded)).toEqual({ text: 'Letters and digits only', field: 'task' });
    expect(recordingRefusal(new EngineError('invalid-request', 'x', [{ path: 'dataDir', message: 'too short' }])).field).toBe('dataDir');
  });

  it('passes other refusals through as sentences', () => {
    expect(recordingRefusal(new EngineError('io', 'no permission to create /data/sub-S01: choose a folder you can write to'))).toEqual({ text: 'No permission to create /data/sub-S01: choose a folder you can write to', field: null });
    expect(recordingRefusal(new EngineError('state', 'already recording to /x.bdf')).field).toBeNull();
    expect(recordingRefusal(new Error('session.subject: not a field from an issue')).field).toBeNull();
  });
});

describe('panel formats', () => {
  it('previews the BIDS name', () => {
    expect(bidsPreview({ ...DEFAULT_SESSION_FIELDS, subject: 'S01' })).toBe('sub-S01_ses-01_task-rest_run-next_eeg.bdf');
    expect(bidsPreview(filled)).toBe('sub-S01_ses-02_task-motor_run-03_eeg.edf');
    expect(bidsPreview(DEFAULT_SESSION_FIELDS)).toBe('sub-…_ses-01_task-rest_run-next_eeg.bdf');
  });

  it('shortens hashes', () => {
    expect(shortHash('0123456789abcdef0123')).toBe('0123456789ab');
    expect(shortHash('')).toBe('—');
  });
});
