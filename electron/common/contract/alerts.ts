// Alerts: what the engine raises while a board streams (the rules and thresholds are AlertRules in
// contract/ethics.ts). Each must be acknowledged; both moments are logged with the recording.

import { z } from 'zod';

export const ALERT_RULES = ['link-lost', 'railed', 'flat', 'impedance', 'artefacts', 'loss-rate', 'disk', 'protocol-length', 'fatigue'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];

export interface Alert {
  /** Unique within an engine's life, counting from 1. */
  readonly id: number;
  readonly rule: AlertRule;
  /** warning: look now; critical: the data or the session is at risk. */
  readonly severity: 'warning' | 'critical';
  /** One sentence: what happened and what to do. */
  readonly message: string;
  /** The sample it refers to (the window's last sample for quality rules). */
  readonly sampleIndex: number;
  /** Host time it was raised (ISO 8601). */
  readonly raisedAt: string;
  /** The channel label, for per-channel rules. */
  readonly channel?: string;
  acknowledged: { readonly at: string; readonly by: string; readonly note: string } | null;
}

export const acknowledgeAlertSchema = z
  .object({
    id: z.number().int().positive(),
    /** Who acknowledged it (the operator). */
    by: z.string().max(80).default(''),
    note: z.string().max(400).default(''),
  })
  .strict();
