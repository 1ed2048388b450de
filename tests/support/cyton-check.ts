// A SampleSink that keeps everything (rows with their sample indices, gaps, errors), and a checker
// that holds what arrived against what the emulated board sent: every row must be a row the board
// sent intact, with every value right; every row it sent intact in between must have arrived, or
// be accounted for by the sample indices the gaps skipped.

import { expect } from 'vitest';
import type { SampleSink } from '../../electron/engine/boards/driver.js';
import type { CytonLinkEvent } from '../../electron/engine/boards/cyton.js';
import { countScaleUv, CYTON_ACCEL_SCALE_G } from '../../electron/common/boards/cyton-protocol.js';
import { PacketFate, testAccel, testCount, testRowFromCount, type CytonModel } from './cyton-emulator.js';

export interface ReceivedRow {
  readonly index: number;
  readonly values: Float64Array;
  readonly atMs: number;
}

export class RecordingSink implements SampleSink {
  readonly received: ReceivedRow[] = [];
  readonly gaps: { index: number; lost: number; atMs: number }[] = [];
  readonly errors: string[] = [];
  readonly markers: string[] = [];
  private next = 0;
  /** Called after each pushRows with the host time (for latency measurements). */
  onRows: ((first: number, values: Float64Array, rowCount: number, atMs: number) => void) | undefined;

  constructor(readonly width: number) {}

  pushRows(rows: Float64Array, rowCount: number): void {
    const atMs = performance.timeOrigin + performance.now();
    for (let r = 0; r < rowCount; r++) {
      this.received.push({ index: this.next++, values: rows.slice(r * this.width, (r + 1) * this.width), atMs });
    }
    this.onRows?.(this.next - rowCount, rows, rowCount, atMs);
  }

  reportGap(lostRows: number): void {
    this.gaps.push({ index: this.next, lost: lostRows, atMs: performance.timeOrigin + performance.now() });
    this.next += lostRows;
  }

  pushMarker(marker: { label: string }): void {
    this.markers.push(marker.label);
  }

  room(): number {
    return Infinity;
  }

  async waitForRoom(): Promise<void> {}

  reportError(message: string): void {
    this.errors.push(message);
  }

  get rowCount(): number {
    return this.received.length;
  }

  get lostTotal(): number {
    return this.gaps.reduce((n, g) => n + g.lost, 0);
  }

  /** Resolves once `rows` rows have arrived (or rejects after `timeoutMs`). */
  async waitForRows(rows: number, timeoutMs = 5000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length < rows) {
      if (Date.now() > deadline) throw new Error(`only ${this.received.length} of ${rows} rows arrived within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}

export interface CheckReport {
  readonly rows: number;
  /** Rows whose values do not match the board's (should be 0). */
  readonly wrongValues: number;
  readonly firstWrong: string | undefined;
  /** Rows the board never sent intact (should be 0). */
  readonly notSent: number;
  /** Rows out of order (should be 0). */
  readonly outOfOrder: number;
  /** Intact rows the board sent between the first and last row received that did not arrive. */
  readonly missing: number;
  /** Per consecutive pair of received rows: (index step − row step) when not 0. 0 everywhere = exact accounting. */
  readonly indexErrors: number[];
  /** Rows counted lost by the counter or estimated, in total. */
  readonly lostReported: number;
  readonly firstRow: number;
  readonly lastRow: number;
}

/**
 * Checks the sink against the model. Channel 0 identifies the row, so tests must keep channel 0
 * at gain 24 and out of lead-off.
 */
export function checkAgainstModel(sink: RecordingSink, model: CytonModel, options: { daisy: boolean; eeg: number }): CheckReport {
  const { daisy, eeg } = options;
  const scale0 = countScaleUv(24);
  let wrongValues = 0;
  let firstWrong: string | undefined;
  let notSent = 0;
  let outOfOrder = 0;
  const indexErrors: number[] = [];
  const receivedRows = new Set<number>();
  let prev: { k: number; index: number } | undefined;
  let firstRow = -1;
  let lastRow = -1;
  let firstPacket = -1;

  for (const row of sink.received) {
    const k = testRowFromCount(row.values[0] / scale0);
    const packets = daisy ? [2 * k, 2 * k + 1] : [k];
    if (firstPacket < 0) firstPacket = packets[0];
    const lastPacket = packets[packets.length - 1];
    if (packets.some((j) => j >= model.fates.length || model.fates[j] !== PacketFate.Sent)) notSent++;
    const { gains, leadOff } = model.settingsAtPacket(packets[0]);
    let wrong = '';
    for (let c = 0; c < eeg; c++) {
      if (leadOff[c]) continue;
      const expected = testCount(k, c) * countScaleUv(gains[c]);
      if (Math.abs(row.values[c] - expected) > 1e-9 * Math.max(1, Math.abs(expected))) {
        wrong ||= `row ${k} channel ${c + 1}: got ${row.values[c]}, expected ${expected}`;
      }
    }
    // accelerometer: the reading of an accel packet (j % 10 = 0) at or before this row's last packet
    const raw = [0, 1, 2].map((a) => Math.round(row.values[eeg + a] / CYTON_ACCEL_SCALE_G));
    if (raw.some((v, a) => Math.abs(v * CYTON_ACCEL_SCALE_G - row.values[eeg + a]) > 1e-12)) wrong ||= `row ${k}: accel not a whole count`;
    const latestAccel = Math.floor(lastPacket / 10);
    const accelRow = daisy ? latestAccel * 5 : latestAccel * 10;
    const strict =
      latestAccel * 10 >= firstPacket &&
      (accelRow === k || receivedRows.has(accelRow)) &&
      receivedAllSince(model, latestAccel * 10, lastPacket);
    if (strict) {
      if (raw.some((v, a) => v !== testAccel(latestAccel * 10, a))) wrong ||= `row ${k}: accel ${raw.join(',')} is not packet ${latestAccel * 10}'s`;
    } else if (!raw.every((v) => v === 0)) {
      let found = false;
      for (let m = latestAccel; m >= Math.max(0, latestAccel - 400) && !found; m--) found = raw.every((v, a) => v === testAccel(m * 10, a));
      if (!found) wrong ||= `row ${k}: accel ${raw.join(',')} was never sent`;
    }
    if (wrong) {
      wrongValues++;
      firstWrong ??= wrong;
    }
    if (prev) {
      if (k <= prev.k) outOfOrder++;
      const d = row.index - prev.index - (k - prev.k);
      if (d !== 0) indexErrors.push(d);
    }
    prev = { k, index: row.index };
    receivedRows.add(k);
    if (firstRow < 0) firstRow = k;
    lastRow = k;
  }

  let missing = 0;
  for (let k = firstRow; k >= 0 && k <= lastRow; k++) {
    const packets = daisy ? [2 * k, 2 * k + 1] : [k];
    if (packets.every((j) => model.fates[j] === PacketFate.Sent) && !receivedRows.has(k)) missing++;
  }
  return {
    rows: sink.received.length,
    wrongValues,
    firstWrong,
    notSent,
    outOfOrder,
    missing,
    indexErrors,
    lostReported: sink.lostTotal,
    firstRow,
    lastRow,
  };
}

/** Every packet in [from, to] was sent intact (so the parser saw the accel packet at `from`). */
function receivedAllSince(model: CytonModel, from: number, to: number): boolean {
  for (let j = from; j <= to; j++) if (model.fates[j] !== PacketFate.Sent) return false;
  return true;
}

/**
 * The link went connected → disconnected → reconnecting → connected, and ended connected. (A
 * machine so loaded that the event loop stalls for over a second may add more such cycles: that
 * is the driver doing its job, so they are allowed.)
 */
export function expectOutageCycle(links: readonly CytonLinkEvent[]): void {
  const states = links.map((l) => l.state);
  expect(states.slice(0, 4)).toEqual(['connected', 'disconnected', 'reconnecting', 'connected']);
  expect(states.at(-1)).toBe('connected');
  for (let i = 1; i < states.length; i++) {
    const ok = { connected: ['disconnected'], disconnected: ['reconnecting'], reconnecting: ['connected', 'disconnected'], closed: [] }[states[i - 1]];
    expect(ok, `${states[i - 1]} → ${states[i]}`).toContain(states[i]);
  }
}
