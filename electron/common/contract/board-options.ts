// What a user asks of a board when connecting: one schema for the CLI, the renderer and the network.

import { z } from 'zod';

export const boardOptionsSchema = z.object({
  /** Board id from the registry (`bci boards`). */
  board: z.string().min(1),
  channelCount: z.number().int().min(1).max(64).optional(),
  sampleRateHz: z.number().int().min(100).max(1000).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  /** Synthetic: plain resting EEG, or a motor-imagery cue schedule. */
  mode: z.enum(['rest', 'mi']).optional(),
  mainsHz: z.union([z.literal(50), z.literal(60)]).optional(),
  /** Software sources: paced by the host clock (default) or as fast as the readers keep up. */
  paced: z.boolean().optional(),
  /** Software sources: stop by themselves after this many seconds of data. */
  durationSec: z.number().positive().optional(),
  /** Serial boards (Cyton): the port path, or auto for the one OpenBCI dongle present. */
  port: z.string().min(1).max(4096).optional(),
  /** Playback: the recording to play (a path on the engine's machine). */
  file: z.string().min(1).max(4096).optional(),
  /** Playback: 0.25-16 (×) or max. */
  speed: z.union([z.number().min(0.25).max(16), z.literal('max')]).optional(),
  /** Playback: start again at the end. */
  loop: z.boolean().optional(),
  /** Playback: where to start, in seconds of the recording. */
  startSec: z.number().min(0).optional(),
  /** Playback of a BrainFlow CSV: its board layout. */
  layout: z.enum(['cyton', 'cyton-daisy', 'ganglion']).optional(),
});

export type BoardOptions = z.infer<typeof boardOptionsSchema>;

export interface BoardInfo {
  readonly id: string;
  readonly name: string;
  readonly summary: string;
}
