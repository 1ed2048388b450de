// The ethics check before a session: is there an approved protocol that is current, allows this
// mode, and is consent recorded for the subject? Pure (the engine supplies the protocol, the site
// setting and today's date); the engine runs it before any recording, calibration or assistive use
// and refuses with the check's sentence. Every check is recorded, approved or not.

import type { EthicsCheck, EthicsCheckItem, Protocol, SessionMode } from '../contract/ethics.js';

export interface EthicsCheckInput {
  readonly mode: SessionMode;
  readonly subject: string;
  /** '' when the session names none. */
  readonly protocolId: string;
  /** The protocol of that id in the data folder, if it exists. */
  readonly protocol: Protocol | undefined;
  readonly consentObtained: boolean;
  readonly consentTime?: string | undefined;
  /** The site's requireProtocol setting (plain recordings need a protocol). */
  readonly requireProtocol: boolean;
  /** Now (ms since the epoch). */
  readonly nowMs: number;
}

/** The date of a moment as YYYY-MM-DD (UTC), how approvals are dated. */
export function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

const listModes = (modes: readonly string[]): string => (modes.length === 1 ? modes[0] : `${modes.slice(0, -1).join(', ')} and ${modes[modes.length - 1]}`);

/** Runs the check; `outcome` says whether the session may start, `sentence` why not. */
export function checkEthics(input: EthicsCheckInput): EthicsCheck {
  const { mode, subject, protocolId, protocol, nowMs } = input;
  const at = new Date(nowMs).toISOString();
  const base = { at, mode, subject, protocolId };
  const items: EthicsCheckItem[] = [];
  const refuse = (sentence: string): EthicsCheck => ({ ...base, outcome: 'refused', items, sentence });

  if (protocolId === '') {
    const needed = mode !== 'recording' || input.requireProtocol;
    if (!needed) {
      items.push({ item: 'protocol', ok: true, detail: 'no protocol named; this site does not require one for plain recordings' });
      return { ...base, outcome: 'not-required', items, sentence: 'no protocol named (not required for recordings at this site)' };
    }
    const why = mode === 'recording' ? 'this site requires an approved protocol for every recording' : `${mode === 'assistive' ? 'an' : 'a'} ${mode} session needs an approved protocol`;
    items.push({ item: 'protocol', ok: false, detail: 'no protocol named' });
    return refuse(`${why}: name the protocol in the session (\`bci protocol list\` shows the approved ones)`);
  }
  if (!protocol) {
    items.push({ item: 'protocol', ok: false, detail: `protocol ${protocolId} not found` });
    return refuse(`protocol ${protocolId} does not exist in this data folder: add it with \`bci protocol add\` or name an approved one`);
  }
  items.push({ item: 'protocol', ok: true, detail: `${protocol.id}: ${protocol.title}` });
  const approval = { committee: protocol.committee, approvalNumber: protocol.approvalNumber, validTo: protocol.validTo, ...(protocol.maxSessionMinutes !== undefined && { maxSessionMinutes: protocol.maxSessionMinutes }) };
  const refuseWith = (sentence: string): EthicsCheck => ({ ...refuse(sentence), approval });

  const today = isoDay(nowMs);
  if (protocol.retiredAt !== undefined) {
    items.push({ item: 'approval', ok: false, detail: `retired ${protocol.retiredAt}` });
    return refuseWith(`protocol ${protocol.id} was retired on ${protocol.retiredAt.slice(0, 10)}${protocol.retiredReason ? ` (${protocol.retiredReason})` : ''}: name a current protocol`);
  }
  if (today > protocol.validTo) {
    items.push({ item: 'approval', ok: false, detail: `expired ${protocol.validTo}` });
    return refuseWith(`protocol ${protocol.id}'s approval expired on ${protocol.validTo}: renew it with the committee (${protocol.committee}) and add the new approval`);
  }
  if (today < protocol.validFrom) {
    items.push({ item: 'approval', ok: false, detail: `valid from ${protocol.validFrom}` });
    return refuseWith(`protocol ${protocol.id}'s approval is valid only from ${protocol.validFrom}`);
  }
  items.push({ item: 'approval', ok: true, detail: `${protocol.committee} ${protocol.approvalNumber}, valid ${protocol.validFrom} to ${protocol.validTo}` });
  if (!protocol.modes.includes(mode)) {
    items.push({ item: 'mode', ok: false, detail: `${mode} not allowed` });
    return refuseWith(`protocol ${protocol.id} does not allow ${mode} sessions (it allows ${listModes(protocol.modes)})`);
  }
  items.push({ item: 'mode', ok: true, detail: `${mode} allowed` });
  if (!input.consentObtained) {
    items.push({ item: 'consent', ok: false, detail: 'not recorded' });
    return refuseWith(`no consent is recorded for subject ${subject} under protocol ${protocol.id}: record the subject's consent before starting`);
  }
  if (input.consentTime !== undefined && input.consentTime !== '') {
    const consentMs = Date.parse(input.consentTime);
    if (Number.isNaN(consentMs)) {
      items.push({ item: 'consent', ok: false, detail: `unreadable time ${input.consentTime}` });
      return refuseWith(`the consent time "${input.consentTime}" for subject ${subject} is not a date and time (ISO 8601, e.g. 2026-03-01T09:30)`);
    }
    if (consentMs > nowMs + 60_000) {
      items.push({ item: 'consent', ok: false, detail: `in the future ${input.consentTime}` });
      return refuseWith(`the consent time ${input.consentTime} for subject ${subject} is in the future: correct it`);
    }
  }
  items.push({ item: 'consent', ok: true, detail: `subject ${subject}${input.consentTime ? `, ${input.consentTime}` : ''}` });
  return {
    ...base,
    outcome: 'approved',
    items,
    approval,
    sentence: `approved under protocol ${protocol.id} (${protocol.committee} ${protocol.approvalNumber}, valid to ${protocol.validTo}), consent recorded for ${subject}`,
  };
}
