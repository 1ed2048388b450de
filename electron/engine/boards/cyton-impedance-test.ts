// The Cyton's electrode impedance test, run on a live link: for each channel in turn, `z CH 0 1 Z`
// (6 nA at 31.25 Hz into the N input), discard the settling rows, collect a contiguous window of
// that channel's rows, measure it (electron/common/boards/cyton-impedance.ts), and `z CH 0 0 Z`.
// Owns the lead-off state a reconnection must restore: the channel whose current is on, and the
// channels whose current may still be on (an `off` that did not get through).
//
// The driver runs measure() one operation at a time, with the stream on, and feeds it every row
// it gets (push). A discontinuity (a pause for a command, a stall) starts the window again.

import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import { fullScaleUv, impedanceCommand, replyFailure } from '../../common/boards/cyton-protocol.js';
import { measureImpedance, type ImpedanceReading } from '../../common/boards/cyton-impedance.js';
import type { CytonLink, CytonTiming } from './cyton-link.js';

export interface ImpedanceOptions {
  /** 1-based channels to test (default: all EEG channels). */
  readonly channels?: readonly number[];
  /** Seconds of data to measure per channel (default 1.5). */
  readonly measureSec?: number;
  /** Seconds to discard after switching the test current on (default 0.5). */
  readonly settleSec?: number;
  /** Called after each channel. */
  readonly onReading?: (reading: ImpedanceReading) => void;
  /** Aborts the test (between channels, or while one is measured); the board is put back as usual. */
  readonly signal?: AbortSignal;
}

/** A validated test: which channels, and how many rows to discard and to measure on each. */
export interface ImpedancePlan {
  readonly channels: readonly number[];
  readonly settleRows: number;
  readonly measureRows: number;
}

/** What the test asks of the driver. */
export interface CytonImpedanceHost {
  readonly descriptor: BoardDescriptor;
  readonly eegChannels: number;
  /** The gain the board confirmed for a 1-based channel (its full scale tells a railed channel). */
  gainOf(channel: number): number;
  /** The port is open and the link connected (lead-off currents can be switched off). */
  isConnected(): boolean;
  /** The link state, for messages. */
  linkState(): string;
}

type RowTap = (rows: Float64Array, rowCount: number) => void;

export class CytonImpedanceTest {
  /** Channels whose lead-off current may still be on (re-sent off after a reconnection). */
  private readonly dirty = new Set<number>();
  /** The channel under test (its lead-off current re-sent on after a reconnection). */
  private underTest: number | undefined;
  private tap: RowTap | undefined;

  constructor(
    private readonly link: CytonLink,
    private readonly timing: CytonTiming,
    private readonly host: CytonImpedanceHost,
  ) {}

  /** Channels whose lead-off current may still be on. */
  get leadOffDirty(): ReadonlySet<number> {
    return this.dirty;
  }

  /** The channel whose lead-off current is on, if a test runs. */
  get leadOffChannel(): number | undefined {
    return this.underTest;
  }

  /** A reconnection re-sent the lead-off state: only the channel under test stays marked. */
  restored(): void {
    for (const c of [...this.dirty]) if (c !== this.underTest) this.dirty.delete(c);
  }

  /** Every row the driver gets, while a channel is measured. */
  push(rows: Float64Array, rowCount: number): void {
    this.tap?.(rows, rowCount);
  }

  /** Checks the options: a RangeError for a channel the board does not have. */
  plan(options: ImpedanceOptions): ImpedancePlan {
    const n = this.host.eegChannels;
    const channels = options.channels ?? Array.from({ length: n }, (_, i) => i + 1);
    for (const c of channels) {
      if (!Number.isInteger(c) || c < 1 || c > n) throw new RangeError(`channel must be 1..${n} (got ${String(c)})`);
    }
    const rate = this.host.descriptor.sampleRateHz;
    return {
      channels,
      settleRows: Math.round((options.settleSec ?? 0.5) * rate),
      measureRows: Math.max(8, Math.round((options.measureSec ?? 1.5) * rate)),
    };
  }

  /**
   * Measures each channel of the plan; the stream must be on. Whatever happens, the last lead-off
   * current is switched off again (when the link is up; otherwise a reconnection does it).
   */
  async measure(plan: ImpedancePlan, options: ImpedanceOptions): Promise<ImpedanceReading[]> {
    const readings: ImpedanceReading[] = [];
    let previous: number | undefined;
    try {
      for (const channel of plan.channels) {
        throwIfAborted(options.signal);
        const commands = [];
        if (previous !== undefined) commands.push(impedanceCommand(previous, false, false));
        commands.push(impedanceCommand(channel, false, true));
        // the state wanted from now on (a reconnection restores it): this channel on, the last off
        this.dirty.add(channel);
        this.underTest = channel;
        await this.sendPaused(commands, previous);
        previous = channel;
        const data = await this.collectChannel(channel - 1, plan.settleRows, plan.measureRows, options.signal);
        const reading = measureImpedance(data, data.length, {
          channel,
          label: this.host.descriptor.channels[channel - 1].label,
          sampleRateHz: this.host.descriptor.sampleRateHz,
          fullScaleUv: fullScaleUv(this.host.gainOf(channel)),
        });
        readings.push(reading);
        options.onReading?.(reading);
      }
      this.underTest = undefined;
      if (previous !== undefined) await this.sendPaused([impedanceCommand(previous, false, false)], previous);
      previous = undefined;
    } finally {
      this.underTest = undefined;
      if (previous !== undefined && this.host.isConnected()) {
        await this.sendPaused([impedanceCommand(previous, false, false)], previous).catch(() => {});
      }
    }
    return readings;
  }

  private async sendPaused(commands: string[], offChannel: number | undefined): Promise<void> {
    await this.link.withStreamPaused(async () => {
      for (const c of commands) {
        const reply = await this.link.command(c);
        const failure = replyFailure(reply);
        if (failure) throw new Error(`the board refused the impedance command ${c}: ${failure}`);
      }
    });
    if (offChannel !== undefined && offChannel !== this.underTest) this.dirty.delete(offChannel);
  }

  private collectChannel(index: number, settleRows: number, measureRows: number, signal: AbortSignal | undefined): Promise<Float64Array> {
    const width = this.link.rowWidth;
    const data = new Float64Array(measureRows);
    const expectedMs = ((settleRows + measureRows) / this.host.descriptor.sampleRateHz) * 1000;
    return new Promise<Float64Array>((resolve, reject) => {
      let skipped = 0;
      let filled = 0;
      let epoch = this.link.discontinuities;
      const onAbort = () => done(new Error('the impedance test was cancelled'));
      const done = (error?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (this.tap === tap) this.tap = undefined;
        if (error) reject(error);
        else resolve(data);
      };
      const tap: RowTap = (rows, n) => {
        if (epoch !== this.link.discontinuities) {
          // the data broke off (a pause, a stall): the window must be contiguous, start again
          epoch = this.link.discontinuities;
          skipped = 0;
          filled = 0;
        }
        for (let r = 0; r < n && filled < measureRows; r++) {
          if (skipped < settleRows) skipped++;
          else data[filled++] = rows[r * width + index];
        }
        if (filled === measureRows) done();
      };
      const timer = setTimeout(
        () => done(new Error(`no data from the board during the impedance test of channel ${index + 1} (link ${this.host.linkState()})`)),
        2 * expectedMs + 3 * this.timing.silenceMs,
      );
      this.tap = tap;
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('the impedance test was cancelled');
}
