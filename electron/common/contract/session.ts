// The session form: what a lab operator fills in before recording. Stored with the recording
// (BIDS sidecars and a session file). Subject identity is a code, never a name.

import { z } from 'zod';
import { sessionModeSchema } from './ethics.js';

const bidsLabel = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9]{1,32}$/, `${what} must be letters and digits only (a BIDS label, e.g. 01 or S01)`);

export const sessionSchema = z
  .object({
    /** A pseudonymous code such as S01; never the person's name. */
    subject: bidsLabel('the subject code'),
    session: bidsLabel('the session').default('01'),
    task: bidsLabel('the task').default('rest'),
    run: z.number().int().min(1).max(99).optional(),
    operator: z.string().max(80).default(''),
    montage: z.string().max(200).default(''),
    /** Protocol or ethics approval id. */
    protocolId: z.string().max(80).default(''),
    consentObtained: z.boolean().default(false),
    /** When consent was obtained (ISO 8601). */
    consentTime: z.string().max(40).optional(),
    notes: z.string().max(4000).default(''),
  })
  .strict();

export type SessionForm = z.infer<typeof sessionSchema>;
export type SessionInput = z.input<typeof sessionSchema>;

export const recordingOptionsSchema = z
  .object({
    session: sessionSchema,
    /** What the session is for: the protocol must allow it (calibration and assistive sessions always need one). */
    mode: sessionModeSchema.default('recording'),
    format: z.enum(['bdf', 'edf']).default('bdf'),
    /** Mains frequency where the recording is made (BIDS PowerLineFrequency). */
    powerLineHz: z.union([z.literal(50), z.literal(60)]).default(50),
    /** An exact file path (never overwritten); default: BIDS-named inside the data folder. */
    path: z.string().min(1).max(4096).optional(),
    /** The data folder (default: the workstation's). */
    dataDir: z.string().min(1).max(4096).optional(),
  })
  .strict();

export type RecordingOptions = z.infer<typeof recordingOptionsSchema>;
export type RecordingOptionsInput = z.input<typeof recordingOptionsSchema>;
