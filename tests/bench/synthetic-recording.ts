// Benches that need training data record the synthetic board's motor imagery, unpaced, to a file.

import { Engine } from '../../electron/engine/engine.js';

/** Records `seconds` of unpaced synthetic motor imagery (any shape the board takes) to `path`. */
export async function recordSyntheticMi(path: string, seconds: number, board: { seed?: number; channelCount?: number; sampleRateHz?: number } = {}): Promise<void> {
  const recorder = new Engine();
  try {
    await recorder.connect({ board: 'synthetic', mode: 'mi', ...board, paced: false, durationSec: seconds });
    await recorder.startRecording({ session: { subject: 'BENCH' }, path });
    await recorder.start();
    await recorder.ended();
    await recorder.stop();
    await recorder.stopRecording();
  } finally {
    await recorder.dispose();
  }
}
