// The session's decision latency counts from the push of the window's last sample, including the
// predictions' hop from the pipeline worker to the engine's thread (it once started the clock on
// arrival there, so a slow hop went unmeasured). A fake engine: only the session is under test.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { AssistSession, type AssistEngine, type SelectionRecord } from '../../../../electron/engine/assistive/session.js';
import { syntheticDescriptor, SYNTHETIC_DEFAULTS } from '../../../../electron/common/boards/synthetic.js';
import type { DecoderInfo } from '../../../../electron/common/contract/decoding.js';
import type { PredictionEvent } from '../../../../electron/engine/engine-events.js';
import { startAssistSchema } from '../../../../electron/common/contract/assistive.js';
import { tempDir } from '../../../support/tmp.js';

const nowMs = () => performance.timeOrigin + performance.now();

describe('assistive session latency', () => {
  it('runs from the push of the window’s last sample, the worker-to-engine hop included', async () => {
    const descriptor = syntheticDescriptor(SYNTHETIC_DEFAULTS);
    const decoder: DecoderInfo = {
      kind: 'csp-lda',
      classes: ['left', 'right'],
      channels: descriptor.channels.map((c) => c.label),
      sampleRateHz: 250,
      window: { startSec: 0.5, endSec: 2.5 },
      windowRows: 500,
      stepSec: 0.1,
      stepRows: 25,
      smoothing: { kind: 'none' },
      annotate: false,
      path: null,
      sha256: 'ab'.repeat(32),
      cvAccuracy: null,
      trainedOn: [],
    };
    let predictionListener: ((p: PredictionEvent) => void) | undefined;
    const none = { dispose: () => undefined };
    const engine: AssistEngine = {
      descriptor,
      decoder,
      onPrediction: (l) => ((predictionListener = l), none),
      onGap: () => none,
      onRaw: () => none,
      onStatus: () => none,
      annotate: () => undefined,
      recordingPath: () => null,
      nextSampleIndex: () => 0,
      linkConnected: () => true,
      emitState: () => undefined,
      emitError: () => undefined,
    };
    const config = startAssistSchema.parse({ scheme: 'direct', targets: [{ label: 'Yes' }, { label: 'No' }], thresholdProb: 0.8, dwellSec: 0.2, refractorySec: 1, auditPath: join(tempDir(), 'audit.jsonl') });
    const session = await AssistSession.start(engine, config, { id: 'm', sha256: 'ab'.repeat(32) });
    const selections: SelectionRecord[] = [];
    session.onSelection((s) => selections.push(s));
    // predictions that left the worker 40 ms ago, each 5 ms after its window's last sample
    const count = 12;
    const postedAtMs = nowMs() - 40;
    predictionListener!({
      firstSampleIndex: 500,
      strideRows: 25,
      count,
      classes: decoder.classes,
      probabilities: Float64Array.from({ length: 2 * count }, (_, i) => (i % 2 === 0 ? 0.95 : 0.05)),
      latencyMs: new Float64Array(count).fill(5),
      postedAtMs,
    });
    session.end('test');
    expect(selections).toHaveLength(1);
    expect(selections[0].label).toBe('Yes');
    expect(selections[0].windowPushedAtMs).toBeCloseTo(postedAtMs - 5, 6);
    expect(selections[0].latencyMs).toBeGreaterThanOrEqual(45);
    expect(selections[0].latencyMs).toBeCloseTo(selections[0].sentAtMs - (postedAtMs - 5), 6);
  });
});
