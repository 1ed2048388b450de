// LSL pieces one at a time, over the real liblsl in this process (traffic on this machine only):
// the library lookup order, the contract's parsing of --lsl and --lsl-stream, the LSL board's
// reading of a stream's channel description, and the outlets: switched on and off while a source
// streams, predictions published per class with the model's classes as channels, filtered rows
// stamped through the clock.
import { describe, expect, it } from 'vitest';
import { Emitter, type Disposable } from '../../../electron/common/disposable.js';
import { parseLslOutletList, parseLslStreamSelector } from '../../../electron/common/contract/lsl.js';
import { channelsFromXml } from '../../../electron/engine/lsl/lsl-board.js';
import { LslOutlets, boardIdentity, type OutletSource } from '../../../electron/engine/lsl/outlets.js';
import type { EngineEvents } from '../../../electron/engine/engine-events.js';
import { LSL_PREBUILT, keepLslOnThisMachine, uniqueName } from '../../support/lsl.js';
import { tempDir } from '../../support/tmp.js';
import { loadLsl, lslCandidates } from '../../../native/lsl.js';
import { Engine } from '../../../electron/engine/engine.js';
import { CommandHost } from '../../../electron/engine/command-host.js';
import type { BoardDescriptor } from '../../../electron/common/boards/descriptor.js';

keepLslOnThisMachine(tempDir('bci-lsl-unit-'));

describe('liblsl lookup', () => {
  it('takes LSL_LIB alone when set; otherwise system places, then pylsl, then the lsl.js prebuilt', () => {
    expect(lslCandidates({ LSL_LIB: '/opt/lsl/liblsl.so' })).toEqual(['/opt/lsl/liblsl.so']);
    const order = lslCandidates({});
    const system = order.findIndex((p) => p.startsWith('/usr/lib/liblsl'));
    const pylsl = order.findIndex((p) => p.includes('/pylsl/lib/'));
    const prebuilt = order.indexOf(LSL_PREBUILT);
    expect(system).toBe(0);
    expect(pylsl).toBeGreaterThan(system);
    expect(prebuilt).toBeGreaterThan(pylsl);
    expect(loadLsl().version).toBeGreaterThanOrEqual(110);
  });
});

describe('LSL in the contract', () => {
  it('reads --lsl lists and refuses unknown kinds in a sentence', () => {
    expect(parseLslOutletList('raw,markers')).toEqual({ ok: true, request: { raw: true, filtered: false, predictions: false, markers: true } });
    expect(parseLslOutletList('all')).toEqual({ ok: true, request: { raw: true, filtered: true, predictions: true, markers: true } });
    expect(parseLslOutletList('raw,video')).toEqual({ ok: false, error: '--lsl takes raw, filtered, predictions, markers or all (comma-separated), got "video"' });
    expect(parseLslOutletList(',')).toMatchObject({ ok: false });
  });

  it('resolves --lsl-stream by name, or by one of LSL\'s properties', () => {
    expect(parseLslStreamSelector('Cap 64')).toEqual({ prop: 'name', value: 'Cap 64' });
    expect(parseLslStreamSelector('type=EEG')).toEqual({ prop: 'type', value: 'EEG' });
    expect(parseLslStreamSelector('source_id=ab=c')).toEqual({ prop: 'source_id', value: 'ab=c' });
    expect(parseLslStreamSelector('colour=red')).toEqual({ prop: 'name', value: 'colour=red' });
  });

  it('makes a source_id stable for a board and its port or file', () => {
    expect(boardIdentity({ board: 'cyton', port: '/dev/ttyUSB0' })).toBe('cyton:/dev/ttyUSB0');
    expect(boardIdentity({ board: 'playback', file: '/data/a.bdf', speed: 2 })).toBe('playback:/data/a.bdf');
  });
});

describe('the LSL board reads the description', () => {
  it('takes labels, units and types from desc/channels; numbers what is missing', () => {
    const xml = `<?xml version="1.0"?><info><name>x</name><type>EEG</type><desc><channels>
      <channel><label>Fz</label><unit>microvolts</unit><type>EEG</type></channel>
      <channel><label>AccX</label><unit>g</unit><type>Accelerometer</type></channel>
      <channel><label>A&amp;B</label><unit>millivolts</unit></channel>
    </channels></desc></info>`;
    const channels = channelsFromXml(xml, 4, 'EEG');
    expect(channels.map((c) => [c.label, c.type, c.unit])).toEqual([
      ['Fz', 'eeg', 'uV'],
      ['AccX', 'accel', 'g'],
      ['A&B', 'eeg', 'mV'],
      ['ch4', 'eeg', 'uV'],
    ]);
    expect(channelsFromXml('<info><desc /></info>', 1, 'Gaze')[0]).toMatchObject({ label: 'ch1', type: 'aux', unit: 'counts' });
  });
});

class FakeEngine implements OutletSource {
  readonly emitters = { filtered: new Emitter<EngineEvents['filtered']>(), prediction: new Emitter<EngineEvents['prediction']>(), marker: new Emitter<EngineEvents['marker']>(), raw: new Emitter<EngineEvents['raw']>() };
  errors: string[] = [];
  on<K extends keyof EngineEvents>(event: K, listener: (value: EngineEvents[K]) => void): Disposable {
    return (this.emitters as unknown as Record<string, Emitter<EngineEvents[K]>>)[event].on(listener);
  }
  sampleTimeMs(sampleIndex: number): number {
    return 1_000_000 + sampleIndex * 4;
  }
  reportError(message: string): void {
    this.errors.push(message);
  }
}

const BOARD: BoardDescriptor = {
  id: 'synthetic',
  name: 'Test',
  sampleRateHz: 250,
  channels: [
    { label: 'C3', type: 'eeg', unit: 'uV', physicalMin: -1, physicalMax: 1 },
    { label: 'C4', type: 'eeg', unit: 'uV', physicalMin: -1, physicalMax: 1 },
  ],
};

async function pullUntil(inlet: unknown, channels: number, rows: number): Promise<{ data: Float64Array; stamps: Float64Array }> {
  const lsl = loadLsl();
  const data = new Float64Array(rows * channels);
  const stamps = new Float64Array(rows);
  const scratchData = new Float64Array(rows * channels);
  const scratchStamps = new Float64Array(rows);
  let got = 0;
  for (let tries = 0; got < rows && tries < 1000; tries++) {
    const n = lsl.pullChunk(inlet, scratchData.subarray(0, (rows - got) * channels), scratchStamps.subarray(0, rows - got), [0]);
    data.set(scratchData.subarray(0, n * channels), got * channels);
    stamps.set(scratchStamps.subarray(0, n), got);
    got += n;
    if (n === 0) await new Promise((r) => setTimeout(r, 10));
  }
  expect(got).toBe(rows);
  return { data, stamps };
}

describe('LSL outlets', () => {
  it('open and close while streaming; filtered rows and predictions arrive with their clock times', async () => {
    const lsl = loadLsl();
    const engine = new FakeEngine();
    const outlets = new LslOutlets(engine);
    const name = uniqueName('unit-out');
    outlets.set({ filtered: true, predictions: true, markers: true, name });
    outlets.attach(BOARD, 'synthetic:8:250');
    expect(outlets.state().outlets.map((o) => o.kind).sort()).toEqual(['filtered', 'markers']);

    const [filteredInfo] = await lsl.resolveHandles(5, { prop: 'name', value: `${name} (filtered)` });
    const filteredInlet = lsl.createInlet(filteredInfo);
    lsl.destroyInfo(filteredInfo);
    await lsl.openStream(filteredInlet, 5);
    const info = await lsl.fullInfo(filteredInlet, 5);
    expect(info.sourceId).toBe(`bci-workstation:synthetic:8:250:${name}:filtered`);
    expect(info.xml).toMatch(/<label>C3<\/label>[\s\S]*<label>C4<\/label>/);
    // an inlet's data feed takes a moment: push until it sees rows
    const chunk = (first: number) => ({ type: 'filtered' as const, firstSampleIndex: first, rowCount: 3, channelCount: 2, data: Float64Array.from([1, 2, 3, 4, 5, 6]), lostRows: 0, processingMs: 0, latencyMs: 0 });
    let pulled: Awaited<ReturnType<typeof pullUntil>> | undefined;
    for (let i = 0; !pulled && i < 50; i++) {
      engine.emitters.filtered.fire(chunk(100 + 3 * i));
      await new Promise((r) => setTimeout(r, 20));
      if (lsl.pullChunk(filteredInlet, new Float64Array(600), new Float64Array(300), [0]) > 0) {
        engine.emitters.filtered.fire(chunk(1000));
        pulled = await pullUntil(filteredInlet, 2, 3);
      }
    }
    expect(Array.from(pulled!.data)).toEqual([1, 2, 3, 4, 5, 6]);
    // stamps: the clock model's time of each sample (4 ms apart), on LSL's clock
    expect(pulled!.stamps[1] - pulled!.stamps[0]).toBeCloseTo(0.004, 6);
    expect(pulled!.stamps[2] - pulled!.stamps[1]).toBeCloseTo(0.004, 6);
    lsl.destroyInlet(filteredInlet);

    // predictions open with the first prediction: one channel per class
    const prediction = (first: number) => ({ firstSampleIndex: first, strideRows: 25, count: 2, classes: ['left', 'right'], probabilities: Float64Array.from([0.9, 0.1, 0.3, 0.7]), latencyMs: Float64Array.from([1, 1]), postedAtMs: performance.timeOrigin + performance.now() });
    engine.emitters.prediction.fire(prediction(0));
    const [predictionInfo] = await lsl.resolveHandles(5, { prop: 'name', value: `${name} predictions` });
    const predictionInlet = lsl.createInlet(predictionInfo);
    lsl.destroyInfo(predictionInfo);
    await lsl.openStream(predictionInlet, 5);
    const predictionFull = await lsl.fullInfo(predictionInlet, 5);
    expect(predictionFull.type).toBe('Predictions');
    expect(predictionFull.channelCount).toBe(2);
    expect(predictionFull.xml).toMatch(/<label>left<\/label>[\s\S]*<label>right<\/label>/);
    let got: Awaited<ReturnType<typeof pullUntil>> | undefined;
    for (let i = 0; !got && i < 50; i++) {
      engine.emitters.prediction.fire(prediction(50 * i));
      await new Promise((r) => setTimeout(r, 20));
      if (lsl.pullChunk(predictionInlet, new Float64Array(600), new Float64Array(300), [0]) > 0) {
        engine.emitters.prediction.fire(prediction(5000));
        got = await pullUntil(predictionInlet, 2, 2);
      }
    }
    expect(Array.from(got!.data)).toEqual([0.9, 0.1, 0.3, 0.7]);
    expect(got!.stamps[1] - got!.stamps[0]).toBeCloseTo(0.1, 6);
    lsl.destroyInlet(predictionInlet);

    // switched off while streaming: the outlet goes, the others stay
    outlets.set({ filtered: false });
    expect(outlets.state().outlets.map((o) => o.kind).sort()).toEqual(['markers', 'predictions']);
    outlets.detach();
    expect(outlets.state().outlets).toEqual([]);
    expect(engine.errors).toEqual([]);
  });
});

describe('LSL outlets switched from a client (the app\'s LSL panel)', () => {
  it('setLslOutlets turns outlets on and off while a board streams; a bad request is refused in a sentence', async () => {
    const engine = new Engine({ statusIntervalMs: 0 });
    const host = new CommandHost(engine);
    const sink = { sendEvent: () => {}, sendFrame: () => {} };
    host.attach(sink);
    const name = uniqueName('unit-app');
    try {
      expect(await host.handle(sink, 'connect', { board: 'synthetic', channelCount: 2, sampleRateHz: 250 })).toMatchObject({ ok: true });
      expect(await host.handle(sink, 'start', {})).toMatchObject({ ok: true });
      const on = await host.handle(sink, 'setLslOutlets', { raw: true, markers: true, name });
      expect(on).toMatchObject({ ok: true, result: { available: true, wanted: { raw: true, filtered: false, predictions: false, markers: true } } });
      const lsl = loadLsl();
      const found = await lsl.resolve(5, { prop: 'name', value: name });
      expect(found.map((s) => [s.type, s.channelCount, s.nominalRateHz])).toEqual([['EEG', 2, 250]]);
      // samples flow: the raw outlet counts what it pushed
      let pushed = 0;
      for (let i = 0; i < 250 && pushed <= 10; i++) {
        const state = (await host.handle(sink, 'setLslOutlets', {})) as { ok: true; result: { outlets: { kind: string; samplesPushed: number }[] } };
        pushed = state.result.outlets.find((o) => o.kind === 'raw')?.samplesPushed ?? 0;
        await new Promise((r) => setTimeout(r, 20));
      }
      expect(pushed).toBeGreaterThan(10);
      const off = await host.handle(sink, 'setLslOutlets', { raw: false });
      expect(off).toMatchObject({ ok: true, result: { wanted: { raw: false, markers: true } } });
      expect((off as { ok: true; result: { outlets: { kind: string }[] } }).result.outlets.map((o) => o.kind)).toEqual(['markers']);
      const refused = await host.handle(sink, 'setLslOutlets', { raw: 'yes' });
      expect(refused).toMatchObject({ ok: false, kind: 'invalid-request' });
    } finally {
      host.dispose();
      await engine.dispose();
    }
  });
});
