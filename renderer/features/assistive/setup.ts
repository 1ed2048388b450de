// The assistive setup form as plain data: its fields, their defaults, and the startAssist request
// they make (validated by the contract's schema before it is sent).

import { TARGET_PRESETS, startAssistSchema, type StartAssistRequest } from '../../../electron/common/contract/assistive.js';

export interface AssistForm {
  preset: string;
  customTargets: string;
  scheme: 'direct' | 'scanning' | 'ssvep';
  thresholdProb: string;
  dwellSec: string;
  refractorySec: string;
  udp: string;
  allowRemote: boolean;
  subject: string;
  operator: string;
  protocolId: string;
  /** The subject's consent for this session (the protocol must allow assistive use). */
  consentObtained: boolean;
  /** ISO 8601, stamped when consent is ticked. */
  consentTime: string;
  ssvepHz: string;
}

export const DEFAULT_FORM: AssistForm = {
  preset: 'yes-no',
  customTargets: '',
  scheme: 'direct',
  thresholdProb: '0.8',
  dwellSec: '1',
  refractorySec: '2',
  udp: '',
  allowRemote: false,
  subject: '',
  operator: '',
  protocolId: '',
  consentObtained: false,
  consentTime: '',
  ssvepHz: '10, 12, 15, 20',
};

/** The request the form stands for, or the first problem in words. */
export function requestOfForm(f: AssistForm): { ok: true; request: StartAssistRequest } | { ok: false; error: string } {
  const labels = f.preset === 'custom' ? f.customTargets.split(',').map((t) => t.trim()).filter(Boolean) : [...(TARGET_PRESETS[f.preset] ?? [])];
  const outputs: StartAssistRequest['outputs'] = [];
  if (f.udp.trim()) {
    const m = /^\[?([^\]]*?)\]?:(\d{1,5})$/.exec(f.udp.trim());
    if (!m) return { ok: false, error: 'The UDP output is HOST:PORT, for example 127.0.0.1:9000.' };
    outputs.push({ kind: 'udp', host: m[1] || '127.0.0.1', port: Number(m[2]), allowRemote: f.allowRemote });
  }
  const targets = labels.map((l) => ({ label: l.replace(/\*$/, '').trim(), critical: l.endsWith('*') }));
  const request: StartAssistRequest = {
    scheme: f.scheme,
    targets,
    thresholdProb: Number(f.thresholdProb),
    dwellSec: Number(f.dwellSec),
    refractorySec: Number(f.refractorySec),
    outputs,
    session: { ...(f.subject.trim() && { subject: f.subject.trim() }), operator: f.operator, protocolId: f.protocolId.trim(), ...(f.consentObtained && { consentObtained: true, ...(f.consentTime && { consentTime: f.consentTime }) }) },
    record: {},
    ...(f.scheme === 'ssvep' && { ssvep: { frequenciesHz: f.ssvepHz.split(',').map((x) => Number(x.trim())).slice(0, targets.length) } }),
  };
  const parsed = startAssistSchema.safeParse(request);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, error: `${issue.path.join('.') || 'settings'}: ${issue.message}` };
  }
  return { ok: true, request };
}
