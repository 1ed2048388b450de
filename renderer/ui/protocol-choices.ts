// A data folder's protocols as two features show them (the Protocols panel lists them, the session
// form picks one): each protocol's state today (current, expired, not yet valid, retired), and the
// picker's choices with why a protocol cannot be used, in the very sentences the engine's ethics
// check refuses with (common/safety/ethics.ts runs here as a dry run). No DOM.

import type { Protocol, SessionMode } from '../../electron/common/contract/ethics.js';
import { checkEthics, isoDay } from '../../electron/common/safety/ethics.js';

export type ProtocolState = 'current' | 'expired' | 'not-yet-valid' | 'retired';

/** Where a protocol stands today (whole UTC days, `validTo` included, as the engine judges). */
export function protocolState(p: Protocol, nowMs: number): ProtocolState {
  if (p.retiredAt !== undefined) return 'retired';
  const today = isoDay(nowMs);
  if (today > p.validTo) return 'expired';
  if (today < p.validFrom) return 'not-yet-valid';
  return 'current';
}

/** The state in words for the list: "current", "expired 2020-01-01", "retired 2026-03-01: superseded", "valid from 2027-01-01". */
export function protocolStateText(p: Protocol, nowMs: number): string {
  switch (protocolState(p, nowMs)) {
    case 'retired':
      return `retired ${p.retiredAt!.slice(0, 10)}${p.retiredReason ? `: ${p.retiredReason}` : ''}`;
    case 'expired':
      return `expired ${p.validTo}`;
    case 'not-yet-valid':
      return `valid from ${p.validFrom}`;
    default:
      return 'current';
  }
}

/**
 * Why a session of this mode under this protocol would be refused today (the engine's sentence),
 * or null when the protocol allows it. Consent is the session's own business, so it is assumed here.
 */
export function protocolUseRefusal(p: Protocol, mode: SessionMode, nowMs: number): string | null {
  const check = checkEthics({ mode, subject: 'S', protocolId: p.id, protocol: p, consentObtained: true, requireProtocol: false, nowMs });
  return check.outcome === 'refused' ? check.sentence : null;
}

export interface ProtocolChoice {
  /** The protocol id ('' for none). */
  readonly value: string;
  readonly label: string;
  /** Cannot be chosen (retired, expired, not yet valid; none where the site requires a protocol). */
  readonly disabled: boolean;
}

/** The modes as a short list: "recording, calibration". */
export const modesText = (modes: readonly SessionMode[]): string => modes.join(', ');

/**
 * The session form's protocol picker: none (unless the site requires a protocol), then the
 * current protocols, then those that can no longer be used (disabled, saying why); a protocol the
 * form remembered that this data folder does not have is kept, disabled, so it is not silently
 * changed.
 */
export function protocolChoices(protocols: readonly Protocol[], selected: string, requireProtocol: boolean, nowMs: number): ProtocolChoice[] {
  const choices: ProtocolChoice[] = [{ value: '', label: requireProtocol ? 'none (this site requires a protocol)' : 'none (plain recordings only)', disabled: requireProtocol }];
  const usable = protocols.filter((p) => protocolState(p, nowMs) === 'current');
  const unusable = protocols.filter((p) => protocolState(p, nowMs) !== 'current');
  for (const p of usable) choices.push({ value: p.id, label: `${p.id}: ${p.title} (${modesText(p.modes)})`, disabled: false });
  for (const p of unusable) choices.push({ value: p.id, label: `${p.id}: ${p.title} (${protocolStateText(p, nowMs)})`, disabled: true });
  const id = selected.trim();
  if (id !== '' && !protocols.some((p) => p.id === id)) choices.push({ value: id, label: `${id} (not in this data folder)`, disabled: true });
  return choices;
}

/** The modes the session form starts: plain recordings (Record) and calibrations (the Decoding panel). */
const FORM_MODES: readonly SessionMode[] = ['recording', 'calibration'];

/**
 * What the picker says under the chosen protocol: each of the form's modes it would be refused
 * for, in the engine's sentence (the protocol is missing, retired, expired, or does not allow it).
 */
export function protocolWarnings(protocols: readonly Protocol[], selected: string, nowMs: number): string[] {
  const id = selected.trim();
  if (id === '') return [];
  const p = protocols.find((q) => q.id === id);
  if (!p) return [`protocol ${id} does not exist in this data folder: add it in the Protocols panel or choose another`];
  const refusals = FORM_MODES.map((mode) => protocolUseRefusal(p, mode, nowMs)).filter((s): s is string => s !== null);
  // retired or expired: one sentence says it for every mode
  return [...new Set(refusals)];
}
