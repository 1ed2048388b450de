// The Protocols panel's pure side: the add form's fields (all text, as typed) turned into the
// addProtocol request, with the contract's own schema checking it field by field before it goes
// (the engine checks again), and the engine's refusal (an id that exists…) tied to its field. Each
// protocol's state and the session form's picker are in ui/protocol-choices.ts (two features use
// them). No DOM.

import { protocolSchema, SESSION_MODES, type ProtocolInput, type SessionMode } from '../../../electron/common/contract/ethics.js';
import { EngineError } from '../../../electron/common/contract/failure.js';
import { errorText } from '../../ui/format.js';

export interface ProtocolFields {
  readonly id: string;
  readonly title: string;
  readonly committee: string;
  readonly approvalNumber: string;
  /** YYYY-MM-DD (a date input's value). */
  readonly validFrom: string;
  readonly validTo: string;
  readonly modes: Readonly<Record<SessionMode, boolean>>;
  /** Empty: no limit. */
  readonly maxMinutes: string;
  readonly notes: string;
}

export type ProtocolField = keyof ProtocolFields;

export const EMPTY_PROTOCOL_FIELDS: ProtocolFields = Object.freeze({
  id: '',
  title: '',
  committee: '',
  approvalNumber: '',
  validFrom: '',
  validTo: '',
  modes: Object.freeze({ recording: true, calibration: false, assistive: false }),
  maxMinutes: '',
  notes: '',
});

/** What each field is called in a sentence. */
const FIELD_NAMES: Record<ProtocolField, string> = {
  id: 'the protocol id',
  title: 'the title',
  committee: 'the ethics committee',
  approvalNumber: 'the approval number',
  validFrom: 'the first day of the approval (valid from)',
  validTo: 'the last day of the approval (valid to)',
  modes: 'the modes',
  maxMinutes: 'the maximum session length',
  notes: 'the notes',
};

/** The request's key → the form's field (maxSessionMinutes is typed as maxMinutes). */
function fieldOfKey(key: string | undefined): ProtocolField | null {
  if (key === 'maxSessionMinutes') return 'maxMinutes';
  if (key !== undefined && key in FIELD_NAMES) return key as ProtocolField;
  return null;
}

const sentence = (text: string): string => {
  const t = text.trim();
  const s = t.charAt(0).toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
};

/** A schema issue as a sentence for its field: the schema's own words where it has them, else what to do. */
function issueSentence(field: ProtocolField, code: string, message: string): string {
  if (field === 'modes') return 'Tick at least one mode the approval allows.';
  if (field === 'maxMinutes') return 'The maximum session length is minutes from 1 to 1440, or empty for no limit.';
  // the schema's custom messages are sentences already (id characters, dates, order of the dates)
  if (code === 'custom' || code === 'invalid_format') return sentence(message);
  if (code === 'too_small') return `Enter ${FIELD_NAMES[field]}.`;
  if (code === 'too_big') return `${sentence(FIELD_NAMES[field]).slice(0, -1)} is too long.`;
  return sentence(`${FIELD_NAMES[field]}: ${message}`);
}

export type ProtocolErrors = Partial<Record<ProtocolField, string>>;
export type ProtocolFormCheck = { readonly ok: true; readonly protocol: ProtocolInput } | { readonly ok: false; readonly errors: ProtocolErrors };

/** The addProtocol request for the fields, or a sentence per field at fault (the first issue of each). */
export function toProtocolInput(fields: ProtocolFields): ProtocolFormCheck {
  const errors: ProtocolErrors = {};
  const maxText = fields.maxMinutes.trim();
  let maxSessionMinutes: number | undefined;
  if (maxText !== '') {
    const n = Number(maxText);
    if (!Number.isFinite(n) || n <= 0 || n > 24 * 60) errors.maxMinutes = issueSentence('maxMinutes', '', '');
    else maxSessionMinutes = n;
  }
  const input: ProtocolInput = {
    id: fields.id.trim(),
    title: fields.title.trim(),
    committee: fields.committee.trim(),
    approvalNumber: fields.approvalNumber.trim(),
    validFrom: fields.validFrom.trim(),
    validTo: fields.validTo.trim(),
    modes: SESSION_MODES.filter((m) => fields.modes[m]),
    ...(maxSessionMinutes !== undefined && { maxSessionMinutes }),
    notes: fields.notes.trim(),
  };
  const parsed = protocolSchema.safeParse(input);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = fieldOfKey(typeof issue.path[0] === 'string' ? issue.path[0] : undefined);
      if (field && errors[field] === undefined) errors[field] = issueSentence(field, issue.code, issue.message);
    }
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, protocol: input };
}

/**
 * The engine's refusal of addProtocol, for the form: each issue that names a field (`protocol.id`,
 * or `id` from the store) gives that field its sentence; anything else is one sentence for the form.
 */
export function protocolRefusal(error: unknown): { readonly errors: ProtocolErrors; readonly text: string | null } {
  const errors: ProtocolErrors = {};
  if (error instanceof EngineError) {
    for (const issue of error.issues) {
      const parts = issue.path.split('.');
      const field = fieldOfKey(parts[0] === 'protocol' ? parts[1] : parts[0]);
      if (field && errors[field] === undefined) errors[field] = field === 'id' && issue.message === 'already exists' ? sentence(error.message) : issueSentence(field, 'custom', issue.message);
    }
  }
  return Object.keys(errors).length > 0 ? { errors, text: null } : { errors, text: sentence(errorText(error)) };
}

