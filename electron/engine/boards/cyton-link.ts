// The Cyton's serial link: the open port, text or stream mode, the reply waiter and the sending of
// text commands, and the data path from serial bytes through the packet parser to rows. It knows
// nothing of link states, reconnections or impedance: it reports rows, lost rows, stray bytes and
// the port closing to its listener (the driver), which decides what they mean.
//
// Every byte goes through the packet parser, also while a text reply is awaited: packets still in
// flight after `s` are data and reach the listener; the bytes the parser skips are the reply's text.
//
// Commands while streaming: the firmware does not answer while it streams, so withStreamPaused()
// sends `s`, waits until the line is quiet (the packets still in flight are delivered), runs the
// command(s) and starts again (`b`) when the owner allows it. The pause is a discontinuity: the
// first packet after it reports the span it left, estimated from host time × rate (the 1-byte
// counter cannot tell), as lost rows. Any silence over `discontinuityMs` is handled that way, so
// counter gaps never wrap.
//
// Rate guard: rows cannot come faster than the board makes them. A token bucket refilled at 1.25 ×
// the rate (clock drift and USB bursts), holding 1 s (a backlog after a hiccup), admits rows; rows
// beyond it are a flood (a port that is not the dongle, a runaway device): not data. They are
// counted (floodRows) and reported once per episode (listener.fault), never passed on.

import {
  CYTON_BAUD_RATE,
  CYTON_CMD_START,
  CYTON_CMD_STOP,
  CytonParser,
  CytonReplyReader,
  isBoardUnreachable,
  replyFailure,
  type CytonParserStats,
} from '../../common/boards/cyton-protocol.js';
import type { SerialBinding } from '../serial/binding.js';
import { SerialConnection } from '../serial/connection.js';

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

/** What the dongle's `Failure: …` means, in words. */
export const CYTON_UNREACHABLE = 'the dongle cannot reach the board: is it switched on and on the same radio channel?';

/** No `$$$` reply within the time allowed. */
export class ReplyTimeout extends Error {
  override name = 'ReplyTimeout';
}

export interface CytonLinkListener {
  /** Rows parsed from packets, interleaved; the array is reused after the call. */
  rows(rows: Float64Array, rowCount: number): void;
  /** Rows lost: counted from the sample counter, or (estimated) from host time after a discontinuity. */
  lost(rowCount: number, estimated: boolean): void;
  /** A byte outside any packet (text replies, the dongle's `Failure: …`, noise). */
  skipped(byte: number): void;
  /** The port closed: `error` when it vanished or failed, undefined after close(). */
  closed(error: Error | undefined): void;
  /** A fault in the data itself (a flood far above the board's rate), in words; once per episode. */
  fault?(message: string): void;
}

export interface CytonLinkOptions {
  readonly binding: SerialBinding;
  readonly timing: CytonTiming;
  readonly daisy: boolean;
  readonly sampleRateHz: number;
  readonly listener: CytonLinkListener;
  /** After a pause for a command: whether the stream may start again (the link is up). */
  readonly mayResume: () => boolean;
}

export interface CytonLinkStats extends CytonParserStats {
  /** Rows passed on as lost because of discontinuities (pauses, stalls, reconnections), estimated. */
  readonly estimatedLostRows: number;
  /** Discontinuities whose span was estimated from host time (pauses for commands, outages). */
  readonly estimatedGaps: number;
  /** Rows refused because they came far faster than the board's rate (a flood). */
  readonly floodRows: number;
  /** Flood episodes. */
  readonly floods: number;
}

/** The rate guard's tolerance above the nominal rate, and the backlog it admits at once (s). */
const FLOOD_RATE_FACTOR = 1.25;
const FLOOD_BURST_SEC = 1;

interface ReplyWaiter {
  resolve(text: string): void;
  reject(error: Error): void;
}

const hostNowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class CytonLink {
  private readonly parser: CytonParser;
  private readonly reader = new CytonReplyReader();
  private readonly timing: CytonTiming;
  private readonly listener: CytonLinkListener;

  private conn: SerialConnection | undefined;
  private path = '';
  private currentMode: 'text' | 'stream' = 'text';
  private waiter: ReplyWaiter | undefined;
  private pausingNow = false;
  /** Bytes the parser skipped while a reply is awaited: the reply's text. */
  private textBytes = new Uint8Array(4096);
  private textLength = 0;

  private lastByteMs = 0;
  private lastRowMs = 0;
  private resumeRequestedMs = 0;
  private chunkMs = 0;
  private discontinuityCount = 0;
  private estimatedLost = 0;
  private estimatedGaps = 0;
  private floodTokens = 0;
  private floodRefillMs = 0;
  private floodRows = 0;
  private floods = 0;
  private flooding = false;

  constructor(private readonly options: CytonLinkOptions) {
    this.timing = options.timing;
    this.listener = options.listener;
    this.parser = new CytonParser(
      { daisy: options.daisy },
      {
        rows: (rows, n) => {
          this.lastRowMs = this.chunkMs;
          const admitted = this.admit(n);
          if (admitted > 0) this.listener.rows(rows, admitted);
        },
        lost: (n) => {
          this.discontinuityCount++;
          // during a flood the counter jumps between the flood's packets and the board's: not losses
          if (this.flooding) return;
          this.listener.lost(n, false);
        },
        resumed: () => this.onResumed(),
        skipped: (byte) => this.onSkipped(byte),
      },
    );
  }

  // ---------------------------------------------------------------------------------------------
  // State

  get portPath(): string {
    return this.path;
  }

  get isOpen(): boolean {
    return this.conn !== undefined;
  }

  get mode(): 'text' | 'stream' {
    return this.currentMode;
  }

  /** A stop is on its way (the silence that follows is not an outage). */
  get pausing(): boolean {
    return this.pausingNow;
  }

  /** Bumped at every discontinuity (lost rows or a pause): a window of rows that must be contiguous starts again. */
  get discontinuities(): number {
    return this.discontinuityCount;
  }

  /** Values per row (EEG channels + accelerometer). */
  get rowWidth(): number {
    return this.parser.rowWidth;
  }

  get stats(): CytonLinkStats {
    return { ...this.parser.stats, estimatedLostRows: this.estimatedLost, estimatedGaps: this.estimatedGaps, floodRows: this.floodRows, floods: this.floods };
  }

  /** Characters received since the last command was sent, and the text not yet ended by `$$$`. */
  get replyProgress(): { readonly receivedChars: number; readonly partial: string } {
    return { receivedChars: this.reader.receivedChars, partial: this.reader.partial };
  }

  /** The µV scale of a 0-based channel follows the gain the board confirmed. */
  setGain(index: number, gain: number): void {
    this.parser.setGain(index, gain);
  }

  /** How long no row came while streaming (from the last row or the last `b`, whichever is later). */
  silentForMs(nowMs: number): number {
    return nowMs - Math.max(this.lastRowMs, this.resumeRequestedMs);
  }

  /** Rows of a batch the rate guard admits (the first ones); the rest are counted as a flood. */
  private admit(rowCount: number): number {
    const rate = this.options.sampleRateHz;
    const capacity = rate * FLOOD_BURST_SEC;
    const now = this.chunkMs;
    if (this.floodRefillMs === 0) this.floodTokens = capacity;
    else this.floodTokens = Math.min(capacity, this.floodTokens + ((now - this.floodRefillMs) * rate * FLOOD_RATE_FACTOR) / 1000);
    this.floodRefillMs = now;
    const admitted = Math.min(rowCount, Math.floor(this.floodTokens));
    this.floodTokens -= admitted;
    const refused = rowCount - admitted;
    if (refused > 0) {
      this.floodRows += refused;
      if (!this.flooding) {
        this.flooding = true;
        this.floods++;
        this.discontinuityCount++;
        this.listener.fault?.(
          `${this.path} sends samples far faster than the board's ${rate} Hz: the excess is not data and is refused ` +
            '(is this port the OpenBCI dongle, and the board set to its usual rate?)',
        );
      }
    } else if (this.flooding && this.floodTokens >= capacity / 2) {
      this.flooding = false; // a calm second: the next flood is a new episode
    }
    return admitted;
  }

  /**
   * The data stopped for good (an outage still open when the stream is stopped): the span since
   * the last row, estimated from host time, in rows (0 when rows were flowing).
   */
  closeOpenOutage(nowMs: number): number {
    const reference = this.lastRowMs;
    if (reference <= 0) return 0;
    const lost = Math.max(0, Math.round(((nowMs - reference) * this.options.sampleRateHz) / 1000) - 1);
    this.lastRowMs = nowMs;
    if (lost > 0) {
      this.estimatedLost += lost;
      this.estimatedGaps++;
      this.discontinuityCount++;
    }
    return lost;
  }

  // ---------------------------------------------------------------------------------------------
  // The port

  /** Opens `path` at 115200 8N1 in text mode. */
  async open(path: string): Promise<void> {
    this.path = path;
    this.conn = await SerialConnection.open(
      this.options.binding,
      { path, baudRate: CYTON_BAUD_RATE },
      {
        onData: (chunk, atMs) => this.onData(chunk, atMs),
        onClose: (error) => this.onClosed(error),
      },
    );
    this.currentMode = 'text';
    this.lastByteMs = hostNowMs();
  }

  /** Closes the port on purpose (the listener hears `closed(undefined)`). */
  async close(): Promise<void> {
    const conn = this.conn;
    this.conn = undefined;
    await conn?.close();
  }

  /** Gives up on a port whose device is gone (its read may never fail by itself). */
  abandon(error: Error): void {
    this.conn?.abandon(error);
  }

  /** Discards what the OS holds in its input buffer. */
  async flushInput(): Promise<void> {
    await this.requireConn().flush();
  }

  write(command: string): Promise<void> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new Error(`${this.path} is not open`));
    return conn.write(command);
  }

  // ---------------------------------------------------------------------------------------------
  // Text commands

  /** Sends a command (stream stopped) and resolves with its `$$$` reply. */
  command(cmd: string, timeoutMs = this.timing.replyTimeoutMs): Promise<string> {
    const conn = this.conn;
    if (!conn) return Promise.reject(new Error(`${this.path} is not open`));
    this.waiter?.reject(new Error('superseded'));
    this.reader.reset();
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.waiter === waiter) this.waiter = undefined;
        reject(new ReplyTimeout(`no reply to "${cmd}" from ${this.path} within ${(timeoutMs / 1000).toFixed(1)} s`));
      }, timeoutMs);
      const waiter: ReplyWaiter = {
        resolve: (text) => {
          clearTimeout(timer);
          const failure = replyFailure(text);
          if (failure && isBoardUnreachable(failure)) reject(new Error(`${CYTON_UNREACHABLE} (the dongle on ${this.path} said "${failure}")`));
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

  /** Runs `fn` with the stream stopped (pausing it, and resuming it when the owner allows, when it runs). */
  async withStreamPaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.currentMode !== 'stream') return fn();
    this.pausingNow = true;
    try {
      await this.requireConn().write(CYTON_CMD_STOP);
      await this.waitQuiet(this.timing.quietMs, 500);
      this.parser.drainPending();
      this.parser.flush();
      this.currentMode = 'text';
      try {
        return await fn();
      } finally {
        if (this.conn && this.options.mayResume()) await this.resume();
      }
    } finally {
      this.pausingNow = false;
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Stream mode

  /** `b`: a new stream (its first packet starts a new sequence, no gap reported). */
  async beginStreaming(): Promise<void> {
    this.parser.resetSequence();
    this.floodRefillMs = 0;
    this.currentMode = 'stream';
    const now = hostNowMs();
    this.lastRowMs = now;
    this.resumeRequestedMs = now;
    await this.requireConn().write(CYTON_CMD_START);
  }

  /** `b` after a pause or a restart: the span since the last row is reported as estimated lost rows. */
  async resume(): Promise<void> {
    this.parser.markDiscontinuity();
    this.currentMode = 'stream';
    this.resumeRequestedMs = hostNowMs();
    await this.requireConn().write(CYTON_CMD_START);
  }

  /** `s` and wait for the packets in flight: text mode. */
  async endStreaming(): Promise<void> {
    const conn = this.conn;
    if (conn && this.currentMode === 'stream') {
      this.pausingNow = true;
      try {
        await conn.write(CYTON_CMD_STOP).catch(() => {});
        await this.waitQuiet(this.timing.quietMs, 500);
      } finally {
        this.pausingNow = false;
      }
      this.parser.drainPending();
    }
    this.parser.flush();
    this.currentMode = 'text';
  }

  /** `s` whatever the board is doing (restarting it after an outage): text mode once the line is quiet. */
  async halt(): Promise<void> {
    this.currentMode = 'text';
    await this.write(CYTON_CMD_STOP);
    await this.waitQuiet(this.timing.quietMs, 200);
  }

  /** The data broke off (an outage): the next packet reports the span from host time. */
  markDiscontinuity(): void {
    this.parser.markDiscontinuity();
  }

  /** Resolves once no byte arrived for `quietMs` (or after `maxMs`). Bytes keep their usual route. */
  async waitQuiet(quietMs: number, maxMs: number): Promise<void> {
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
    if (this.currentMode === 'stream' && !this.parser.discontinuityPending && this.silentForMs(atMs) > this.timing.discontinuityMs) {
      this.parser.markDiscontinuity();
    }
    this.parser.push(chunk);
    if (this.currentMode === 'text' && this.waiter && this.parser.pendingBytes > 0) this.schedulePendingCheck();
    this.deliverText();
  }

  /** Text held behind a stray 0xA0 (see CytonParser.skipPending) is released once the line is quiet. */
  private schedulePendingCheck(): void {
    const seen = this.lastByteMs;
    setTimeout(() => {
      if (this.lastByteMs !== seen || this.currentMode !== 'text' || !this.waiter) return;
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
    this.listener.skipped(byte);
    if (this.currentMode !== 'text') return;
    if (this.textLength === this.textBytes.length) {
      const bigger = new Uint8Array(this.textBytes.length * 2);
      bigger.set(this.textBytes);
      this.textBytes = bigger;
    }
    this.textBytes[this.textLength++] = byte;
  }

  /** The first packet after a discontinuity: pass on the span it left, estimated from host time. */
  private onResumed(): void {
    this.discontinuityCount++;
    this.estimatedGaps++;
    const reference = Math.max(this.lastRowMs, 0);
    const lost = reference > 0 ? Math.max(0, Math.round(((this.chunkMs - reference) * this.options.sampleRateHz) / 1000) - 1) : 0;
    if (lost > 0) {
      this.estimatedLost += lost;
      this.listener.lost(lost, true);
    }
  }

  private onClosed(error: Error | undefined): void {
    this.conn = undefined;
    const w = this.waiter;
    this.waiter = undefined;
    w?.reject(new Error(`${this.path} went away${error ? ` (${error.message})` : ''}`));
    this.listener.closed(error);
  }

  private requireConn(): SerialConnection {
    if (!this.conn) throw new Error(`${this.path} is not open`);
    return this.conn;
  }
}
