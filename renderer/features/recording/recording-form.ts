// The session form's pure side: the fields as the operator types them (all text), what of them
// is remembered between sessions (never the subject, the run, consent or notes), the request
// `startRecording` gets, the consent stamp, the engine's refusal turned into a sentence tied to
// its field, and the small formats of the recording panel. No DOM; the engine validates again.

import type { RecordingOptionsInput } from '../../../electron/common/contract/session.js';
import { EngineError } from '../../../electron/common/contract/failure.js';
import { errorText } from '../../ui/format.js';

export type RecordingFormat = 'bdf' | 'edf';

export interface SessionFields {
  readonly subject: string;
  readonly session: string;
  readonly task: string;
  /** Empty: the next free run. */
  readonly run: string;
  readonly operator: string;
  readonly montage: string;
  readonly protocolId: string;
  readonly consentObtained: boolean;
  /** ISO 8601, stamped when consent is ticked; empty otherwise. */
  readonly consentTime: string;
  readonly notes: string;
  readonly format: RecordingFormat;
  readonly powerLineHz: 50 | 60;
  /** Empty: the workstation's data folder. */
  readonly dataDir: string;
}

export type SessionField = keyof SessionFields;

/** Where the panel remembers its form between sessions (localStorage). */
export const SESSION_FORM_KEY = 'bci.sessionForm';

export const DEFAULT_SESSION_FIELDS: SessionFields = Object.freeze({
  subject: '',
  session: '',
  task: '',
  run: '',
  operator: '',
  montage: '',
  protocolId: '',
  consentObtained: false,
  consentTime: '',
  notes: '',
  format: 'bdf',
  powerLineHz: 50,
  dataDir: '',
});

/** The fields kept for the next session (the same lab, protocol and montage): not who, not consent. */
const REMEMBERED = ['session', 'task', 'operator', 'montage', 'protocolId', 'format', 'powerLineHz', 'dataDir'] as const;

export function rememberedFields(fields: SessionFields): Partial<SessionFields> {
  const out: Record<string, unknown> = {};
  for (const k of REMEMBERED) out[k] = fields[k];
  return out as Partial<SessionFields>;
}

/** Stored JSON back to fields; anything malformed falls back to the defaults. */
export function restoreFields(raw: string | null): SessionFields {
  if (!raw) return DEFAULT_SESSION_FIELDS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return DEFAULT_SESSION_FIELDS;
  }
  if (!parsed || typeof parsed !== 'object') return DEFAULT_SESSION_FIELDS;
  const p = parsed as Record<string, unknown>;
  const text = (k: (typeof REMEMBERED)[number]) => (typeof p[k] === 'string' ? (p[k] as string).slice(0, 4096) : (DEFAULT_SESSION_FIELDS[k] as string));
  return {
    ...DEFAULT_SESSION_FIELDS,
    session: text('session'),
    task: text('task'),
    operator: text('operator'),
    montage: text('montage'),
    protocolId: text('protocolId'),
    dataDir: text('dataDir'),
    format: p.format === 'edf' ? 'edf' : 'bdf',
    powerLineHz: p.powerLineHz === 60 ? 60 : 50,
  };
}

/** Ticking consent stamps the time; unticking clears it. */
export function withConsent(fields: SessionFields, obtained: boolean, now: Date): SessionFields {
  return { ...fields, consentObtained: obtained, consentTime: obtained ? now.toISOString() : '' };
}

export type FormCheck = { readonly ok: true; readonly options: RecordingOptionsInput } | { readonly ok: false; readonly error: string; readonly field: SessionField };

/**
 * The `startRecording` request for the fields. Only what the engine cannot judge is checked here
 * (a missing subject, a run that is not a number); BIDS labels are the engine's to refuse.
 */
export function toRecordingOptions(fields: SessionFields): FormCheck {
  const subject = fields.subject.trim();
  if (subject === '') return { ok: false, error: 'Enter a subject code (such as S01, never a name) before recording.', field: 'subject' };
  const session: { -readonly [K in keyof RecordingOptionsInput['session']]: RecordingOptionsInput['session'][K] } = { subject };
  const session_ = fields.session.trim();
  if (session_ !== '') session.session = session_;
  const task = fields.task.trim();
  if (task !== '') session.task = task;
  const run = fields.run.trim();
  if (run !== '') {
    const n = Number(run);
    if (!/^\d{1,2}$/.test(run) || n < 1 || n > 99) return { ok: false, error: 'The run must be a whole number from 1 to 99, or empty for the next free run.', field: 'run' };
    session.run = n;
  }
  const operator = fields.operator.trim();
  if (operator !== '') session.operator = operator;
  const montage = fields.montage.trim();
  if (montage !== '') session.montage = montage;
  const protocolId = fields.protocolId.trim();
  if (protocolId !== '') session.protocolId = protocolId;
  if (fields.consentObtained) {
    session.consentObtained = true;
    if (fields.consentTime) session.consentTime = fields.consentTime;
  }
  const notes = fields.notes.trim();
  if (notes !== '') session.notes = notes;
  const options: { -readonly [K in keyof RecordingOptionsInput]: RecordingOptionsInput[K] } = { session, format: fields.format, powerLineHz: fields.powerLineHz };
  const dataDir = fields.dataDir.trim();
  if (dataDir !== '') options.dataDir = dataDir;
  return { ok: true, options };
}

const SESSION_KEYS: readonly SessionField[] = ['subject', 'session', 'task', 'run', 'operator', 'montage', 'protocolId', 'consentObtained', 'consentTime', 'notes'];

/** A refusal of the form, as the panel shows it: a sentence, and the field it is about when it names one. */
export interface RecordingRefusal {
  readonly text: string;
  readonly field: SessionField | null;
}

/** The form's field an issue's path names (`session.subject` → subject, `dataDir` → dataDir), if any. */
function fieldOf(path: string): SessionField | null {
  const [head, name] = path.split('.');
  if (head === 'session' && SESSION_KEYS.includes(name as SessionField)) return name as SessionField;
  if (head === 'dataDir' && name === undefined) return 'dataDir';
  return null;
}

const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * The engine's refusal for the form: the first issue that names a field of the form gives the field
 * and its own message; any other refusal passes through as a sentence. The field comes from the
 * failure's structured issues, never from its wording.
 */
export function recordingRefusal(error: unknown): RecordingRefusal {
  if (error instanceof EngineError) {
    for (const issue of error.issues) {
      const field = fieldOf(issue.path);
      if (field) return { text: sentence(issue.message), field };
    }
  }
  return { text: sentence(errorText(error).trim()), field: null };
}

/** The BIDS name the recording will get (the engine picks the next free run when none is given). */
export function bidsPreview(fields: SessionFields): string {
  const subject = fields.subject.trim() || '…';
  const session = fields.session.trim() || '01';
  const task = fields.task.trim() || 'rest';
  const run = fields.run.trim();
  const runText = run === '' ? 'next' : /^\d{1,2}$/.test(run) ? run.padStart(2, '0') : run;
  return `sub-${subject}_ses-${session}_task-${task}_run-${runText}_eeg.${fields.format}`;
}

/** The first 12 hex digits of a SHA-256 (the full one goes in a tooltip). */
export function shortHash(sha256: string): string {
  return sha256 ? sha256.slice(0, 12) : '—';
}

/** A consent stamp for the form: "14:03" today, or the date and time otherwise. */
export function formatConsentTime(iso: string, now: Date): string {
  const t = new Date(iso);
  if (!iso || Number.isNaN(t.getTime())) return '';
  const two = (n: number) => String(n).padStart(2, '0');
  const hm = `${two(t.getHours())}:${two(t.getMinutes())}`;
  const sameDay = t.getFullYear() === now.getFullYear() && t.getMonth() === now.getMonth() && t.getDate() === now.getDate();
  return sameDay ? hm : `${t.getFullYear()}-${two(t.getMonth() + 1)}-${two(t.getDate())} ${hm}`;
}

/**
 * The session a calibration records itself with, in session mode "calibration" (what its protocol
 * must allow; a protocol approved for recordings only is refused in the engine's sentence). The
 * session form as it stands (`live`: its subject code, protocol and consent) with the task
 * "calibration" and the next free run; when the form has no subject yet, the remembered lab fields
 * (session, operator, montage, protocol, format, mains, data folder) with the subject code CAL and
 * no consent, which a protocol refuses until the form names the subject and their consent.
 */
export function calibrationRecordingOptions(stored: string | null, live: RecordingOptionsInput | null = null): RecordingOptionsInput {
  if (live) {
    const { run: _run, ...session } = live.session;
    return { ...live, session: { ...session, task: 'calibration' }, mode: 'calibration' };
  }
  const f = restoreFields(stored);
  return {
    session: {
      subject: 'CAL',
      task: 'calibration',
      ...(/^[A-Za-z0-9]{1,32}$/.test(f.session) && { session: f.session }),
      operator: f.operator.slice(0, 80),
      montage: f.montage.slice(0, 200),
      protocolId: f.protocolId.slice(0, 80),
    },
    mode: 'calibration',
    format: f.format,
    powerLineHz: f.powerLineHz,
    ...(f.dataDir.trim() !== '' && { dataDir: f.dataDir.trim() }),
  };
}
