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
// first packet after it reports the span it left, estimated from host time × rate (the board's
// counter may start again at `b`), as lost rows. Any silence over `discontinuityMs` is a
// discontinuity too, so counter gaps never wrap unseen; there the board's counter went on, and
// the loss is the counter's (exact modulo its wrap of 256 packets, ~1 s), with host time only
// choosing how many wraps. Host time must be the line's, not the host's own: when this process
// stalls (a loaded machine, a long GC), the board's packets wait in the OS buffer and arrive
// late, all at once; taking the late arrival for a silence counted the backlog twice (lost,
// then received). The driver's watchdog ticks (hostTick) show when the host itself was not
// running: the line is only known silent up to then, a tick that comes late gives no verdict.
// When the host stalled longer than the counter's wrap, the counter fits two spans (the packets
// waited in the OS buffer, or they were lost there): the rows after the silence are then held for
// RESUME_HOLD_MS, and the arrivals say which (a backlog arrives faster than the board makes it).
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

/** The watchdog's period (the driver checks the link this often); a tick later than this plus STALL_SLACK_MS means the host stalled. */
export function watchdogPeriodMs(timing: CytonTiming): number {
  return Math.max(10, Math.min(100, timing.silenceMs / 5));
}
const STALL_SLACK_MS = 100;
/** A sleep in waitQuiet later than this past its time: the process was not listening (a host stall). */
const QUIET_OVERRUN_MS = 10;
/** waitQuiet's cap, stretched by stalls, never beyond this many times itself in time awake. */
const QUIET_HARD_CAP = 4;
/** How far host time may be off when it picks the counter's wraps (delivery jitter, the last row's own delay). */
const COUNTER_FIT_SEC = 0.2;
/** An ambiguous resume (see above) holds rows this long, and at most RESUME_HOLD_MAX_SEC of them. */
const RESUME_HOLD_MS = 120;
const RESUME_HOLD_MAX_SEC = 4;

/** A resume whose span the counter leaves open (n or n + 256 …): rows held until arrivals tell. */
interface PendingResume {
  readonly counterRows: number;
  readonly wrapRows: number;
  readonly minWraps: number;
  readonly maxWraps: number;
  /** Host time since the last row at the resume, in rows (includes any backlog's delay). */
  readonly hostRows: number;
  readonly atMs: number;
  /** Rows held, and in order: > 0 a batch of rows, < 0 rows lost by the counter. */
  rowCount: number;
  readonly events: number[];
  /** Board packets (rows) spanned since the resume: held rows and counted losses. */
  spanned: number;
  /** The most they ran ahead of the board's rate since the resume: the backlog. */
  backlogRows: number;
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
  /** The last watchdog tick, and since when the host did not run (a late tick), 0: no stall since the last row. */
  private lastTickMs = 0;
  private stalledSinceMs = 0;
  private stallEndMs = 0;
  /** At a silence: until when a running host saw the line silent. */
  private silentUntilMs = 0;
  private pending: PendingResume | undefined;
  private holdRows: Float64Array | undefined;

  constructor(private readonly options: CytonLinkOptions) {
    this.timing = options.timing;
    this.listener = options.listener;
    this.parser = new CytonParser(
      { daisy: options.daisy },
      {
        rows: (rows, n) => {
          this.lastRowMs = this.chunkMs;
          this.stalledSinceMs = 0;
          if (this.pending) this.hold(rows, n);
          else this.passRows(rows, n);
        },
        lost: (n) => {
          this.discontinuityCount++;
          // during a flood the counter jumps between the flood's packets and the board's: not losses
          if (this.flooding) return;
          if (this.pending) {
            this.pending.events.push(-n);
            this.spanned(n);
            return;
          }
          this.listener.lost(n, false);
        },
        resumed: (counterRows, wrapRows) => this.onResumed(counterRows, wrapRows),
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

  /**
   * The driver's watchdog ticked (every watchdogPeriodMs). Returns false when the tick came late:
   * the host itself was not running, so a silence it measures now may be its own, not the line's.
   */
  hostTick(nowMs: number): boolean {
    const late = this.lastTickMs > 0 && nowMs - this.lastTickMs > watchdogPeriodMs(this.timing) + STALL_SLACK_MS;
    if (late) this.noteStall(this.lastTickMs, nowMs);
    this.lastTickMs = nowMs;
    if (this.pending && nowMs - this.pending.atMs >= RESUME_HOLD_MS) this.settleResume();
    return !late;
  }

  /** The host did not run from `sinceMs` to `untilMs` (the first such span since the last row is kept). */
  private noteStall(sinceMs: number, untilMs: number): void {
    if (this.stalledSinceMs === 0) this.stalledSinceMs = sinceMs;
    this.stallEndMs = Math.max(this.stallEndMs, untilMs);
  }

  /**
   * How long a running host has seen no row while streaming: silentForMs without the span the
   * host itself stalled through (the board's packets of that span may be waiting to be read).
   */
  awakeSilentForMs(nowMs: number): number {
    const from = Math.max(this.lastRowMs, this.resumeRequestedMs);
    const slept = this.stalledSinceMs > 0 ? Math.max(0, Math.min(this.stallEndMs, nowMs) - Math.max(this.stalledSinceMs, from)) : 0;
    return nowMs - from - slept;
  }

  /** Rows of a batch the rate guard admits (the first ones); the rest are counted as a flood. */
  private admit(rowCount: number): number {
    const rate = this.options.sampleRateHz;
    const now = this.chunkMs;
    const refill = ((now - this.floodRefillMs) * rate * FLOOD_RATE_FACTOR) / 1000;
    // the bucket holds a second, or all the board could make since the last rows (a backlog after a host stall)
    const capacity = Math.max(rate * FLOOD_BURST_SEC, refill);
    // (an allowance above a second is kept until used: a backlog comes in several batches)
    if (this.floodRefillMs === 0) this.floodTokens = rate * FLOOD_BURST_SEC;
    else this.floodTokens = Math.min(Math.max(capacity, this.floodTokens), this.floodTokens + refill);
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
    this.settleResume();
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
    this.settleResume();
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
      this.settleResume();
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
    this.settleResume();
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
    this.settleResume();
    this.currentMode = 'text';
  }

  /** `s` whatever the board is doing (restarting it after an outage): text mode once the line is quiet. */
  async halt(): Promise<void> {
    this.currentMode = 'text';
    await this.write(CYTON_CMD_STOP);
    await this.waitQuiet(this.timing.quietMs, 200);
  }

  /** The data broke off (an outage seen by the watchdog): the next packet reports the span, from the counter where it went on. */
  markDiscontinuity(): void {
    this.markSilence(hostNowMs());
  }

  /** A silence while streaming, noticed at `atMs`: the board's counter goes on through it. */
  private markSilence(atMs: number): void {
    this.settleResume();
    this.silentUntilMs = this.stalledSinceMs > 0 ? Math.max(this.stalledSinceMs, this.lastRowMs) : atMs;
    this.parser.markDiscontinuity({ counterContinues: true });
  }

  /**
   * Resolves once the line was heard quiet for `quietMs` (or after `maxMs`). Bytes keep their usual
   * route. Quiet counts only while this process was awake to hear it: after a sleep that overran (a
   * host stall), bytes sent meanwhile still wait in the OS buffer, and after a stall Node runs its
   * timers before it reads them. So the quiet window starts again at the wake-up, and the cap never
   * ends the wait right after a stall (the packets still in flight after `s` are data).
   */
  async waitQuiet(quietMs: number, maxMs: number): Promise<void> {
    const start = hostNowMs();
    let hearingSince = start;
    /** Time spent listening (a stall counts only up to the sleep it overran): what the hard cap counts. */
    let awakeMs = 0;
    this.lastByteMs = Math.max(this.lastByteMs, start);
    for (;;) {
      const now = hostNowMs();
      const quietFor = now - Math.max(this.lastByteMs, hearingSince);
      if (quietFor >= quietMs || !this.conn) return;
      if (now - start >= maxMs && (now - hearingSince >= quietMs || awakeMs >= QUIET_HARD_CAP * maxMs)) return;
      const waitMs = Math.max(1, quietMs - quietFor);
      await sleep(waitMs);
      const woke = hostNowMs();
      awakeMs += Math.min(woke - now, waitMs + QUIET_OVERRUN_MS);
      if (woke - now > waitMs + QUIET_OVERRUN_MS) hearingSince = woke;
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
    // the watchdog overdue: the host stalled (maybe inside another I/O callback) since its last tick
    if (this.lastTickMs > 0 && atMs - this.lastTickMs > watchdogPeriodMs(this.timing) + STALL_SLACK_MS) this.noteStall(this.lastTickMs, atMs);
    if (this.currentMode === 'stream' && !this.parser.discontinuityPending && this.silentForMs(atMs) > this.timing.discontinuityMs) {
      // before this chunk's time is taken: a held packet the silence settles is a row of the
      // chunk it came in, so the silence is measured from there, not from now
      this.markSilence(atMs);
    }
    this.chunkMs = atMs;
    this.parser.push(chunk);
    if (this.pending && atMs - this.pending.atMs >= RESUME_HOLD_MS) this.settleResume();
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

  /**
   * The first packet after a discontinuity: pass on the span it left. After a stop and start, from
   * host time. After a silence, from the board's counter (`counterRows`, modulo `wrapRows`), with
   * the fewest wraps that cover the time a running host saw the line silent; host time since the
   * last row (which includes any backlog's delay) is only a ceiling: a counter that does not fit
   * under it (a board that restarted its counter) gives way to host time.
   */
  private onResumed(counterRows: number | undefined, wrapRows: number): void {
    this.discontinuityCount++;
    this.estimatedGaps++;
    const reference = Math.max(this.lastRowMs, 0);
    const rate = this.options.sampleRateHz;
    const hostRows = reference > 0 ? Math.max(0, Math.round(((this.chunkMs - reference) * rate) / 1000) - 1) : 0;
    let lost = hostRows;
    if (counterRows !== undefined && reference > 0) {
      const toleranceRows = COUNTER_FIT_SEC * rate;
      const seenSilentRows = ((Math.min(this.silentUntilMs, this.chunkMs) - reference) * rate) / 1000 - 1;
      const minWraps = Math.max(0, Math.ceil((seenSilentRows - toleranceRows - counterRows) / wrapRows));
      const maxWraps = Math.floor((hostRows + toleranceRows - counterRows) / wrapRows);
      if (maxWraps > minWraps) {
        // the host stalled longer than a wrap: let the arrivals tell a backlog from a loss
        this.pending = { counterRows, wrapRows, minWraps, maxWraps, hostRows, atMs: this.chunkMs, rowCount: 0, events: [], spanned: 0, backlogRows: 0 };
        return;
      }
      if (maxWraps === minWraps) lost = counterRows + minWraps * wrapRows;
    }
    this.reportEstimated(lost);
  }

  private reportEstimated(lost: number): void {
    if (lost > 0) {
      this.estimatedLost += lost;
      this.listener.lost(lost, true);
    }
  }

  /** Rows through the rate guard to the listener. */
  private passRows(rows: Float64Array, rowCount: number): void {
    const admitted = this.admit(rowCount);
    if (admitted > 0) this.listener.rows(rows, admitted);
  }

  /** Rows after an ambiguous resume, kept until settleResume (which runs early when the hold is full). */
  private hold(rows: Float64Array, rowCount: number): void {
    const p = this.pending!;
    const width = this.parser.rowWidth;
    const capacity = Math.ceil(RESUME_HOLD_MAX_SEC * this.options.sampleRateHz);
    this.holdRows ??= new Float64Array(capacity * width);
    const n = Math.min(rowCount, capacity - p.rowCount);
    this.holdRows.set(rows.subarray(0, n * width), p.rowCount * width);
    p.rowCount += n;
    this.spanned(n);
    if (n > 0) p.events.push(n);
    if (n < rowCount) {
      this.settleResume();
      this.passRows(rows.subarray(n * width), rowCount - n);
    }
  }

  /** Rows (received or counted lost) since an ambiguous resume; the backlog is their lead over the board's rate. */
  private spanned(rows: number): void {
    const p = this.pending!;
    p.spanned += rows;
    p.backlogRows = Math.max(p.backlogRows, p.spanned - ((this.chunkMs - p.atMs) * this.options.sampleRateHz) / 1000);
  }

  /**
   * Ends a held resume: what arrived beyond the board's rate since then was backlog, so the first
   * packet after the silence was made that much before it arrived. The counter's candidate nearest
   * the span that leaves is the loss; then the held rows go on, in order.
   */
  private settleResume(): void {
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const wraps = Math.min(p.maxWraps, Math.max(p.minWraps, Math.round((p.hostRows - p.backlogRows - p.counterRows) / p.wrapRows)));
    this.reportEstimated(p.counterRows + wraps * p.wrapRows);
    const width = this.parser.rowWidth;
    let at = 0;
    for (const e of p.events) {
      if (e < 0) {
        if (!this.flooding) this.listener.lost(-e, false);
        continue;
      }
      this.passRows(this.holdRows!.subarray(at * width, (at + e) * width), e);
      at += e;
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
