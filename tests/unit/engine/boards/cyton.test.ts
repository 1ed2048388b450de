// The Cyton driver against an emulated board behind @serialport/binding-mock: handshake, the
// clear errors, streaming with every value checked, commands and channel settings while
// streaming, impedance, and a flaky link (garbage, dropped bytes and packets, a stall, the port
// vanishing and coming back).
import { afterEach, describe, expect, it } from 'vitest';
import { CytonDriver, type CytonLinkEvent, type CytonTiming } from '../../../../electron/engine/boards/cyton.js';
import { MockBinding, mockCytonBinding, type CytonModelOptions, type MockCyton } from '../../../support/cyton-emulator.js';
import { RecordingSink, checkAgainstModel, expectOutageCycle } from '../../../support/cyton-check.js';
import type { CytonBoardId } from '../../../../electron/common/boards/cyton-descriptor.js';

const FAST: Partial<CytonTiming> = { bannerTimeoutMs: 300, replyTimeoutMs: 500, silenceMs: 500, discontinuityMs: 450, retryMs: 100 };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Bound on the error of a span estimated from host time (0-2 rows idle; see the pty tests). */
const ESTIMATE_ROWS = 50;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c();
});

function setup(board: CytonBoardId, model: CytonModelOptions & { maxReadSize?: number } = {}, timing: Partial<CytonTiming> = FAST) {
  const mock = mockCytonBinding({ daisy: board === 'cyton-daisy', ...model });
  const driver = new CytonDriver({ board, port: mock.path, binding: mock.binding, latencyTimer: false, timing });
  const links: CytonLinkEvent[] = [];
  driver.onLinkState((e) => links.push(e));
  const sink = new RecordingSink(driver.descriptor.channels.length);
  cleanup.push(async () => {
    await driver.release();
    mock.dispose();
  });
  return { mock, driver, sink, links };
}

function check(sink: RecordingSink, mock: MockCyton, board: CytonBoardId) {
  return checkAgainstModel(sink, mock.model, { daisy: board === 'cyton-daisy', eeg: board === 'cyton-daisy' ? 16 : 8 });
}

describe('CytonDriver handshake (MockBinding)', () => {
  it('stops, reads the banner, sets defaults, and is connected', async () => {
    const { mock, driver, links } = setup('cyton');
    await driver.prepare();
    expect(mock.written.join('')).toBe('svd');
    expect(driver.info).toMatchObject({ portPath: mock.path, firmware: '3.1.2', daisyPresent: false });
    expect(driver.linkState).toBe('connected');
    expect(links.map((l) => l.state)).toEqual(['connected']);
    expect(driver.channelSettings.every((s) => s.gain === 24)).toBe(true);
  });

  it('detaches a Daisy it was not asked for, and refuses cyton-daisy without one', async () => {
    const a = setup('cyton', { daisy: true });
    await a.driver.prepare();
    expect(a.mock.written.join('')).toBe('svcd');
    expect(a.driver.info?.daisyPresent).toBe(true);
    const b = setup('cyton-daisy', { daisy: false });
    await expect(b.driver.prepare()).rejects.toThrow(/no Daisy module answers on the Cyton at .*choose the board "cyton"/);
    const c = setup('cyton-daisy');
    await c.driver.prepare();
    expect(c.driver.descriptor.channels).toHaveLength(19);
    expect(c.mock.written.join('')).toBe('svd');
  });

  it('says so when the dongle cannot reach the board', async () => {
    const { driver } = setup('cyton', { personality: 'unreachable' });
    await expect(driver.prepare()).rejects.toThrow(
      'the dongle cannot reach the board: is it switched on and on the same radio channel? (the dongle on /dev/ttyMOCK',
    );
    expect(driver.linkState).toBe('closed');
  });

  it('says so when the port answers but is not a Cyton, or does not answer', async () => {
    const other = setup('cyton', { personality: 'not-cyton' });
    await expect(other.driver.prepare()).rejects.toThrow(/answered but is not a Cyton \(no \$\$\$-terminated banner within 0\.3 s; got "AT\nOK/);
    const silent = setup('cyton', { personality: 'silent' });
    await expect(silent.driver.prepare()).rejects.toThrow(/no reply from \/dev\/ttyMOCK\d+ within 0\.3 s: it is not a Cyton dongle/);
  });

  it('explains permission, busy and missing ports', async () => {
    const { mock, driver } = setup('cyton');
    mock.failOpenWith(`Error: Permission denied, cannot open ${mock.path}`);
    await expect(driver.prepare()).rejects.toThrow(/permission denied on \/dev\/ttyMOCK\d+: add your user to the \w+ group: sudo usermod -aG \w+ \$USER, then log in again/);
    mock.failOpenWith('Error Resource temporarily unavailable Cannot lock port');
    await expect(driver.prepare()).rejects.toThrow(/is busy: another program has it open/);
    mock.failOpenWith(undefined);
    const missing = new CytonDriver({ board: 'cyton', port: '/dev/ttyNOPE', binding: { list: async () => [], open: () => Promise.reject(new Error('Error: No such file or directory, cannot open /dev/ttyNOPE')) }, latencyTimer: false });
    await expect(missing.prepare()).rejects.toThrow('no such port /dev/ttyNOPE: is the dongle plugged in? `bci boards` lists the ports found');
  });

  it('finds the one dongle with port auto', async () => {
    MockBinding.reset();
    const { driver, mock } = setup('cyton');
    const auto = new CytonDriver({ board: 'cyton', port: 'auto', binding: mock.binding, latencyTimer: false, timing: FAST });
    cleanup.push(() => auto.release());
    await auto.prepare();
    expect(auto.info?.portPath).toBe(mock.path);
    void driver;
  });
});

describe('CytonDriver streaming (MockBinding)', () => {
  it('delivers every sample with the right value (8 channels, 250 Hz)', async () => {
    const { mock, driver, sink } = setup('cyton', { maxReadSize: 50 });
    await driver.prepare();
    await driver.start(sink);
    await sleep(300);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    expect(r.rows).toBeGreaterThan(50);
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0, lostReported: driver.stats.estimatedLostRows });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // 0 unless the event loop stalled past the discontinuity threshold
    expect(r.firstWrong).toBeUndefined();
    const after = sink.rowCount;
    await sleep(50);
    expect(sink.rowCount).toBe(after); // stopped means stopped
    expect(driver.streaming).toBe(false);
  });

  it('pairs the Daisy into 16-channel rows at 125 Hz', async () => {
    const { mock, driver, sink } = setup('cyton-daisy', { maxReadSize: 7 });
    await driver.prepare();
    await driver.start(sink);
    await sleep(300);
    await driver.stop();
    const r = check(sink, mock, 'cyton-daisy');
    expect(r.rows).toBeGreaterThan(25);
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // 0 unless the event loop stalled past the discontinuity threshold
  });

  it('loses only the packets that garbage, dropped bytes and dropped packets touch, and counts them exactly', async () => {
    const { mock, driver, sink } = setup('cyton', { maxReadSize: 13, seed: 5 });
    await driver.prepare();
    mock.model.randomFaults = { garbage: 0.05, dropByte: 0.03, dropPacket: 0.03 };
    await driver.start(sink);
    await sleep(600);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    expect(r.firstWrong).toBeUndefined();
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // 0 unless the event loop stalled past the discontinuity threshold
    expect(r.lostReported).toBeGreaterThan(3);
    expect(driver.stats.skippedBytes).toBeGreaterThan(0);
  });

  it('changes a channel\'s gain while streaming: the µV scale follows, the pause is a counted gap', async () => {
    const { mock, driver, sink } = setup('cyton');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(50);
    const applied = await driver.setChannel(3, { gain: 8 });
    expect(applied).toMatchObject({ gain: 8, input: 'normal', powerOn: true });
    expect(mock.model.settings[2].gain).toBe(8);
    expect(mock.written.join('')).toContain('sx3040110Xb');
    await sink.waitForRows(sink.rowCount + 50);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
    expect(driver.channelSettings[2].gain).toBe(8);
    await expect(driver.setChannel(9, { gain: 2 })).rejects.toThrow(/channel must be 1..8/);
    await expect(driver.setChannel(1, { gain: 3 as 24 })).rejects.toThrow(/gain must be one of/);
  });

  it('answers text commands with the $$$-framed reply; d resets the gains', async () => {
    const { mock, driver, sink } = setup('cyton');
    await driver.prepare();
    expect(await driver.configure('x2030110X')).toBe('Success: Channel set for 2');
    expect(driver.channelSettings[1].gain).toBe(6);
    const dump = await driver.registerDump();
    expect(dump).toMatch(/^Board ADS Registers/);
    expect(dump).toContain('CH2SET, 06, 38');
    await driver.start(sink);
    await sink.waitForRows(20);
    expect(await driver.configure('d')).toBe('updating channel settings to default');
    expect(driver.channelSettings[1].gain).toBe(24);
    expect(mock.model.settings[1].gain).toBe(24);
    await expect(driver.configure('b')).rejects.toThrow(/use start \/ stop/);
    await driver.stop();
    mock.model.output(Uint8Array.of(0xa0, 0x01)); // a stray header on the line: the short reply after it must not be held back
    expect(await driver.configure('x2050110X')).toMatch(/Success: Channel set for 2$/);
    await driver.start(sink);
    await expect(driver.configure('~4')).rejects.toThrow(/sample rate/);
    await expect(driver.configure('v')).rejects.toThrow(/stop streaming first/);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
  });
});

describe('CytonDriver impedance (MockBinding)', () => {
  it('measures kΩ per channel from the 31.25 Hz tone and puts the board back', async () => {
    const impedanceKOhm = [3, 8, 25, 70, 5, 5, 5, 5];
    const { mock, driver } = setup('cyton', { impedanceKOhm });
    await driver.prepare();
    const seen: number[] = [];
    const readings = await driver.measureImpedance({ channels: [1, 3, 4], measureSec: 0.3, settleSec: 0.05, onReading: (r) => seen.push(r.channel) });
    expect(seen).toEqual([1, 3, 4]);
    readings.forEach((r) => expect(r.impedanceKOhm).toBeCloseTo(impedanceKOhm[r.channel - 1], 0));
    expect(readings.map((r) => r.quality)).toEqual(['good', 'fair', 'bad']);
    expect(readings[0].label).toBe('Fp1');
    expect(mock.model.leadOff.every((l) => !l.n && !l.p)).toBe(true);
    expect(mock.model.streaming).toBe(false);
    expect(mock.model.commands.filter((c) => c.startsWith('z'))).toEqual(['z101Z', 'z100Z', 'z301Z', 'z300Z', 'z401Z', 'z400Z']);
  });

  it('measures while streaming and keeps streaming', async () => {
    const { mock, driver, sink } = setup('cyton-daisy', { impedanceKOhm: Array.from({ length: 16 }, (_, i) => 2 + i) });
    await driver.prepare();
    await driver.start(sink);
    const readings = await driver.measureImpedance({ channels: [10], measureSec: 0.4, settleSec: 0.05 });
    expect(readings[0].impedanceKOhm).toBeCloseTo(11, 0);
    expect(readings[0].label).toBe('F8');
    const before = sink.rowCount;
    await sink.waitForRows(before + 10);
    expect(mock.model.streaming).toBe(true);
    await driver.stop();
    const r = check(sink, mock, 'cyton-daisy');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
  });
});

describe('CytonDriver when this process stalls (MockBinding)', () => {
  /** Blocks this process (its timers, the emulated board's clock and every read), as a loaded machine does. */
  const freeze = (ms: number) => {
    const until = performance.now() + ms;
    while (performance.now() < until);
  };

  it.each(['cyton', 'cyton-daisy'] as const)('%s: the backlog of a stall longer than the counter\'s wrap arrives late and is counted once, as no loss; the link stays up', async (board) => {
    const { mock, driver, sink, links } = setup(board);
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(40);
    freeze(1300); // 325 packets: more than the counter's 256, more than silenceMs
    await sink.waitForRows(sink.rowCount + 40);
    await driver.stop();
    const r = check(sink, mock, board);
    const seen = JSON.stringify({ ...r, firstWrong: undefined, gaps: sink.gaps, links: links.map((l) => l.message), stats: { ...driver.stats, footers: undefined } });
    expect(r, seen).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, missing: 0, lostReported: 0 });
    expect(r.indexErrors, seen).toEqual([]); // every row at its own sample index
    expect(links.map((l) => l.state), seen).toEqual(['connected']);
    expect(driver.stats.floodRows).toBe(0);
  });

  it('the board\'s packets lost during a stall longer than the wrap are counted from its counter, all of them', async () => {
    // (the watchdog is given 1.5 s, so that the dropout outliving the stall is no outage to restart from)
    const { mock, driver, sink, links } = setup('cyton', {}, { ...FAST, silenceMs: 1500 });
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(40);
    mock.model.stall(2000); // a radio dropout over the stall and beyond: nothing waits in the OS buffer
    freeze(1300);
    await sink.waitForRows(sink.rowCount + 40);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
    expect(r.indexErrors).toEqual([]);
    expect(r.lostReported).toBeGreaterThan(400); // 2 s: 500 packets, ~1.9 wraps of the counter
    expect(links.map((l) => l.state)).toEqual(['connected']);
  });
});

describe('CytonDriver: a radio silence right after a packet held for judgement (MockBinding)', () => {
  it('counts the packets of the silence from the board\'s counter, and every later row keeps its index', async () => {
    // garbage just before packet j makes it a held candidate (a continuing counter close to the
    // last packet, after skipped bytes); the next 237 packets are lost: 948 ms with no byte, a
    // silence, which settles the held packet as a row of the chunk it came in
    const { mock, driver, sink, links } = setup('cyton', {}, { ...FAST, silenceMs: 1500 });
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(40);
    const j = mock.model.packetsMade + 50;
    mock.model.injectGarbageAt(j, 5);
    mock.model.dropPacketsAt(j + 1, 237);
    await expect.poll(() => mock.model.packetsMade, { timeout: 5000 }).toBeGreaterThan(j + 238 + 40);
    await sink.waitForRows(sink.rowCount + 20);
    await driver.stop();
    const r = check(sink, mock, 'cyton');
    const seen = JSON.stringify({ ...r, firstWrong: undefined, gaps: sink.gaps });
    expect(r, seen).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0, lostReported: 237 });
    expect(r.indexErrors, seen).toEqual([]);
    expect(links.map((l) => l.state)).toEqual(['connected']);
  });
});

describe('CytonDriver on a flaky link (MockBinding)', () => {
  it('survives a stall: disconnected, retried, back, the span passed on as a gap', async () => {
    const { mock, driver, sink, links } = setup('cyton');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(50);
    mock.model.stall(700);
    await sleep(1100);
    await sink.waitForRows(sink.rowCount + 50);
    await driver.stop();
    expectOutageCycle(links);
    expect(links[1].message).toMatch(/no data from the OpenBCI Cyton on .* for 0\.\d s/);
    expect(sink.errors.length).toBeGreaterThanOrEqual(1);
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
    expect(links[3].lostRows).toBeGreaterThan(150);
    expect(driver.stats.disconnects).toBe(1);
  });

  it('survives the port vanishing: reopens, re-sends the settings, resumes', async () => {
    const { mock, driver, sink, links } = setup('cyton');
    await driver.prepare();
    await driver.setChannel(4, { gain: 2, input: 'normal' });
    await driver.start(sink);
    await sink.waitForRows(50);
    await mock.unplug();
    await sleep(400);
    expect(driver.linkState).toBe('disconnected');
    await expect(driver.configure('?')).rejects.toThrow(/is disconnected/);
    mock.model.settings[3] = { ...mock.model.settings[3], gain: 24 }; // as if the board was power-cycled
    mock.replug();
    await sleep(300);
    await sink.waitForRows(sink.rowCount + 50);
    await driver.stop();
    expectOutageCycle(links);
    expect(links[1].message).toMatch(/the serial port .* went away/);
    expect(mock.model.settings[3].gain).toBe(2);
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
    expect(r.indexErrors.length).toBeLessThanOrEqual(driver.stats.estimatedGaps); // only where a span was estimated
    expect(Math.max(0, ...r.indexErrors.map(Math.abs))).toBeLessThanOrEqual(ESTIMATE_ROWS);
  });

  it('goes back to closed on release, and refuses to be used after', async () => {
    const { driver, links } = setup('cyton');
    await driver.prepare();
    await driver.release();
    expect(driver.linkState).toBe('closed');
    expect(links.at(-1)?.state).toBe('closed');
    await expect(driver.prepare()).rejects.toThrow(/released/);
  });
});

describe('CytonDriver: the board switched off and on (MockBinding)', () => {
  it('says the dongle cannot reach the board while it is off, and resumes when it is back', async () => {
    const { mock, driver, sink, links } = setup('cyton');
    await driver.prepare();
    await driver.start(sink);
    await sink.waitForRows(50);
    mock.model.personality = 'unreachable'; // board off: the dongle answers every command with Failure
    mock.model.streaming = false;
    // the silence verdict (0.5 s), the halt and the retry's Failure reply: about 0.75 s, later under load
    await expect.poll(() => sink.errors.some((e) => e.startsWith('the dongle cannot reach the board: is it switched on and on the same radio channel?')), { timeout: 5_000 }).toBe(true);
    expect(driver.linkState).not.toBe('connected');
    mock.model.personality = 'cyton'; // switched on again: the next retry's `b` starts it
    await sink.waitForRows(sink.rowCount + 50, 3000);
    await driver.stop();
    expectOutageCycle(links);
    const r = check(sink, mock, 'cyton');
    expect(r).toMatchObject({ wrongValues: 0, notSent: 0, outOfOrder: 0 });
  });

  it('cancels an impedance test on request and puts the board back', async () => {
    const { mock, driver } = setup('cyton');
    await driver.prepare();
    const abort = new AbortController();
    const test = driver.measureImpedance({ measureSec: 2, signal: abort.signal });
    await sleep(300);
    abort.abort();
    await expect(test).rejects.toThrow('the impedance test was cancelled');
    expect(mock.model.leadOff.some((l) => l.n || l.p)).toBe(false);
    await sleep(50);
    expect(mock.model.streaming).toBe(false);
  });
});
