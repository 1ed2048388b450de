// Playback transport commands: the typed requests a board with a playback transport takes (pause,
// resume, seek, speed, loop), as one discriminated union with its schema. The transport's state
// (position, speed, events) is PlaybackState in status.ts.

import { z } from 'zod';
import { OPTION_SPECS } from '../boards/option-fields.js';

export const playbackCommandSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('pause') }),
  z.strictObject({ action: z.literal('resume') }),
  /** To this many seconds of the recording (past the end: the end). */
  z.strictObject({ action: z.literal('seek'), positionSec: z.number().min(0) }),
  /** 0.25-16 × real time, or max: as fast as the pipeline keeps up. */
  z.strictObject({ action: z.literal('speed'), speed: OPTION_SPECS.speed.schema }),
  /** Start again at the end. */
  z.strictObject({ action: z.literal('loop'), loop: z.boolean() }),
]);

export type PlaybackCommand = z.infer<typeof playbackCommandSchema>;
