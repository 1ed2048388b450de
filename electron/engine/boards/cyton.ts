// The OpenBCI Cyton and Cyton + Daisy drivers over a serial port (the OpenBCI USB dongle).
// Owns: the handshake, start/stop, text commands and channel settings, the impedance test, and
// surviving a flaky link. The byte protocol lives in electron/common/boards/cyton-protocol.ts.
//
// Handshake (prepare): resolve the port (`auto` → the one dongle), check the FTDI latency timer,
// open 115200 8N1, `s` (stop a stream left running) and drain, `v` → the banner up to `$$$`
// (firmware, Daisy; `Failure: …` → the dongle cannot reach the board; no banner within 3 s → not
// a Cyton), `c`/`C` to match the Daisy to the board asked for, `d` (defaults).
//
// Commands while streaming: the firmware does not answer while it streams, so the driver pauses
// (`s`, waits until the line is quiet, the packets still in flight are delivered), sends the
// command and reads its `$$$` reply, and starts again (`b`). The pause is a hole in the data: it
// is passed on as a gap estimated from host time (as any discontinuity), so sample indices keep
// tracking time.
//
// A flaky link: damaged bytes cost the packets they touch (the parser resynchronises). No valid
// packet for `silenceMs` (1 s), or the port vanishing (a read/write error, the dongle unplugged),
// turns the link `disconnected` (sink.reportError, link-state event) without ending the session.
// Every `retryMs` (0.5 s) the driver then reopens the port if it is gone, stops the board, re-sends
// the channel settings that differ from the defaults (a board that was power-cycled lost them) and
// `b`; the link is `reconnecting` until rows flow again, then `connected`. The lost span is
// estimated from host time × rate (the 1-byte counter cannot tell) and passed on with reportGap.
// Any silence over `discontinuityMs` (0.9 s) is handled that way, so counter gaps never wrap.
// While the link is down, a `Failure: …` from the dongle (board off or out of range) is passed on
// once as "the dongle cannot reach the board". A port whose device node disappears is noticed
// by the watchdog even when its read never fails (ptys, some USB drivers).
//
// Every byte goes through the packet parser, also while a text reply is awaited: packets still in
// flight after `s` are data and reach the sink; the bytes the parser skips are the reply's text.
//
// Public API for hosts: createCytonDriver({ board, port }), prepare/start/stop/release/configure
// (BoardDriver), setChannel(s), resetDefaults, registerDump, measureImpedance, linkState +
// onLinkState, info (firmware, Daisy, latency timer), notices, channelSettings, stats.

import { existsSync } from 'node:fs';
import { Emitter, type Disposable } from '../../common/disposable.js';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import {
  CYTON_BAUD_RATE,
  CYTON_CMD_DAISY_OFF,
  CYTON_CMD_DAISY_ON,
  CYTON_CMD_DEFAULTS,
  CYTON_CMD_REGISTERS,
  CYTON_CMD_START,
  CYTON_CMD_STOP,
  CYTON_CMD_VERSION,
  CYTON_DEFAULT_CHANNEL,
  CytonParser,
  CytonReplyReader,
  channelSettingsCommand,
  cleanReply,
  fullScaleUv,
  impedanceCommand,
  isBoardUnreachable,
  parseBanner,
  parseChannelSettingsCommands,
  replyFailure,
  type CytonBanner,
  type CytonChannelSettings,
  type CytonParserStats,
} from '../../common/boards/cyton-protocol.js';
import { cytonDescriptor, cytonEegChannels, type CytonBoardId } from '../../common/boards/cyton-descriptor.js';
import { measureImpedance, type ImpedanceReading } from '../../common/boards/cyton-impedance.js';
import { checkLatencyTimer, type LatencyTimerOptions, type LatencyTimerReport } from '../../../native/ftdi-latency.js';
import type { BoardDriver, SampleSink } from './driver.js';
import { defaultSerialBinding, type SerialBinding } from '../serial/binding.js';
import { SerialConnection, SerialOpenError } from '../serial/connection.js';
import { resolveSerialPort } from '../serial/ports.js';

export type CytonLinkState =
  | 'closed' // not prepared, or released
  | 'connected' // the port is open and the board answers (rows flow while streaming)
  | 'disconnected' // data stopped or the port vanished; the session goes on
  | 'reconnecting'; // the port is back (or still open) and the driver is restarting the board

export interface CytonLinkEvent {
  readonly state: CytonLinkState;
  /** What happened, for the status bar. */
  readonly message: string;
  /** On the way back to `connected`: the samples estimated lost during the outage. */
  readonly lostSamples?: number;
  /** Host time (performance.timeOrigin based, ms). */
  readonly atMs: number;
}

export interface CytonTiming {
  /** Wait this long for the banner after `v` (a port that answers otherwise is not a Cyton). */
  readonly bannerTimeoutMs: number;
  /** Wait this long for a command's `$$$` reply. */
  readonly replyTimeoutMs: number;
  /** No valid packet for this long while streaming: the link is disconnected. */
  readonly silenceMs: number;
  /** A silence longer than this is a discontinuity (host-time gap instead of the counter). < 1024 ms. */
  readonly discontinuityMs: number;
  /** Retry period while disconnected. */
  readonly retryMs: number;
  /** The line counts as quiet (the board stopped) after this long without a byte. */
  readonly quietMs: number;
}

export const CYTON_TIMING: CytonTiming = Object.freeze({
  bannerTimeoutMs: 3000,
  replyTimeoutMs: 2000,
  silenceMs: 1000,
  discontinuityMs: 900,
  retryMs: 500,
  quietMs: 40,
});

export interface CytonDriverOptions {
  readonly board: CytonBoardId;
  /** A port path, or `auto` for the one OpenBCI dongle present. */
  readonly port: string;
  /** The serialport binding (default: the platform's); unit tests pass MockBinding. */
  readonly binding?: SerialBinding;
  /** Channel labels (default: the montage defaults for 8 or 16 channels). */
  readonly labels?: readonly string[];
  /** FTDI latency timer check (Linux); false to skip it. */
  readonly latencyTimer?: LatencyTimerOptions | false;
  readonly timing?: Partial<CytonTiming>;
}

export interface CytonBoardInfo {
  readonly portPath: string;
  readonly firmware: string | undefined;
  /** A Daisy answered at start-up (whether or not this driver uses it). */
  readonly daisyPresent: boolean;
  readonly banner: string;
  readonly latencyTimer: LatencyTimerReport | undefined;
}

export interface CytonDriverStats extends CytonParserStats {
  /** Rows passed on as lost because of discontinuities (pauses, stalls, reconnections), estimated. */
  readonly estimatedLostRows: number;
  /** Discontinuities whose span was estimated from host time (pauses for commands, outages). */
  readonly estimatedGaps: number;
  readonly disconnects: number;
  readonly reconnects: number;
}

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

const hostNowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

const UNREACHABLE = 'the dongle cannot reach the board: is it switched on and on the same radio channel?';

interface ReplyWaiter {
  resolve(text: string): void;
  reject(error: Error): void;
}

type RowTap = (rows: Float64Array, rowCount: number) => void;

export class CytonDriver implements BoardDriver {
  readonly descriptor: BoardDescriptor;
  readonly board: CytonBoardId;
  private readonly binding: SerialBinding;
  private readonly timing: CytonTiming;
  private readonly eegChannels: number;
  private readonly parser: CytonParser;
  private readonly reader = new CytonReplyReader();
  private readonly linkEmitter = new Emitter<CytonLinkEvent>();

  private conn: SerialConnection | undefined;
  private portPath = '';
  private boardInfo: CytonBoardInfo | undefined;
  private settings: CytonChannelSettings[];
  /** Channels whose lead-off current may still be on (re-sent off after a reconnection). */
  private readonly leadOffDirty = new Set<number>();
  /** The channel under the impedance test (its lead-off current re-sent on after a reconnection). */
  private leadOffChannel: number | undefined;
  /** Bumped at every discontinuity (an impedance measurement starts its window again). */
  private discontinuities = 0;
  /** Bytes the parser skipped while a reply is awaited: the reply's text. */
  private textBytes = new Uint8Array(4096);
  private textLength = 0;
  private daisyDetached = false;

  private mode: 'text' | 'stream' = 'text';
  private waiter: ReplyWaiter | undefined;
  private sink: SampleSink | undefined;
  private readonly taps = new Set<RowTap>();
  private wantStreaming = false;
  private internalStreaming = false;
  private pausing = false;
  private released = false;
  private link: CytonLinkState = 'closed';
  private recovering = false;
  private presenceCheck = false;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private opChain: Promise<unknown> = Promise.resolve();

  private lastByteMs = 0;
  private lastRowMs = 0;
  private resumeRequestedMs = 0;
  private chunkMs = 0;
  private outageLost = 0;
  private estimatedLost = 0;
  private estimatedGaps = 0;
  private outageText = '';
  private outageExplained = false;
  private disconnects = 0;
  private reconnects = 0;

  constructor(private readonly options: CytonDriverOptions) {
    this.board = options.board;
    this.binding = options.binding ?? defaultSerialBinding();
    this.timing = { ...CYTON_TIMING, ...options.timing };
    this.eegChannels = cytonEegChannels(options.board);
    this.descriptor = cytonDescriptor(options.board, { labels: options.labels });
    this.settings = Array.from({ length: this.eegChannels }, () => CYTON_DEFAULT_CHANNEL);
    this.parser = new CytonParser(
      { daisy: options.board === 'cyton-daisy' },
      {
        rows: (rows, n) => this.onRows(rows, n),
        lost: (n) => {
          this.discontinuities++;
          this.sink?.reportGap(n);
        },
        resumed: () => this.onResumed(),
        skipped: (byte) => this.onSkipped(byte),
      },
    );
  }

  // ---------------------------------------------------------------------------------------------
  // Public state

  /** What the handshake learnt; undefined before prepare(). */
  get info(): CytonBoardInfo | undefined {
    return this.boardInfo;
  }

  /** Things the user should know that are not errors (the latency timer). */
  get notices(): string[] {
    const m = this.boardInfo?.latencyTimer?.message;
    return m ? [m] : [];
  }

  get linkState(): CytonLinkState {
    return this.link;
  }

  /** Link state changes (for the status bar). Dispose to unsubscribe. */
  onLinkState(listener: (event: CytonLinkEvent) => void): Disposable {
    return this.linkEmitter.on(listener);
  }

  get streaming(): boolean {
    return this.wantStreaming;
  }

  /** The settings the board confirmed, channels 1..N in order. */
  get channelSettings(): readonly CytonChannelSettings[] {
    return this.settings.slice();
  }

  /** The descriptor with each channel's physical range following the gain the board confirmed (for recording headers). */
  get currentDescriptor(): BoardDescriptor {
    return cytonDescriptor(this.board, { gains: this.settings.map((s) => s.gain), labels: this.descriptor.channels.slice(0, cytonEegChannels(this.board)).map((c) => c.label) });
  }

  get stats(): CytonDriverStats {
    return {
      ...this.parser.stats,
      estimatedLostRows: this.estimatedLost,
      estimatedGaps: this.estimatedGaps,
      disconnects: this.disconnects,
      reconnects: this.reconnects,
    };
  }

  // ---------------------------------------------------------------------------------------------
  // BoardDriver

  async prepare(): Promise<void> {
    if (this.released) throw new Error('this Cyton driver was released: create a new one');
    if (this.conn) return;
    this.portPath = await resolveSerialPort(this.options.port, this.binding);
    const latencyTimer = this.options.latencyTimer === false ? undefined : checkLatencyTimer(this.portPath, this.options.latencyTimer);
    await this.openPort();
    // watch the device node (not on Windows, whose COM ports are not files, nor for ports that are
    // not files at all, such as MockBinding's)
    this.presenceCheck = process.platform !== 'win32' && existsSync(this.portPath);
    try {
      const banner = await this.handshake();
      this.boardInfo = { portPath: this.portPath, firmware: banner.firmware, daisyPresent: banner.daisy, banner: banner.text, latencyTimer };
    } catch (error) {
      const conn = this.currentConn();
      this.conn = undefined;
      await conn?.close();
      throw error;
    }
    this.setLink('connected', `connected to the ${this.descriptor.name} on ${this.portPath}`);
    this.startWatchdog();
  }

  start(sink: SampleSink): Promise<void> {
    return this.exclusive(async () => {
      this.requirePrepared();
      if (this.wantStreaming) return;
      this.sink = sink;
      this.wantStreaming = true;
      if (this.internalStreaming) return;
      if (!this.conn || this.link !== 'connected') return; // the recovery loop starts it
      await this.beginStreaming();
    });
  }

  stop(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.wantStreaming) return;
      this.wantStreaming = false;
      if (!this.internalStreaming) await this.endStreaming();
      this.sink = undefined;
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    await this.stop().catch(() => {});
    await this.exclusive(async () => {
      this.released = true;
      this.stopWatchdog();
      const conn = this.conn;
      this.conn = undefined;
      await conn?.close();
      this.setLink('closed', `closed ${this.portPath || 'the port'}`);
    });
  }

  /**
   * A text command (`?`, `x…X`, `d`, `z…Z`, …); returns the board's reply without `$$$`. While
   * streaming the stream is paused around it. Channel settings and `d` update the µV scaling.
   */
  configure(command: string): Promise<string> {
    const cmd = command.trim();
    if (cmd.length === 0) return Promise.reject(new Error('empty command'));
    if (cmd === CYTON_CMD_START || cmd === CYTON_CMD_STOP) {
      return Promise.reject(new Error(`"${cmd}" starts or stops the stream: use start / stop instead`));
    }
    if (cmd.startsWith('~')) {
      return Promise.reject(new Error('changing the Cyton sample rate is not supported: the workstation reads it at 250 Hz'));
    }
    if (/[cC]/.test(cmd[0]) && cmd.length === 1) {
      return Promise.reject(new Error(`"${cmd}" changes the channel count: choose the board (cyton or cyton-daisy) instead`));
    }
    return this.exclusive(async () => {
      this.requireConnected();
      if (cmd === CYTON_CMD_VERSION && this.wantStreaming) throw new Error('"v" resets the board: stop streaming first');
      const reply = await this.withStreamPaused(() => this.command(cmd, cmd === CYTON_CMD_REGISTERS ? 2 * this.timing.replyTimeoutMs : undefined));
      const failure = replyFailure(reply);
      if (!failure) {
        if (cmd === CYTON_CMD_DEFAULTS || cmd === CYTON_CMD_VERSION) this.applyDefaults();
        // a soft reset re-attaches the Daisy: detach it again when this driver reads 8 channels
        if (cmd === CYTON_CMD_VERSION && this.daisyDetached) await this.command(CYTON_CMD_DAISY_OFF);
        for (const { channel, settings } of parseChannelSettingsCommands(cmd)) {
          if (channel <= this.eegChannels) this.applySetting(channel, settings);
        }
      }
      return cleanReply(reply);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Board settings

  /** Changes one channel (1-based); the rest of its settings stay. Resolves with what the board took. */
  async setChannel(channel: number, change: Partial<CytonChannelSettings>): Promise<CytonChannelSettings> {
    const [applied] = await this.setChannels([{ channel, ...change }]);
    return applied;
  }

  /** Changes several channels in one pause of the stream. */
  async setChannels(changes: readonly ({ channel: number } & Partial<CytonChannelSettings>)[]): Promise<CytonChannelSettings[]> {
    const planned = changes.map(({ channel, ...change }) => {
      if (!Number.isInteger(channel) || channel < 1 || channel > this.eegChannels) {
        throw new RangeError(`channel must be 1..${this.eegChannels} on the ${this.descriptor.name} (got ${String(channel)})`);
      }
      const settings: CytonChannelSettings = { ...this.settings[channel - 1], ...change };
      return { channel, settings, command: channelSettingsCommand(channel, settings) };
    });
    return this.exclusive(async () => {
      this.requireConnected();
      await this.withStreamPaused(async () => {
        for (const p of planned) {
          const reply = await this.command(p.command);
          const failure = replyFailure(reply);
          if (failure) throw new Error(`the board refused channel ${p.channel} settings (${p.command}): ${failure}`);
          this.applySetting(p.channel, p.settings);
        }
      });
      return planned.map((p) => this.settings[p.channel - 1]);
    });
  }

  /** Every channel back to the board's defaults (`d`). */
  resetDefaults(): Promise<void> {
    return this.configure(CYTON_CMD_DEFAULTS).then(() => undefined);
  }

  /** The ADS1299 register dump (`?`), as text. */
  registerDump(): Promise<string> {
    return this.configure(CYTON_CMD_REGISTERS);
  }

  // ---------------------------------------------------------------------------------------------
  // Impedance

  /**
   * Measures each channel's electrode impedance with the lead-off test: `z CH 0 1 Z` (6 nA at
   * 31.25 Hz into the N input), settle, measure, `z CH 0 0 Z`. Works streaming or not; the board
   * streams again (or stays stopped) as before. Rows keep flowing to the sink meanwhile.
   */
  async measureImpedance(options: ImpedanceOptions = {}): Promise<ImpedanceReading[]> {
    const channels = options.channels ?? Array.from({ length: this.eegChannels }, (_, i) => i + 1);
    for (const c of channels) {
      if (!Number.isInteger(c) || c < 1 || c > this.eegChannels) throw new RangeError(`channel must be 1..${this.eegChannels} (got ${String(c)})`);
    }
    const rate = this.descriptor.sampleRateHz;
    const settleRows = Math.round((options.settleSec ?? 0.5) * rate);
    const measureRows = Math.max(8, Math.round((options.measureSec ?? 1.5) * rate));
    return this.exclusive(async () => {
      this.requireConnected();
      const wasStreaming = this.wantStreaming;
      if (!wasStreaming) {
        this.internalStreaming = true;
        await this.beginStreaming();
      }
      const readings: ImpedanceReading[] = [];
      let previous: number | undefined;
      try {
        for (const channel of channels) {
          throwIfAborted(options.signal);
          const commands = [];
          if (previous !== undefined) commands.push(impedanceCommand(previous, false, false));
          commands.push(impedanceCommand(channel, false, true));
          // the state wanted from now on (a reconnection restores it): this channel on, the last off
          this.leadOffDirty.add(channel);
          this.leadOffChannel = channel;
          await this.sendPaused(commands, previous);
          previous = channel;
          const data = await this.collectChannel(channel - 1, settleRows, measureRows, options.signal);
          const reading = measureImpedance(data, data.length, {
            channel,
            label: this.descriptor.channels[channel - 1].label,
            sampleRateHz: rate,
            fullScaleUv: fullScaleUv(this.settings[channel - 1].gain),
          });
          readings.push(reading);
          options.onReading?.(reading);
        }
        this.leadOffChannel = undefined;
        if (previous !== undefined) await this.sendPaused([impedanceCommand(previous, false, false)], previous);
        previous = undefined;
      } finally {
        this.leadOffChannel = undefined;
        if (previous !== undefined && this.conn && this.link === 'connected') {
          await this.sendPaused([impedanceCommand(previous, false, false)], previous).catch(() => {});
        }
        if (!wasStreaming) {
          this.internalStreaming = false;
          if (!this.wantStreaming) await this.endStreaming().catch(() => {});
        }
      }
      return readings;
    });
  }

  private async sendPaused(commands: string[], offChannel: number | undefined): Promise<void> {
    await this.withStreamPaused(async () => {
      for (const c of commands) {
        const reply = await this.command(c);
        const failure = replyFailure(reply);
        if (failure) throw new Error(`the board refused the impedance command ${c}: ${failure}`);
      }
    });
    if (offChannel !== undefined && offChannel !== this.leadOffChannel) this.leadOffDirty.delete(offChannel);
  }

  private collectChannel(index: number, settleRows: number, measureRows: number, signal: AbortSignal | undefined): Promise<Float64Array> {
    const width = this.parser.rowWidth;
    const data = new Float64Array(measureRows);
    const expectedMs = ((settleRows + measureRows) / this.descriptor.sampleRateHz) * 1000;
    return new Promise<Float64Array>((resolve, reject) => {
      let skipped = 0;
      let filled = 0;
      let epoch = this.discontinuities;
      const onAbort = () => done(new Error('the impedance test was cancelled'));
      const done = (error?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        this.taps.delete(tap);
        if (error) reject(error);
        else resolve(data);
      };
      const tap: RowTap = (rows, n) => {
        if (epoch !== this.discontinuities) {
          // the data broke off (a pause, a stall): the window must be contiguous, start again
          epoch = this.discontinuities;
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
        () => done(new Error(`no data from the board during the impedance test of channel ${index + 1} (link ${this.link})`)),
        2 * expectedMs + 3 * this.timing.silenceMs,
      );
      this.taps.add(tap);
      signal?.addEventListener('abort', onAbort, { once: true });
      if (signal?.aborted) onAbort();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake and text commands

  private async openPort(): Promise<void> {
    this.conn = await SerialConnection.open(
      this.binding,
      { path: this.portPath, baudRate: CYTON_BAUD_RATE },
      {
        onData: (chunk, atMs) => this.onData(chunk, atMs),
        onClose: (error) => this.onPortClosed(error),
      },
    );
    this.mode = 'text';
    this.lastByteMs = hostNowMs();
  }

  private async handshake(): Promise<CytonBanner> {
    const conn = this.conn!;
    await conn.write(CYTON_CMD_STOP);
    await this.waitQuiet(3 * this.timing.quietMs, 500);
    await conn.flush();
    this.reader.reset();
    let reply: string;
    try {
      reply = await this.command(CYTON_CMD_VERSION, this.timing.bannerTimeoutMs);
    } catch (error) {
      if (!(error instanceof ReplyTimeout)) throw error;
      const seconds = (this.timing.bannerTimeoutMs / 1000).toFixed(1);
      if (this.reader.receivedChars === 0) {
        throw new Error(
          `no reply from ${this.portPath} within ${seconds} s: it is not a Cyton dongle, or the dongle is in a bad state ` +
            '(unplug it and plug it in again; its switch must be on GPIO6)',
        );
      }
      throw new Error(
        `${this.portPath} answered but is not a Cyton (no $$$-terminated banner within ${seconds} s; got "${cleanReply(this.reader.partial).slice(0, 80)}")`,
      );
    }
    const banner = parseBanner(reply);
    if (banner.failure) throw new Error(`${UNREACHABLE} (the dongle on ${this.portPath} said "${banner.failure}")`);
    if (!banner.isCyton) throw new Error(`${this.portPath} answered but is not a Cyton (banner: "${banner.text.slice(0, 80)}")`);
    if (this.board === 'cyton-daisy' && !banner.daisy) {
      const r = await this.command(CYTON_CMD_DAISY_ON);
      if (/no daisy/i.test(r) || replyFailure(r)) {
        throw new Error(`no Daisy module answers on the Cyton at ${this.portPath}: choose the board "cyton", or seat the Daisy and power-cycle the board`);
      }
    } else if (this.board === 'cyton' && banner.daisy) {
      await this.command(CYTON_CMD_DAISY_OFF);
      this.daisyDetached = true;
    }
    const d = await this.command(CYTON_CMD_DEFAULTS);
    const failure = replyFailure(d);
    if (failure) throw new Error(isBoardUnreachable(failure) ? `${UNREACHABLE} (${failure})` : `the board refused the defaults command: ${failure}`);
    this.applyDefaults();
    return banner;
  }

  /** Sends a command (stream stopped) and resolves with its `$$$` reply. */
  private command(cmd: string, timeoutMs = this.timing.replyTimeoutMs): Promise<string> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new Error(`${this.portPath} is not open`));
    this.waiter?.reject(new Error('superseded'));
    this.reader.reset();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiter === waiter) this.waiter = undefined;
        reject(new ReplyTimeout(`no reply to "${cmd}" from ${this.portPath} within ${(timeoutMs / 1000).toFixed(1)} s`));
      }, timeoutMs);
      const waiter: ReplyWaiter = {
        resolve: (text) => {
          clearTimeout(timer);
          const failure = replyFailure(text);
          if (failure && isBoardUnreachable(failure)) reject(new Error(`${UNREACHABLE} (the dongle on ${this.portPath} said "${failure}")`));
          else resolve(text);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiter = waiter;
      conn.write(cmd).catch((error: unknown) => {
        if (this.waiter === waiter) this.waiter = undefined;
        waiter.reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  /** Runs `fn` with the stream stopped (pausing and resuming it when it runs). */
  private async withStreamPaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.mode !== 'stream') return fn();
    this.pausing = true;
    try {
      await this.conn!.write(CYTON_CMD_STOP);
      await this.waitQuiet(this.timing.quietMs, 500);
      this.parser.flush();
      this.mode = 'text';
      try {
        return await fn();
      } finally {
        if (this.conn && this.link === 'connected') {
          this.parser.markDiscontinuity();
          this.mode = 'stream';
          this.resumeRequestedMs = hostNowMs();
          await this.conn.write(CYTON_CMD_START);
        }
      }
    } finally {
      this.pausing = false;
    }
  }

  private async beginStreaming(): Promise<void> {
    this.parser.resetSequence();
    this.mode = 'stream';
    const now = hostNowMs();
    this.lastRowMs = now;
    this.resumeRequestedMs = now;
    await this.conn!.write(CYTON_CMD_START);
  }

  private async endStreaming(): Promise<void> {
    const conn = this.conn;
    if (conn && this.mode === 'stream') {
      this.pausing = true;
      try {
        await conn.write(CYTON_CMD_STOP).catch(() => {});
        await this.waitQuiet(this.timing.quietMs, 500);
      } finally {
        this.pausing = false;
      }
    }
    this.parser.flush();
    this.mode = 'text';
  }

  /** Resolves once no byte arrived for `quietMs` (or after `maxMs`). Bytes keep their usual route. */
  private async waitQuiet(quietMs: number, maxMs: number): Promise<void> {
    const start = hostNowMs();
    this.lastByteMs = Math.max(this.lastByteMs, start);
    for (;;) {
      const now = hostNowMs();
      const quietFor = now - this.lastByteMs;
      if (quietFor >= quietMs || now - start >= maxMs || !this.conn) return;
      await sleep(Math.max(1, quietMs - quietFor));
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Data path

  /**
   * Every byte goes through the packet parser, in text mode too (packets still in flight after `s`
   * are data, not noise); the bytes it skips while a reply is awaited are the reply's text.
   */
  private onData(chunk: Uint8Array, atMs: number): void {
    this.lastByteMs = atMs;
    this.chunkMs = atMs;
    if (this.mode === 'stream' && !this.parser.discontinuityPending && atMs - Math.max(this.lastRowMs, this.resumeRequestedMs) > this.timing.discontinuityMs) {
      this.parser.markDiscontinuity();
    }
    this.parser.push(chunk);
    if (this.mode === 'text' && this.waiter && this.parser.pendingBytes > 0) this.schedulePendingCheck();
    this.deliverText();
  }

  /** Text held behind a stray 0xA0 (see CytonParser.skipPending) is released once the line is quiet. */
  private schedulePendingCheck(): void {
    const seen = this.lastByteMs;
    setTimeout(() => {
      if (this.lastByteMs !== seen || this.mode !== 'text' || !this.waiter) return;
      while (this.parser.pendingBytes > 0) this.parser.skipPending();
      this.deliverText();
    }, 20).unref?.();
  }

  private deliverText(): void {
    if (this.textLength === 0) return;
    const replies = this.reader.push(this.textBytes.subarray(0, this.textLength));
    this.textLength = 0;
    if (replies.length > 0 && this.waiter) {
      const w = this.waiter;
      this.waiter = undefined;
      w.resolve(replies[0]);
    }
  }

  private onSkipped(byte: number): void {
    if (this.link === 'disconnected' || this.link === 'reconnecting') this.watchOutageText(byte);
    if (this.mode !== 'text') return;
    if (this.textLength === this.textBytes.length) {
      const bigger = new Uint8Array(this.textBytes.length * 2);
      bigger.set(this.textBytes);
      this.textBytes = bigger;
    }
    this.textBytes[this.textLength++] = byte;
  }

  private onRows(rows: Float64Array, n: number): void {
    this.lastRowMs = this.chunkMs;
    if (this.link === 'disconnected' || this.link === 'reconnecting') {
      const lost = this.outageLost;
      this.outageLost = 0;
      this.reconnects++;
      this.setLink('connected', `the ${this.descriptor.name} is back on ${this.portPath}; about ${lost} samples were lost`, lost);
    }
    this.sink?.pushRows(rows, n);
    for (const tap of this.taps) tap(rows, n);
  }

  /** The first packet after a discontinuity: pass on the span it left, estimated from host time. */
  private onResumed(): void {
    this.discontinuities++;
    this.estimatedGaps++;
    const reference = Math.max(this.lastRowMs, 0);
    const lost = reference > 0 ? Math.max(0, Math.round(((this.chunkMs - reference) * this.descriptor.sampleRateHz) / 1000) - 1) : 0;
    if (lost > 0) {
      this.estimatedLost += lost;
      this.outageLost += lost;
      this.sink?.reportGap(lost);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // A flaky link

  private startWatchdog(): void {
    if (this.watchdog) return;
    const period = Math.max(10, Math.min(100, this.timing.silenceMs / 5));
    this.watchdog = setInterval(() => this.checkSilence(), period);
    this.watchdog.unref?.();
  }

  private stopWatchdog(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  private checkSilence(): void {
    // a port whose device node is gone (dongle unplugged) may leave its read waiting forever
    if (this.conn && this.presenceCheck && !existsSync(this.portPath)) {
      this.conn.abandon(new Error(`${this.portPath} no longer exists`));
      return;
    }
    if (this.link !== 'connected' || this.mode !== 'stream' || this.pausing) return;
    if (!(this.wantStreaming || this.internalStreaming)) return;
    const silentMs = hostNowMs() - Math.max(this.lastRowMs, this.resumeRequestedMs);
    if (silentMs <= this.timing.silenceMs) return;
    this.disconnected(
      `no data from the ${this.descriptor.name} on ${this.portPath} for ${(silentMs / 1000).toFixed(1)} s ` +
        '(board off, out of range or battery low?): retrying',
    );
  }

  private onPortClosed(error: Error | undefined): void {
    this.conn = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(new Error(`${this.portPath} went away${error ? ` (${error.message})` : ''}`));
    if (error === undefined || this.released) return;
    this.disconnected(
      `the serial port ${this.portPath} went away (${error.message}): is the dongle unplugged? ` +
        `retrying every ${(this.timing.retryMs / 1000).toFixed(1)} s`,
    );
  }

  private disconnected(message: string): void {
    if (this.released) return;
    if (this.link !== 'disconnected' && this.link !== 'reconnecting') {
      this.disconnects++;
      this.outageLost = 0;
      this.outageText = '';
      this.outageExplained = false;
      this.parser.markDiscontinuity();
      this.setLink('disconnected', message);
      this.sink?.reportError(message);
    }
    void this.recover();
  }

  /** Retries until rows flow again (streaming) or the board answers (idle), or release(). */
  private async recover(): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    let lastOpenError = '';
    try {
      while (!this.released && this.link !== 'connected' && this.link !== 'closed') {
        if (!this.conn) {
          try {
            await this.openPort();
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (error instanceof SerialOpenError && error.problem !== 'missing' && message !== lastOpenError) {
              this.sink?.reportError(message);
            }
            lastOpenError = message;
            await sleep(this.timing.retryMs);
            continue;
          }
          if (this.released) {
            await this.currentConn()?.close();
            return;
          }
        }
        this.setLink('reconnecting', `restarting the ${this.descriptor.name} on ${this.portPath}`);
        const ok = await this.restartBoard();
        if (!(this.wantStreaming || this.internalStreaming)) {
          if (ok) {
            this.reconnects++;
            this.setLink('connected', `the ${this.descriptor.name} answers again on ${this.portPath}`);
            break;
          }
          await sleep(this.timing.retryMs);
          continue;
        }
        const deadline = hostNowMs() + this.timing.retryMs;
        while (hostNowMs() < deadline && this.currentLink() !== 'connected' && this.currentConn() && !this.released) await sleep(10);
      }
    } finally {
      this.recovering = false;
    }
  }

  /** Stop, re-send what differs from the defaults, and start again when streaming. False when the board did not answer. */
  private async restartBoard(): Promise<boolean> {
    const conn = this.conn;
    if (!conn) return false;
    try {
      this.mode = 'text';
      await conn.write(CYTON_CMD_STOP);
      await this.waitQuiet(this.timing.quietMs, 200);
      const commands: string[] = [];
      if (this.daisyDetached) commands.push(CYTON_CMD_DAISY_OFF);
      this.settings.forEach((s, i) => {
        if (!sameSettings(s, CYTON_DEFAULT_CHANNEL)) commands.push(channelSettingsCommand(i + 1, s));
      });
      for (const c of this.leadOffDirty) if (c !== this.leadOffChannel) commands.push(impedanceCommand(c, false, false));
      if (this.leadOffChannel !== undefined) commands.push(impedanceCommand(this.leadOffChannel, false, true));
      const replyMs = Math.min(this.timing.replyTimeoutMs, this.timing.retryMs);
      for (const c of commands) {
        const reply = await this.command(c, replyMs);
        if (replyFailure(reply)) return false;
      }
      for (const c of [...this.leadOffDirty]) if (c !== this.leadOffChannel) this.leadOffDirty.delete(c);
      if (this.wantStreaming || this.internalStreaming) {
        this.parser.markDiscontinuity();
        this.mode = 'stream';
        this.resumeRequestedMs = hostNowMs();
        await conn.write(CYTON_CMD_START);
      } else if (commands.length === 0) {
        // nothing to re-send: ask for the defaults to learn that the board answers
        const reply = await this.command(CYTON_CMD_DEFAULTS, replyMs);
        if (replyFailure(reply)) return false;
        this.applyDefaults();
      }
      return true;
    } catch {
      return false;
    }
  }

  /** While the link is down, the dongle's own `Failure: …$$$` says why: pass it on once per outage. */
  private watchOutageText(byte: number): void {
    this.outageText = (this.outageText + String.fromCharCode(byte)).slice(-96);
    if (byte !== 0x24 || this.outageExplained || !this.outageText.endsWith('$$$')) return;
    const failure = replyFailure(this.outageText);
    if (failure && isBoardUnreachable(failure)) {
      this.outageExplained = true;
      this.sink?.reportError(`${UNREACHABLE} (the dongle on ${this.portPath} said "${failure}")`);
    }
  }

  private setLink(state: CytonLinkState, message: string, lostSamples?: number): void {
    if (state === this.link && state === 'reconnecting') return;
    this.link = state;
    this.linkEmitter.fire({ state, message, lostSamples, atMs: hostNowMs() });
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  /** Reads that TypeScript must not narrow across awaits. */
  private currentConn(): SerialConnection | undefined {
    return this.conn;
  }

  private currentLink(): CytonLinkState {
    return this.link;
  }

  private applyDefaults(): void {
    for (let c = 1; c <= this.eegChannels; c++) this.applySetting(c, CYTON_DEFAULT_CHANNEL);
  }

  private applySetting(channel: number, settings: CytonChannelSettings): void {
    this.settings[channel - 1] = settings;
    this.parser.setGain(channel - 1, settings.gain);
  }

  private requirePrepared(): void {
    if (this.released) throw new Error('this Cyton driver was released');
    if (!this.boardInfo) throw new Error('the Cyton is not prepared: call prepare() first');
  }

  private requireConnected(): void {
    this.requirePrepared();
    if (!this.conn || this.link !== 'connected') {
      throw new Error(`the ${this.descriptor.name} is ${this.link} (${this.portPath}): try again when the link is back`);
    }
  }

  /** Runs operations one at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.opChain.then(fn, fn);
    this.opChain = run.catch(() => {});
    return run;
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new Error('the impedance test was cancelled');
}

class ReplyTimeout extends Error {
  override name = 'ReplyTimeout';
}

function sameSettings(a: CytonChannelSettings, b: CytonChannelSettings): boolean {
  return a.powerOn === b.powerOn && a.gain === b.gain && a.input === b.input && a.bias === b.bias && a.srb2 === b.srb2 && a.srb1 === b.srb1;
}

/** A Cyton or Cyton + Daisy driver from board options (`port` defaults to `auto`). */
export function createCytonDriver(options: { board: CytonBoardId; port?: string } & Omit<Partial<CytonDriverOptions>, 'board' | 'port'>): CytonDriver {
  return new CytonDriver({ ...options, board: options.board, port: options.port ?? 'auto' });
}
