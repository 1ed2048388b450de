// Fault matrix, serial: the engine on the real serialport binding against the emulated Cyton on a
// socat pty, one named scenario per fault (garbage, noise, drops, flood, stall, vanish forever,
// vanish and return), each with recording off and on. Every scenario prints its figures and checks
// what it does to the data: no row from bytes that are not the board's, every sample received or
// counted lost (time stays true; exactly, from the board's counter, where no span had to be
// estimated from host time), the fault said in the status, the summary and the recording.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { Engine } from '../../electron/engine/engine.js';
import { encodeCytonPacket } from '../../electron/common/boards/cyton-protocol.js';
import { Random } from '../../electron/common/random.js';
import { verifyRecording } from '../../electron/engine/recording/repair.js';
import { troubleLines } from '../../electron/cli/stream.js';
import { CytonEmulator, PacketFate } from '../support/cyton-emulator.js';
import { socatAvailable } from '../support/socat.js';
import { tempDir } from '../support/tmp.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const work = tempDir('bci-faults-serial-');
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c().catch(() => {});
});

interface Context {
  emulator: CytonEmulator;
  engine: Engine;
  rng: Random;
}

/** Bytes for `ms` at `bytesPerSec`, written in 10 ms slices by `make`. */
async function pour(ms: number, make: (slice: number) => Uint8Array, emulator: CytonEmulator): Promise<number> {
  let sent = 0;
  for (let t = 0; t < ms; t += 10) {
    const bytes = make(t / 10);
    if (emulator.inject(bytes)) sent += bytes.length;
    await sleep(10);
  }
  return sent;
}

/** Blocks this process (its timers, the emulated board, every read) as a loaded machine does. */
function freeze(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

const SCENARIOS: readonly { name: string; exact?: boolean; faults?: { garbage?: number; dropByte?: number; dropPacket?: number }; linkLost?: boolean; fault?: RegExp; run(c: Context): Promise<Record<string, number | string>> }[] = [
  { name: 'garbage', exact: true, faults: { garbage: 0.05 }, run: async () => (await sleep(1200), {}) },
  { name: 'drops', exact: true, faults: { dropByte: 0.02, dropPacket: 0.02 }, run: async () => (await sleep(1200), {}) },
  {
    name: 'noise',
    exact: true,
    // random bytes (0xA0 included) at ~1 MB/s between the board's packets for a second, and this
    // process frozen for 1.1 s in the middle (a loaded machine): the board's packets of that span
    // wait in the pty, or are lost when it is full, and arrive late, all at once
    run: async ({ emulator, rng }) => {
      const noise = () => Uint8Array.from({ length: 10_000 }, () => rng.nextInt(256));
      let sent = await pour(500, noise, emulator);
      freeze(1100);
      sent += await pour(500, noise, emulator);
      return { 'noise bytes': sent };
    },
  },
  {
    name: 'flood',
    // valid packets, counter and all, at ~100 × the board's rate for a second
    fault: /sends samples far faster than the board's 250 Hz/,
    run: async ({ emulator }) => {
      let sample = 0;
      const sent = await pour(1000, () => {
        const bytes = new Uint8Array(33 * 250);
        for (let k = 0; k < 250; k++) encodeCytonPacket(bytes, 33 * k, sample++ & 0xff, [1, 2, 3, 4, 5, 6, 7, 8], 0xc0);
        return bytes;
      }, emulator);
      return { 'flood packets': sent / 33 };
    },
  },
  {
    name: 'stall',
    run: async ({ emulator, engine }) => {
      emulator.model.stall(1300);
      await sleep(1400);
      await waitUntil(() => engine.getStatus().link?.state === 'connected', 5000, 'the link back');
      await sleep(300);
      return {};
    },
  },
  {
    name: 'vanish forever',
    linkLost: true,
    run: async ({ emulator, engine }) => {
      await emulator.unplug();
      await waitUntil(() => engine.getStatus().link?.state === 'disconnected', 3000, 'the driver to notice');
      await sleep(1000);
      return {};
    },
  },
  {
    name: 'vanish and return',
    run: async ({ emulator, engine }) => {
      await emulator.unplug();
      await waitUntil(() => engine.getStatus().link?.state === 'disconnected', 3000, 'the driver to notice');
      await sleep(500);
      await emulator.replug();
      await waitUntil(() => engine.getStatus().link?.state === 'connected', 5000, 'the link back');
      await sleep(300);
      return {};
    },
  },
];

describe.skipIf(!socatAvailable())('fault matrix: serial (engine on a pty Cyton)', () => {
  const cases = SCENARIOS.flatMap((s) => [false, true].map((recording) => ({ ...s, recording })));
  it.each(cases)('$name, recording $recording', async ({ name, exact, faults, run, recording, linkLost, fault }) => {
    const emulator = await CytonEmulator.start();
    if (faults) emulator.model.randomFaults = faults;
    const engine = new Engine();
    cleanup.push(async () => {
      await engine.dispose();
      await emulator.stop();
    });
    const errors: string[] = [];
    engine.on('error', (m) => errors.push(m));
    await engine.connect({ board: 'cyton', port: emulator.hostPath });
    const dataDir = join(work, name.replace(/ /g, '-'));
    if (recording) await engine.startRecording({ session: { subject: 'S01', task: name.replace(/[^a-z]/g, '') }, dataDir });
    const t0 = performance.now();
    await engine.start();
    await waitUntil(() => engine.getStatus().rowsReceived >= 100, 5000, 'rows');
    const figures = await run({ emulator, engine, rng: new Random(7) });
    const elapsedSec = (performance.now() - t0) / 1000;
    await engine.stop();
    const untilStoppedSec = (performance.now() - t0) / 1000; // rows still in flight arrive during the stop
    const status = engine.getStatus();
    const trouble = troubleLines(status, engine.faults);
    const result = recording ? await engine.stopRecording() : undefined;

    // no row from bytes that are not the board's: never more rows than the board made (a flood
    // gets at most the rate guard's one-second bucket and its 25 % drift allowance through)
    expect(status.rowsReceived).toBeLessThanOrEqual(Math.ceil(untilStoppedSec * 250 * (fault ? 1.25 : 1)) + (fault ? 250 : 0) + 2);
    // the packets the board made while streaming (sent, dropped, damaged, or refused by a full pty);
    // its clock starts when the start command reaches it, which on a loaded machine is a few hundred
    // ms after this test's clock
    let made = 0;
    for (let j = 0; j < emulator.model.packetsMade; j++) if (emulator.model.fates[j] !== PacketFate.NotStreaming) made++;
    // every sample received or counted lost: time stays true (loss not over-counted)
    const accounted = status.rowsReceived + status.deviceLostRows;
    expect(accounted / made, `accounted ${accounted} of the ${made} the board made in ${elapsedSec.toFixed(2)} s`).toBeGreaterThan(0.85);
    // not over-counted either, except in a flood: until the rate guard trips (about a second) the
    // flood's rows get through (bounded above) and its counter interleaved with the board's makes
    // jumps that count as losses, a figure the README says is inflated; it measured 2.5-3.2× the
    // board's rows, depending on how the flood's chunks fall, so it is printed, not bounded
    if (!fault) expect(accounted / (untilStoppedSec * 250), `accounted ${accounted} in ${untilStoppedSec.toFixed(2)} s until stopped`).toBeLessThan(1.15);
    // where no span was estimated from host time, the board's counter accounts for every packet: a
    // noise frame never passes for a packet a few counter steps on (a second of loss counted from
    // noise), a backlog after a stall of this process is not counted twice (received, and lost)
    if (exact) expect(accounted - made, `accounted ${accounted}, the board made ${made}`).toBe(0);
    if (fault) {
      expect(engine.faults).toEqual([expect.stringMatching(fault)]);
      expect(errors.some((e) => fault.test(e))).toBe(true);
      expect(trouble.some((l) => fault.test(l))).toBe(true);
    }
    if (linkLost) expect(trouble[0]).toMatch(/^ {2}link lost {8}/);
    else if (!fault) expect(trouble).toEqual([]);
    if (result) {
      expect(result.error).toBeNull();
      expect(result.rowsWritten).toBe(accounted); // the file keeps time: gaps are in it, zero-filled and annotated
      expect(verifyRecording(result.path).ok).toBe(true);
    }
    console.log(
      `fault ${name} (recording ${recording ? 'on' : 'off'}): ` +
        Object.entries({ 'elapsed s': elapsedSec.toFixed(2), 'packets made': made, 'rows received': status.rowsReceived, 'samples lost': status.deviceLostRows, link: status.link?.state ?? 'n/a', faults: engine.faults.length, ...figures })
          .map(([k, v]) => `${k} ${String(v)}`)
          .join(', '),
    );
  });
});
