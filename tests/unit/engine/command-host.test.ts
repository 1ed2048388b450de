// The command host's addMarker with a client's own time stamp: a paradigm stamps its cue at the
// animation frame that drew it (performance.timeOrigin + performance.now(), the same clock in every
// process) and the engine maps that moment to a sample index through the clock model. A time that
// is not finite or lies more than 10 minutes from the engine's clock is refused with a sentence.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Engine } from '../../../electron/engine/engine.js';
import { CommandHost, type ClientSink } from '../../../electron/engine/command-host.js';
import type { EngineEvent, MarkerInfo } from '../../../electron/common/contract/commands.js';
import type { CommandOutcome } from '../../../electron/common/contract/commands.js';

const RATE_HZ = 1000;
const nowMs = (): number => performance.timeOrigin + performance.now();

let engine: Engine;
let host: CommandHost;
let sink: ClientSink;
let events: EngineEvent[];

beforeEach(() => {
  engine = new Engine({ statusIntervalMs: 0 });
  host = new CommandHost(engine);
  events = [];
  sink = { sendEvent: (e) => events.push(e), sendFrame: () => {} };
  host.attach(sink);
});

afterEach(async () => {
  host.dispose();
  await engine.dispose();
});

function markerOf(outcome: CommandOutcome): MarkerInfo {
  if (!outcome.ok) throw new Error(outcome.error);
  return outcome.result as MarkerInfo;
}

describe('addMarker stamped by the client (CommandHost)', () => {
  it('maps a marker stamped 200 ms in the past to ~200 ms × rate samples earlier', async () => {
    expect(await host.handle(sink, 'connect', { board: 'synthetic', channelCount: 2, sampleRateHz: RATE_HZ })).toMatchObject({ ok: true });
    expect(await host.handle(sink, 'start', {})).toMatchObject({ ok: true });
    await new Promise((r) => setTimeout(r, 600));
    const t = nowMs();
    const atT = markerOf(await host.handle(sink, 'addMarker', { label: 'now', hostTimeMs: t }));
    const earlier = markerOf(await host.handle(sink, 'addMarker', { label: 'left', hostTimeMs: t - 200 }));
    const onArrival = markerOf(await host.handle(sink, 'addMarker', { label: 'arrival' }));
    await host.handle(sink, 'stop', {});

    // the same clock model maps both: the difference is the rate times the time difference
    expect(atT.sampleIndex - earlier.sampleIndex).toBeGreaterThanOrEqual(200 - 3);
    expect(atT.sampleIndex - earlier.sampleIndex).toBeLessThanOrEqual(200 + 3);
    expect(earlier).toMatchObject({ label: 'left', source: 'user' });
    // without a stamp the engine takes its own now (at or after t)
    expect(onArrival.sampleIndex).toBeGreaterThanOrEqual(atT.sampleIndex);
    expect(onArrival.sampleIndex - atT.sampleIndex).toBeLessThan(50);
    // every client hears of the marker with the sample index the stamp mapped to
    const heard = events.flatMap((e) => (e.type === 'marker' ? [e.marker] : []));
    expect(heard).toEqual([atT, earlier, onArrival]);
  });

  it('refuses a time that is not finite, not a number, or more than 10 minutes off, saying so', async () => {
    await host.handle(sink, 'connect', { board: 'synthetic', channelCount: 2, sampleRateHz: RATE_HZ });
    await host.handle(sink, 'start', {});
    await new Promise((r) => setTimeout(r, 100));

    const farPast = await host.handle(sink, 'addMarker', { label: 'left', hostTimeMs: nowMs() - 11 * 60_000 });
    expect(farPast).toMatchObject({ ok: false, kind: 'invalid-request', error: expect.stringMatching(/11\.0 min before the engine's clock.*performance\.timeOrigin \+ performance\.now\(\)/) });
    expect(!farPast.ok && farPast.issues.map((i) => i.path)).toEqual(['hostTimeMs']);

    const farFuture = await host.handle(sink, 'addMarker', { label: 'left', hostTimeMs: nowMs() + 20 * 60_000 });
    expect(farFuture).toMatchObject({ ok: false, kind: 'invalid-request', error: expect.stringMatching(/after the engine's clock/) });

    // a performance.now() without the time origin is not this clock either
    expect(await host.handle(sink, 'addMarker', { label: 'left', hostTimeMs: performance.now() })).toMatchObject({ ok: false, kind: 'invalid-request' });

    for (const bad of [Number.POSITIVE_INFINITY, Number.NaN, '12345', null]) {
      const outcome = await host.handle(sink, 'addMarker', { label: 'left', hostTimeMs: bad });
      expect(outcome).toMatchObject({ ok: false, kind: 'invalid-request' });
      expect(!outcome.ok && outcome.issues.map((i) => i.path)).toEqual(['hostTimeMs']);
    }

    // within the tolerance it is taken (9 minutes ago maps to sample 0: before the acquisition)
    expect(markerOf(await host.handle(sink, 'addMarker', { label: 'old', hostTimeMs: nowMs() - 9 * 60_000 })).sampleIndex).toBe(0);
    await host.handle(sink, 'stop', {});
    expect(events.filter((e) => e.type === 'marker').map((e) => (e.type === 'marker' ? e.marker.label : ''))).toEqual(['old']);
  });
});
