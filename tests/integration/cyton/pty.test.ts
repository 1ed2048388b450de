// The Cyton driver on the REAL serial stack: the real serialport binding opens one end of a socat
// pseudo-terminal pair, the emulated board speaks the protocol on the other. Every sample the
// board sent must arrive with the right value, or be accounted for as lost (the sample indices
// skip it); faults are done for real: garbage and dropped bytes on the line, dropped packets, a
// radio stall, and the port vanishing (socat killed) and coming back under the same name.
import { afterEach, describe, expect, it } from 'vitest';
import { CytonDriver, type CytonLinkEvent, type CytonTiming } from '../../../electron/engine/boards/cyton.js';
import type { CytonBoardId } from '../../../electron/common/boards/cyton-descriptor.js';
import { CytonEmulator, PacketFate, type CytonEmulatorOptions } from '../../support/cyton-emulator.js';
import { RecordingSink, checkAgainstModel, expectOutageCycle } from '../../support/cyton-check.js';
import { socatAvailable } from '../../support/socat.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function waitUntil(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}
// A span the driver estimates from host time (a pause for a command, an outage) is off by the
// host's scheduling jitter at both ends: 0-2 rows on an idle machine, tens of rows when the CPU is
// oversubscribed (the emulator runs in this same process, so it is starved too). The bound leaves
// room for a loaded 2-core CI runner; counter gaps are checked exactly elsewhere.
const ESTIMATE_ROWS = 50;
const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

async function setup(board: CytonBoardId, options: CytonEmulatorOptions = {}, timing: Partial<CytonTiming> = {}) {
  const emulator = await CytonEmulator.start({ daisy: board === 'cyton-daisy', ...options });
  const driver = new CytonDriver({ board, port: emulator.hostPath, timing });
  const links: CytonLinkEvent[] = [];
  driver.onLinkState((e) => links.push(e));
  const sink = new RecordingSink(driver.descriptor.channels.length);
  cleanup.push(async () => {
    await driver.release();
    await emulator.stop();
  });
  return { emulator, driver, sink, links, check: () => checkAgainstModel(sink, emulator.model, { daisy: board === 'cyton-daisy', eeg: board === 'cyton-daisy' ? 16 : 8 }) };
}

describe.skipIf(!socatAvailable())('Cyton driver on a socat pty with the real serialport binding', () => {
  it('handshakes and streams 8 channels at 250 Hz with every value right', async () => {
    const { driver, sink, emulator, check } = await setup('cyton');
    await driver.prepare();
    expect(driver.info).toMatchObject({ portPath: emulator.hostPath, firmware: '3.1.2', daisyPresent: false });
    expect(driver.info?.latencyTimer?.status).toBe('not-ftdi'); // a pty has no FTDI latency timer
    const t0 = performance.now();
    await driver.start(sink);
    await sleep(700);
    await driver.stop();
    const elapsed = (performance.now() - t0) / 1000;
    const r = check();
    expect(r.firstWrong).toBeUndefined();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0, lostReported: driver.stats.estimatedLostRows });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // 0 unless the event loop stalled past the discontinuity threshold
    expect(r.rows).toBeGreaterThan(elapsed * 250 * 0.75); // missing = 0 above is the real check
    expect(r.rows).toBeLessThanOrEqual(elapsed * 250 + 2);
  });

  it('streams the Daisy (16 channels at 125 Hz) and changes a Daisy channel\'s gain while streaming', async () => {
    const { driver, sink, emulator, check } = await setup('cyton-daisy');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(60);
    await driver.setChannels([
      { channel: 12, gain: 4 },
      { channel: 3, input: 'shorted', gain: 12 },
    ]);
    expect(emulator.model.settings[11].gain).toBe(4);
    expect(emulator.model.settings[2]).toMatchObject({ gain: 12, input: 'shorted' });
    await sink.waitForRows(sink.rowCount + 60);
    await driver.stop();
    const r = check();
    expect(r.firstWrong).toBeUndefined();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
  });

  it('loses to garbage, dropped bytes and dropped packets only the packets they touch, and counts them exactly', async () => {
    const { driver, sink, emulator, check } = await setup('cyton', { seed: 11 });
    await driver.prepare();
    emulator.model.randomFaults = { garbage: 0.04, dropByte: 0.03, dropPacket: 0.03 };
    await driver.start(sink);
    await sleep(1000);
    await driver.stop();
    const r = check();
    expect(r.firstWrong).toBeUndefined();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // 0 unless the event loop stalled past the discontinuity threshold
    expect(r.lostReported).toBeGreaterThan(5);
    expect(emulator.model.garbageBytes).toBeGreaterThan(50);
  });

  it('a stall of this process just after the stop command: the packets the board sent before it stopped all arrive', async () => {
    const { driver, sink, emulator, check } = await setup('cyton');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(100);
    // `s` is on its way (the driver waits for a quiet line) and this process freezes (a loaded
    // machine) past the 40 ms quiet window, before the board has read the `s`. The board (in this
    // process too) runs on through the freeze: its packets of those 250 ms are in flight, sent before
    // it stopped, and the wait for a quiet line must hear them.
    const receive = emulator.model.receive.bind(emulator.model);
    emulator.model.receive = (bytes: Uint8Array) => {
      if (!bytes.includes(0x73)) return receive(bytes);
      const until = performance.now() + 250;
      while (performance.now() < until);
      setTimeout(() => receive(bytes), 0); // its clock catches up first (an earlier timer)
    };
    await driver.stop();
    const r = check();
    let sent = 0;
    for (let j = 0; j < emulator.model.packetsMade; j++) if (emulator.model.fates[j] === PacketFate.Sent) sent++;
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.rows + r.lostReported, `${r.rows} rows and ${r.lostReported} counted lost of the ${sent} packets sent`).toBe(sent);
  });

  it('survives a 1.3 s radio stall: disconnected, retried, resumed, the span counted', async () => {
    const { driver, sink, emulator, links, check } = await setup('cyton-daisy');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(100);
    emulator.model.stall(1300);
    await sleep(1400);
    await sink.waitForRows(sink.rowCount + 100, 3000);
    await driver.stop();
    expectOutageCycle(links);
    expect(sink.errors[0]).toMatch(/no data from the OpenBCI Cyton \+ Daisy on .* for 1\.\d s/);
    const r = check();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
    expect(sink.lostTotal).toBeGreaterThan(130);
  });

  it('survives the port vanishing (socat killed) and coming back: reopens, re-sends settings, resumes', async () => {
    const { driver, sink, emulator, links, check } = await setup('cyton');
    await driver.prepare();
    await driver.setChannel(5, { gain: 2 });
    await driver.start(sink);
    await sink.waitForRows(100);
    await emulator.unplug();
    await waitUntil(() => driver.linkState === 'disconnected', 3000, 'the driver to notice');
    await sleep(500);
    expect(driver.linkState).toBe('disconnected');
    emulator.model.settings[4] = { ...emulator.model.settings[4], gain: 24 }; // as if power-cycled
    await emulator.replug();
    await sink.waitForRows(sink.rowCount + 100, 4000);
    await driver.stop();
    expectOutageCycle(links);
    expect(links[1].message).toMatch(/went away|no data from/); // a read error, or (on a busy machine) the silence first
    expect(emulator.model.settings[4].gain).toBe(2);
    const r = check();
    expect(r.firstWrong).toBeUndefined();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
    expect(links[3].lostRows).toBeGreaterThan(100); // at least the 0.5 s the port was surely gone
  });

  it('measures impedance from the emulated 31.25 Hz lead-off tone', async () => {
    const impedanceKOhm = [4, 12, 35, 80, 1, 9, 20, 60];
    const { driver, emulator } = await setup('cyton', { impedanceKOhm });
    await driver.prepare();
    const readings = await driver.measureImpedance({ channels: [1, 3, 4], measureSec: 0.4, settleSec: 0.1 });
    readings.forEach((r) => expect(r.impedanceKOhm / impedanceKOhm[r.channel - 1]).toBeCloseTo(1, 1)); // within 5%
    expect(readings.map((r) => r.quality)).toEqual(['good', 'fair', 'bad']);
    expect(emulator.model.leadOff.some((l) => l.n || l.p)).toBe(false);
    await waitUntil(() => !emulator.model.streaming, 1000, 'the board to stop'); // the last `s` is on its way

  });

  it('tells a port that is not a Cyton, and a dongle whose board is off', async () => {
    const other = await setup('cyton', { personality: 'not-cyton' }, { bannerTimeoutMs: 2000 });
    await expect(other.driver.prepare()).rejects.toThrow(/answered but is not a Cyton/);
    const off = await setup('cyton', { personality: 'unreachable' });
    await expect(off.driver.prepare()).rejects.toThrow(/the dongle cannot reach the board: is it switched on and on the same radio channel\?/);
    const busy = new CytonDriver({ board: 'cyton', port: off.emulator.hostPath, latencyTimer: false });
    const holder = await setup('cyton');
    await holder.driver.prepare();
    const second = new CytonDriver({ board: 'cyton', port: holder.emulator.hostPath, latencyTimer: false });
    await expect(second.prepare()).rejects.toThrow(/is busy: another program has it open/);
    void busy;
  });
});
