// The Cyton's link state machine: surviving a flaky link without ending the session.
//
//   closed ──prepare──▶ connected ──silence / port gone──▶ disconnected ──port back──▶ reconnecting
//                           ▲                                                              │
//                           └──────────── rows flow again (streaming) or the board answers ┘
//
// No valid packet for `silenceMs` (1 s) while streaming (as seen by a running host: a span this
// process stalled through does not count, its packets may wait in the OS buffer), or the port vanishing (a read/write error,
// the dongle unplugged), turns the link `disconnected` (an error for the sink, a link-state event).
// Every `retryMs` (0.5 s) the driver then reopens the port if it is gone, stops the board, re-sends
// what differs from the defaults (restoreCommands: a board that was power-cycled lost it) and `b`;
// the link is `reconnecting` until rows flow again, then `connected`, with the lost span (estimated
// by the link from host time) in the event. While the link is down, a `Failure: …` from the dongle
// (board off or out of range) is passed on once as "the dongle cannot reach the board". A port
// whose device node disappears is noticed by the watchdog even when its read never fails (ptys,
// some USB drivers).

import { existsSync } from 'node:fs';
import { Emitter, type Disposable } from '../../common/disposable.js';
import { CYTON_CMD_DEFAULTS, isBoardUnreachable, replyFailure } from '../../common/boards/cyton-protocol.js';
import { SerialOpenError } from '../serial/connection.js';
import { CYTON_UNREACHABLE, watchdogPeriodMs, type CytonLink, type CytonTiming } from './cyton-link.js';

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
  readonly lostRows?: number;
  /** Host time (performance.timeOrigin based, ms). */
  readonly atMs: number;
}

/** What the state machine asks of the driver. */
export interface CytonReconnectHost {
  /** For messages ("the Cyton is back on …"). */
  readonly boardName: string;
  isReleased(): boolean;
  /** Rows are wanted (by the user, or by an impedance test). */
  isStreamingWanted(): boolean;
  /** The commands that put the board back as the driver wants it (restoreCommands). */
  restoreCommands(): string[];
  /** Every restore command was accepted. */
  restored(): void;
  /** Nothing needed restoring and the board took `d`. */
  defaultsApplied(): void;
  reportError(message: string): void;
}

const hostNowMs = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export class CytonReconnect {
  private readonly emitter = new Emitter<CytonLinkEvent>();
  private current: CytonLinkState = 'closed';
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private presenceCheck = false;
  private recovering = false;
  private outageLost = 0;
  private outageText = '';
  private outageExplained = false;
  private disconnects = 0;
  private reconnects = 0;

  constructor(
    private readonly link: CytonLink,
    private readonly timing: CytonTiming,
    private readonly host: CytonReconnectHost,
  ) {}

  get state(): CytonLinkState {
    return this.current;
  }

  /** Disconnected or reconnecting. */
  get down(): boolean {
    return this.current === 'disconnected' || this.current === 'reconnecting';
  }

  get stats(): { readonly disconnects: number; readonly reconnects: number } {
    return { disconnects: this.disconnects, reconnects: this.reconnects };
  }

  onLinkState(listener: (event: CytonLinkEvent) => void): Disposable {
    return this.emitter.on(listener);
  }

  /** The port was just opened by prepare(): watch its device node when it is a file (not on Windows, nor MockBinding's ports). */
  portOpened(): void {
    this.presenceCheck = process.platform !== 'win32' && existsSync(this.link.portPath);
  }

  /** The handshake succeeded: connected, and the watchdog runs. */
  connected(message: string): void {
    this.setLink('connected', message);
    if (this.watchdog) return;
    const period = watchdogPeriodMs(this.timing);
    this.watchdog = setInterval(() => this.checkSilence(), period);
    this.watchdog.unref?.();
  }

  /** Released: the watchdog stops (call before closing the port). */
  stopWatching(): void {
    if (this.watchdog) clearInterval(this.watchdog);
    this.watchdog = undefined;
  }

  closed(message: string): void {
    this.setLink('closed', message);
  }

  // ---------------------------------------------------------------------------------------------
  // What the link reports

  /** Rows arrived: after an outage, the link is back. */
  rowsArrived(): void {
    if (!this.down) return;
    const lost = this.outageLost;
    this.outageLost = 0;
    this.reconnects++;
    this.setLink('connected', `the ${this.host.boardName} is back on ${this.link.portPath}; about ${lost} samples were lost`, lost);
  }

  /** Rows estimated lost (the span of a discontinuity): counted into the outage's figure. */
  estimatedLost(rows: number): void {
    this.outageLost += rows;
  }

  /** While the link is down, the dongle's own `Failure: …$$$` says why: pass it on once per outage. */
  skipped(byte: number): void {
    if (!this.down) return;
    this.outageText = (this.outageText + String.fromCharCode(byte)).slice(-96);
    if (byte !== 0x24 || this.outageExplained || !this.outageText.endsWith('$$$')) return;
    const failure = replyFailure(this.outageText);
    if (failure && isBoardUnreachable(failure)) {
      this.outageExplained = true;
      this.host.reportError(`${CYTON_UNREACHABLE} (the dongle on ${this.link.portPath} said "${failure}")`);
    }
  }

  portClosed(error: Error | undefined): void {
    if (error === undefined || this.host.isReleased()) return;
    this.disconnected(
      `the serial port ${this.link.portPath} went away (${error.message}): is the dongle unplugged? ` +
        `retrying every ${(this.timing.retryMs / 1000).toFixed(1)} s`,
    );
  }

  // ---------------------------------------------------------------------------------------------
  // The state machine

  private checkSilence(): void {
    // a tick that comes late means this process did not run (a loaded machine): the packets of
    // that time may be waiting in the OS buffer, so no silence verdict before the reads had a turn
    const onTime = this.link.hostTick(hostNowMs());
    // a port whose device node is gone (dongle unplugged) may leave its read waiting forever
    if (this.link.isOpen && this.presenceCheck && !existsSync(this.link.portPath)) {
      this.link.abandon(new Error(`${this.link.portPath} no longer exists`));
      return;
    }
    if (!onTime || this.current !== 'connected' || this.link.mode !== 'stream' || this.link.pausing) return;
    if (!this.host.isStreamingWanted()) return;
    const silentMs = this.link.awakeSilentForMs(hostNowMs());
    if (silentMs <= this.timing.silenceMs) return;
    this.disconnected(
      `no data from the ${this.host.boardName} on ${this.link.portPath} for ${(silentMs / 1000).toFixed(1)} s ` +
        '(board off, out of range or battery low?): retrying',
    );
  }

  private disconnected(message: string): void {
    if (this.host.isReleased()) return;
    if (!this.down) {
      this.disconnects++;
      this.outageLost = 0;
      this.outageText = '';
      this.outageExplained = false;
      this.link.markDiscontinuity();
      this.setLink('disconnected', message);
      this.host.reportError(message);
    }
    void this.recover();
  }

  /** Retries until rows flow again (streaming) or the board answers (idle), or release(). */
  private async recover(): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    let lastOpenError = '';
    try {
      while (!this.host.isReleased() && this.current !== 'connected' && this.current !== 'closed') {
        if (!this.link.isOpen) {
          try {
            await this.link.open(this.link.portPath);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            if (error instanceof SerialOpenError && error.problem !== 'missing' && message !== lastOpenError) {
              this.host.reportError(message);
            }
            lastOpenError = message;
            await sleep(this.timing.retryMs);
            continue;
          }
          if (this.host.isReleased()) {
            await this.link.close();
            return;
          }
        }
        this.setLink('reconnecting', `restarting the ${this.host.boardName} on ${this.link.portPath}`);
        const ok = await this.restartBoard();
        if (!this.host.isStreamingWanted()) {
          if (ok) {
            this.reconnects++;
            this.setLink('connected', `the ${this.host.boardName} answers again on ${this.link.portPath}`);
            break;
          }
          await sleep(this.timing.retryMs);
          continue;
        }
        const deadline = hostNowMs() + this.timing.retryMs;
        while (hostNowMs() < deadline && this.currentLink() !== 'connected' && this.link.isOpen && !this.host.isReleased()) await sleep(10);
      }
    } finally {
      this.recovering = false;
    }
  }

  /** Stop, re-send what differs from the defaults, and start again when streaming. False when the board did not answer. */
  private async restartBoard(): Promise<boolean> {
    if (!this.link.isOpen) return false;
    try {
      await this.link.halt();
      const commands = this.host.restoreCommands();
      const replyMs = Math.min(this.timing.replyTimeoutMs, this.timing.retryMs);
      for (const c of commands) {
        const reply = await this.link.command(c, replyMs);
        if (replyFailure(reply)) return false;
      }
      this.host.restored();
      if (this.host.isStreamingWanted()) {
        await this.link.resume();
      } else if (commands.length === 0) {
        // nothing to re-send: ask for the defaults to learn that the board answers
        const reply = await this.link.command(CYTON_CMD_DEFAULTS, replyMs);
        if (replyFailure(reply)) return false;
        this.host.defaultsApplied();
      }
      return true;
    } catch {
      return false;
    }
  }

  private setLink(state: CytonLinkState, message: string, lostRows?: number): void {
    if (state === this.current && state === 'reconnecting') return;
    this.current = state;
    this.emitter.fire({ state, message, lostRows, atMs: hostNowMs() });
  }

  /** A read that TypeScript must not narrow across awaits. */
  private currentLink(): CytonLinkState {
    return this.current;
  }
}
