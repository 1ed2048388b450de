// The OpenBCI Cyton and Cyton + Daisy drivers over a serial port (the OpenBCI USB dongle): the
// BoardDriver (and amplifier) that hosts use. Owns: the handshake, start/stop/release, text
// commands and channel settings, and one operation at a time. It composes the parts that do the
// rest, one concern each:
//
//   cyton-link.ts            the port, text/stream mode, the reply waiter, the bytes → parser → rows path
//   cyton-reconnect.ts       the link state machine (disconnected, reconnecting, connected again)
//   cyton-impedance-test.ts  the lead-off impedance test
//   ../../common/boards/cyton-restore.ts  the commands that restore the board after a reconnection
//
// The byte protocol lives in electron/common/boards/cyton-protocol.ts.
//
// Handshake (prepare): resolve the port (`auto` → the one dongle), check the FTDI latency timer,
// open 115200 8N1, `s` (stop a stream left running) and drain, `v` → the banner up to `$$$`
// (firmware, Daisy; `Failure: …` → the dongle cannot reach the board; no banner within 3 s → not
// a Cyton), `c`/`C` to match the Daisy to the board asked for, `d` (defaults).
//
// Commands while streaming pause the stream (the link's withStreamPaused); the pause is passed on
// as a gap estimated from host time, so sample indices keep tracking time.
//
// Public API for hosts: createCytonDriver({ board, port }), prepare/start/stop/release/configure
// (BoardDriver), setChannel(s), resetDefaults, registerDump, measureImpedance, linkState +
// onLinkState, info (firmware, Daisy, latency timer), notices, channelSettings, stats.

import type { Disposable } from '../../common/disposable.js';
import type { BoardDescriptor } from '../../common/boards/descriptor.js';
import {
  CYTON_CMD_DAISY_OFF,
  CYTON_CMD_DAISY_ON,
  CYTON_CMD_DEFAULTS,
  CYTON_CMD_REGISTERS,
  CYTON_CMD_START,
  CYTON_CMD_STOP,
  CYTON_CMD_VERSION,
  CYTON_DEFAULT_CHANNEL,
  channelSettingsCommand,
  cleanReply,
  isBoardUnreachable,
  parseBanner,
  parseChannelSettingsCommands,
  replyFailure,
  type CytonBanner,
  type CytonChannelSettings,
} from '../../common/boards/cyton-protocol.js';
import { cytonDescriptor, cytonEegChannels, type CytonBoardId } from '../../common/boards/cyton-descriptor.js';
import type { ImpedanceReading } from '../../common/boards/cyton-impedance.js';
import { restoreCommands } from '../../common/boards/cyton-restore.js';
import { checkLatencyTimer, type LatencyTimerOptions, type LatencyTimerReport } from '../../../native/ftdi-latency.js';
import type { AmplifierBoard, SampleSink } from './driver.js';
import { defaultSerialBinding, type SerialBinding } from '../serial/binding.js';
import { resolveSerialPort } from '../serial/ports.js';
import { CYTON_TIMING, CYTON_UNREACHABLE, CytonLink, ReplyTimeout, type CytonLinkStats, type CytonTiming } from './cyton-link.js';
import { CytonReconnect, type CytonLinkEvent, type CytonLinkState } from './cyton-reconnect.js';
import { CytonImpedanceTest, type ImpedanceOptions } from './cyton-impedance-test.js';

export { CYTON_TIMING, type CytonTiming } from './cyton-link.js';
export type { CytonLinkEvent, CytonLinkState } from './cyton-reconnect.js';
export type { ImpedanceOptions } from './cyton-impedance-test.js';

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

export interface CytonDriverStats extends CytonLinkStats {
  readonly disconnects: number;
  readonly reconnects: number;
}

export class CytonDriver implements AmplifierBoard {
  readonly descriptor: BoardDescriptor;
  readonly board: CytonBoardId;
  private readonly binding: SerialBinding;
  private readonly timing: CytonTiming;
  private readonly eegChannels: number;
  private readonly link: CytonLink;
  private readonly reconnect: CytonReconnect;
  private readonly impedance: CytonImpedanceTest;

  private boardInfo: CytonBoardInfo | undefined;
  private settings: CytonChannelSettings[];
  private daisyDetached = false;
  private sink: SampleSink | undefined;
  private wantStreaming = false;
  /** The stream runs for an impedance test, not for the user. */
  private internalStreaming = false;
  private released = false;
  private opChain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: CytonDriverOptions) {
    this.board = options.board;
    this.binding = options.binding ?? defaultSerialBinding();
    this.timing = { ...CYTON_TIMING, ...options.timing };
    this.eegChannels = cytonEegChannels(options.board);
    this.descriptor = cytonDescriptor(options.board, { labels: options.labels });
    this.settings = Array.from({ length: this.eegChannels }, () => CYTON_DEFAULT_CHANNEL);
    this.link = new CytonLink({
      binding: this.binding,
      timing: this.timing,
      daisy: options.board === 'cyton-daisy',
      sampleRateHz: this.descriptor.sampleRateHz,
      mayResume: () => this.reconnect.state === 'connected',
      listener: {
        rows: (rows, n) => {
          this.reconnect.rowsArrived();
          this.sink?.pushRows(rows, n);
          this.impedance.push(rows, n);
        },
        lost: (n, estimated) => {
          if (estimated) this.reconnect.estimatedLost(n);
          this.sink?.reportGap(n);
        },
        skipped: (byte) => this.reconnect.skipped(byte),
        closed: (error) => this.reconnect.portClosed(error),
        fault: (message) => (this.sink?.reportFault ?? this.sink?.reportError)?.call(this.sink, message),
      },
    });
    this.reconnect = new CytonReconnect(this.link, this.timing, {
      boardName: this.descriptor.name,
      isReleased: () => this.released,
      isStreamingWanted: () => this.wantStreaming || this.internalStreaming,
      restoreCommands: () =>
        restoreCommands({
          settings: this.settings,
          daisyDetached: this.daisyDetached,
          leadOffDirty: this.impedance.leadOffDirty,
          leadOffChannel: this.impedance.leadOffChannel,
        }),
      restored: () => this.impedance.restored(),
      defaultsApplied: () => this.applyDefaults(),
      reportError: (message) => this.sink?.reportError(message),
    });
    this.impedance = new CytonImpedanceTest(this.link, this.timing, {
      descriptor: this.descriptor,
      eegChannels: this.eegChannels,
      gainOf: (channel) => this.settings[channel - 1].gain,
      isConnected: () => this.isConnected(),
      linkState: () => this.reconnect.state,
    });
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
    return this.reconnect.state;
  }

  /** Link state changes (for the status bar). Dispose to unsubscribe. */
  onLinkState(listener: (event: CytonLinkEvent) => void): Disposable {
    return this.reconnect.onLinkState(listener);
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
    return { ...this.link.stats, ...this.reconnect.stats };
  }

  // ---------------------------------------------------------------------------------------------
  // BoardDriver

  async prepare(): Promise<void> {
    if (this.released) throw new Error('this Cyton driver was released: create a new one');
    if (this.link.isOpen) return;
    const portPath = await resolveSerialPort(this.options.port, this.binding);
    const latencyTimer = this.options.latencyTimer === false ? undefined : checkLatencyTimer(portPath, this.options.latencyTimer);
    await this.link.open(portPath);
    this.reconnect.portOpened();
    try {
      const banner = await this.handshake();
      this.boardInfo = { portPath, firmware: banner.firmware, daisyPresent: banner.daisy, banner: banner.text, latencyTimer };
    } catch (error) {
      await this.link.close();
      throw error;
    }
    this.reconnect.connected(`connected to the ${this.descriptor.name} on ${portPath}`);
  }

  start(sink: SampleSink): Promise<void> {
    return this.exclusive(async () => {
      this.requirePrepared();
      if (this.wantStreaming) return;
      this.sink = sink;
      this.wantStreaming = true;
      if (this.internalStreaming) return;
      if (!this.isConnected()) return; // the recovery loop starts it
      await this.link.beginStreaming();
    });
  }

  stop(): Promise<void> {
    return this.exclusive(async () => {
      if (!this.wantStreaming) return;
      this.wantStreaming = false;
      // an outage still open at the end counts: the span since the last row is lost, not nothing
      if (this.reconnect.down && this.sink) {
        const lost = this.link.closeOpenOutage(performance.timeOrigin + performance.now());
        if (lost > 0) {
          this.reconnect.estimatedLost(lost);
          this.sink.reportGap(lost);
        }
      }
      if (!this.internalStreaming) await this.link.endStreaming();
      this.sink = undefined;
    });
  }

  async release(): Promise<void> {
    if (this.released) return;
    await this.stop().catch(() => {});
    await this.exclusive(async () => {
      this.released = true;
      this.reconnect.stopWatching();
      await this.link.close();
      this.reconnect.closed(`closed ${this.link.portPath || 'the port'}`);
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
      const reply = await this.link.withStreamPaused(() => this.link.command(cmd, cmd === CYTON_CMD_REGISTERS ? 2 * this.timing.replyTimeoutMs : undefined));
      const failure = replyFailure(reply);
      if (!failure) {
        if (cmd === CYTON_CMD_DEFAULTS || cmd === CYTON_CMD_VERSION) this.applyDefaults();
        // a soft reset re-attaches the Daisy: detach it again when this driver reads 8 channels
        if (cmd === CYTON_CMD_VERSION && this.daisyDetached) await this.link.command(CYTON_CMD_DAISY_OFF);
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
      await this.link.withStreamPaused(async () => {
        for (const p of planned) {
          const reply = await this.link.command(p.command);
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
   * Measures each channel's electrode impedance with the lead-off test (cyton-impedance-test.ts).
   * Works streaming or not; the board streams again (or stays stopped) as before. Rows keep
   * flowing to the sink meanwhile.
   */
  async measureImpedance(options: ImpedanceOptions = {}): Promise<ImpedanceReading[]> {
    const plan = this.impedance.plan(options);
    return this.exclusive(async () => {
      this.requireConnected();
      const wasStreaming = this.wantStreaming;
      if (!wasStreaming) {
        this.internalStreaming = true;
        await this.link.beginStreaming();
      }
      try {
        return await this.impedance.measure(plan, options);
      } finally {
        if (!wasStreaming) {
          this.internalStreaming = false;
          if (!this.wantStreaming) await this.link.endStreaming().catch(() => {});
        }
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Handshake

  private async handshake(): Promise<CytonBanner> {
    const portPath = this.link.portPath;
    await this.link.write(CYTON_CMD_STOP);
    await this.link.waitQuiet(3 * this.timing.quietMs, 500);
    await this.link.flushInput();
    let reply: string;
    try {
      reply = await this.link.command(CYTON_CMD_VERSION, this.timing.bannerTimeoutMs);
    } catch (error) {
      if (!(error instanceof ReplyTimeout)) throw error;
      const seconds = (this.timing.bannerTimeoutMs / 1000).toFixed(1);
      const received = this.link.replyProgress;
      if (received.receivedChars === 0) {
        throw new Error(
          `no reply from ${portPath} within ${seconds} s: it is not a Cyton dongle, or the dongle is in a bad state ` +
            '(unplug it and plug it in again; its switch must be on GPIO6)',
        );
      }
      throw new Error(`${portPath} answered but is not a Cyton (no $$$-terminated banner within ${seconds} s; got "${cleanReply(received.partial).slice(0, 80)}")`);
    }
    const banner = parseBanner(reply);
    if (banner.failure) throw new Error(`${CYTON_UNREACHABLE} (the dongle on ${portPath} said "${banner.failure}")`);
    if (!banner.isCyton) throw new Error(`${portPath} answered but is not a Cyton (banner: "${banner.text.slice(0, 80)}")`);
    if (this.board === 'cyton-daisy' && !banner.daisy) {
      const r = await this.link.command(CYTON_CMD_DAISY_ON);
      if (/no daisy/i.test(r) || replyFailure(r)) {
        throw new Error(`no Daisy module answers on the Cyton at ${portPath}: choose the board "cyton", or seat the Daisy and power-cycle the board`);
      }
    } else if (this.board === 'cyton' && banner.daisy) {
      await this.link.command(CYTON_CMD_DAISY_OFF);
      this.daisyDetached = true;
    }
    const d = await this.link.command(CYTON_CMD_DEFAULTS);
    const failure = replyFailure(d);
    if (failure) throw new Error(isBoardUnreachable(failure) ? `${CYTON_UNREACHABLE} (${failure})` : `the board refused the defaults command: ${failure}`);
    this.applyDefaults();
    return banner;
  }

  // ---------------------------------------------------------------------------------------------
  // Helpers

  private applyDefaults(): void {
    for (let c = 1; c <= this.eegChannels; c++) this.applySetting(c, CYTON_DEFAULT_CHANNEL);
  }

  private applySetting(channel: number, settings: CytonChannelSettings): void {
    this.settings[channel - 1] = settings;
    this.link.setGain(channel - 1, settings.gain);
  }

  private isConnected(): boolean {
    return this.link.isOpen && this.reconnect.state === 'connected';
  }

  private requirePrepared(): void {
    if (this.released) throw new Error('this Cyton driver was released');
    if (!this.boardInfo) throw new Error('the Cyton is not prepared: call prepare() first');
  }

  private requireConnected(): void {
    this.requirePrepared();
    if (!this.isConnected()) {
      throw new Error(`the ${this.descriptor.name} is ${this.reconnect.state} (${this.link.portPath}): try again when the link is back`);
    }
  }

  /** Runs operations one at a time. */
  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.opChain.then(fn, fn);
    this.opChain = run.catch(() => {});
    return run;
  }
}

/** A Cyton or Cyton + Daisy driver from board options (`port` defaults to `auto`). */
export function createCytonDriver(options: { board: CytonBoardId; port?: string } & Omit<Partial<CytonDriverOptions>, 'board' | 'port'>): CytonDriver {
  return new CytonDriver({ ...options, board: options.board, port: options.port ?? 'auto' });
}
