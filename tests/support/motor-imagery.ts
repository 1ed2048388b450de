// Motor-imagery data for the decoding tests: the synthetic board's 'mi' mode (left/right/rest cues
// as markers, ERD over C4/C3) recorded by `bci record` to a BDF+ file, and the training setup that
// every decoder is held to (≥ 90 % cross-validated on it).
import { join } from 'node:path';
import { bciSync } from './bci.js';
import { findDecoderModule, registeredDecoderKinds } from '../../electron/common/decoding/registry.js';
import type { PipelineInput } from '../../electron/common/contract/pipeline.js';

export const MI_CLASSES = ['left', 'right'] as const;
/** The epoch: 0.5 s after the cue (the ERD has ramped down) to its end at 4 s. */
export const MI_WINDOW = { startSec: 0.5, endSec: 4 } as const;
export const MI_FILTERS: PipelineInput = { reference: 'none', stages: [{ kind: 'bandpass', lowHz: 8, highHz: 30, order: 4 }] };
/** The same, as `bci train` flags. */
export const MI_TRAIN_FLAGS = ['--classes', MI_CLASSES.join(','), '--window', `${MI_WINDOW.startSec}-${MI_WINDOW.endSec}`, '--bandpass', '8-30'];

/** Records `durationSec` of the synthetic board in 'mi' mode (8 channels, 250 Hz, unpaced) to `dir/name`. */
export function recordMotorImagery(dir: string, name: string, durationSec: number, seed: number): string {
  const path = join(dir, name);
  bciSync(['record', '--board', 'synthetic', '--mode', 'mi', '--unpaced', '--seed', String(seed), '--duration', String(durationSec), '--subject', 'S01', '--out', path]);
  return path;
}

/**
 * One synthetic subject (a seed: its own per-channel gains and ERD depth) in two recordings: the
 * first `trainingSec` for training, the next `heldOutSec` held out (cut by `bci convert`).
 */
export function motorImagerySessions(dir: string, seed: number, trainingSec: number, heldOutSec: number): { training: string; heldOut: string; whole: string } {
  const whole = recordMotorImagery(dir, `mi-seed${seed}_eeg.bdf`, trainingSec + heldOutSec, seed);
  const training = join(dir, `train_eeg.bdf`);
  const heldOut = join(dir, `heldout_eeg.bdf`);
  bciSync(['convert', whole, training, '--end', String(trainingSec)]);
  bciSync(['convert', whole, heldOut, '--start', String(trainingSec)]);
  return { training, heldOut, whole };
}

/** Decoders that learn from labelled epochs (the ones motor imagery can train), in the registry's order. */
export function trainableKinds(): string[] {
  return registeredDecoderKinds().filter((k) => findDecoderModule(k)?.trainable);
}
