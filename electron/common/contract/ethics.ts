// Ethics before trials: a protocol with its ethics approval (who approved it, until when, which
// session modes it allows, how long a session may last), the site settings (whether plain
// recordings need a protocol, the alert thresholds) and the record of one check. Protocols and
// settings live in the data folder (engine/safety); the checks run in the engine only
// (common/safety/ethics.ts); hosts show them.

import { z } from 'zod';

/** What a session does with the person: record, calibrate a decoder, or drive assistive output. */
export const SESSION_MODES = ['recording', 'calibration', 'assistive'] as const;
export type SessionMode = (typeof SESSION_MODES)[number];
export const sessionModeSchema = z.enum(SESSION_MODES);

const isoDate = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${what} must be a date as YYYY-MM-DD`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${what} is not a calendar date`);

export const protocolIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'a protocol id is letters, digits, dots, dashes or underscores (up to 64)');

export const protocolSchema = z
  .object({
    id: protocolIdSchema,
    title: z.string().min(1).max(300),
    committee: z.string().min(1).max(300),
    approvalNumber: z.string().min(1).max(120),
    validFrom: isoDate('valid-from'),
    validTo: isoDate('valid-to'),
    modes: z.array(sessionModeSchema).min(1).max(3),
    /** Longest session the approval allows (minutes); none: no limit. */
    maxSessionMinutes: z.number().positive().max(24 * 60).optional(),
    notes: z.string().max(4000).default(''),
    /** When it was retired (ISO 8601): a retired protocol approves nothing, and stays listed. */
    retiredAt: z.string().max(40).optional(),
    retiredReason: z.string().max(400).optional(),
  })
  .strict()
  .refine((p) => p.validFrom <= p.validTo, { message: 'valid-from must not be after valid-to', path: ['validTo'] });

export type Protocol = z.infer<typeof protocolSchema>;
export type ProtocolInput = z.input<typeof protocolSchema>;

/** Alert thresholds a site (or an operator, live) can adjust. */
export const alertRulesSchema = z
  .object({
    /** A used channel railed or flat for this long raises an alert (s). */
    railedFlatSec: z.number().min(0.5).max(600).default(2),
    /** Artefact bursts (peak-to-peak after the quality filter above artefactUv) in this many consecutive seconds. */
    sustainedArtefactSec: z.number().min(1).max(600).default(5),
    artefactUv: z.number().positive().max(100_000).default(150),
    /** Electrode impedance above this (kΩ) raises an alert when measured. */
    impedanceMaxKOhm: z.number().positive().max(100_000).default(50),
    /** Samples lost (device gaps and overflows) above this percentage of a 10 s window. */
    lossPercent: z.number().min(0).max(100).default(1),
    /** Free space in the data folder below this (MB) while recording. */
    diskMinMb: z.number().min(0).max(10_000_000).default(500),
    /** Warn this many minutes before the protocol's maximum session length. */
    protocolWarnMinutes: z.number().min(0).max(600).default(5),
    /** A reminder to check on the person after this many minutes (0: never). */
    fatigueMinutes: z.number().min(0).max(24 * 60).default(45),
  })
  .strict();

export type AlertRules = z.infer<typeof alertRulesSchema>;
export const DEFAULT_ALERT_RULES: AlertRules = alertRulesSchema.parse({});

export const siteSettingsSchema = z
  .object({
    /** Plain recordings need a protocol too (calibration and assistive sessions always do). */
    requireProtocol: z.boolean().default(false),
    alerts: alertRulesSchema.default(DEFAULT_ALERT_RULES),
  })
  .strict();

export type SiteSettings = z.infer<typeof siteSettingsSchema>;

/** One item of an ethics check. */
export interface EthicsCheckItem {
  readonly item: 'protocol' | 'approval' | 'mode' | 'consent';
  readonly ok: boolean;
  readonly detail: string;
}

/** The record of one check, kept in the session file, the recording's annotations and the data folder's ethics log. */
export interface EthicsCheck {
  /** ISO 8601. */
  readonly at: string;
  readonly mode: SessionMode;
  readonly subject: string;
  readonly protocolId: string;
  /** approved: under a valid protocol with consent; not-required: no protocol asked for and none needed (bench tests). */
  readonly outcome: 'approved' | 'not-required' | 'refused';
  readonly items: readonly EthicsCheckItem[];
  /** The sentence a refusal says (or the approval's one-line summary). */
  readonly sentence: string;
  /** The protocol's approval, when one was found. */
  readonly approval?: { readonly committee: string; readonly approvalNumber: string; readonly validTo: string; readonly maxSessionMinutes?: number };
}
