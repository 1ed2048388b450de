// The board driver interface: one class per board behind prepare / start / stop / release /
// configure (as BrainFlow's board controllers), pushing rows into a sink that the acquisition
// layer provides. Drivers never see the ring buffer, the clock model or the consumers.

import type { BoardDescriptor, BoardMarker } from '../../common/boards/descriptor.js';
import type { AmplifierChannelSettings, ImpedanceReading } from '../../common/boards/amplifier.js';
import type { PlaybackState } from '../../common/contract/status.js';
import type { PlaybackCommand } from '../../common/contract/playback.js';

export interface SampleSink {
  /**
   * Appends rowCount interleaved rows (rowCount × channelCount values, in the descriptor's units).
   * The rows get the next sample indices. The sink copies them: the driver may reuse `rows`.
   * `lastRowHostMs`: when the source stamps its samples itself (an LSL stream's timestamps, BrainFlow's
   * timestamp row), the host time (performance.timeOrigin-based ms) of the last row, for the clock
   * model instead of the arrival time; default: now.
   */
  pushRows(rows: Float64Array, rowCount: number, lastRowHostMs?: number): void;
  /** The device skipped `lostRows` samples (a jump in its sample counter): sample indices advance. */
  reportGap(lostRows: number): void;
  /** A marker from the board itself (a synthetic cue, a trigger input). */
  pushMarker(marker: BoardMarker): void;
  /**
   * For software sources that are not paced by a clock (unpaced synthetic, replay at max speed):
   * how many rows can be pushed now without overrunning the slowest reader. Hardware ignores it.
   */
  room(): number;
  /** Resolves when readers have made room again (for unpaced software sources). */
  waitForRoom(): Promise<void>;
  /** A driver-level fault to show (the session goes on unless the driver stops). */
  reportError(message: string): void;
}

export interface BoardDriver {
  readonly descriptor: BoardDescriptor;
  /** Opens the device (port, library session) and reads what it needs to know. */
  prepare(): Promise<void>;
  /** Starts pushing rows into the sink. */
  start(sink: SampleSink): Promise<void>;
  /** Stops pushing; may be started again. */
  stop(): Promise<void>;
  /** Closes the device. */
  release(): Promise<void>;
  /** A board-specific configuration command; returns the board's reply. */
  configure(command: string): Promise<string>;
  /** For finite sources (a bounded synthetic run, a recording played once): resolves after the last row. */
  readonly ended?: Promise<void>;
  /** For recordings being played: the transport (position, speed, events) shown in the status. */
  readonly playback?: PlaybackState;
  /** For recordings being played: pause, resume, seek, speed, loop; resolves with the transport after it. */
  controlPlayback?(command: PlaybackCommand): Promise<PlaybackState>;
  /** For boards with a marker channel of their own (BrainFlow's insert_marker): a workstation marker goes into it too. */
  insertMarker?(label: string): void;
}

/** Link state of a board on a wire or a radio (serial boards); software boards have none. */
export interface LinkStatus {
  readonly state: 'closed' | 'connected' | 'disconnected' | 'reconnecting';
  readonly message: string;
}

/** A board with a link that can drop and come back (a serial amplifier, an LSL stream): its state, and changes of it. */
export interface LinkedBoard extends BoardDriver {
  readonly linkState: LinkStatus['state'];
  onLinkState(listener: (event: { state: LinkStatus['state']; message: string }) => void): { dispose(): void };
}

export function hasLink(driver: BoardDriver): driver is LinkedBoard {
  return typeof (driver as Partial<LinkedBoard>).onLinkState === 'function' && typeof (driver as Partial<LinkedBoard>).linkState === 'string';
}

/** A change of one channel's settings: the fields given change, the others stay. */
export interface ChannelSettingsChange extends Partial<AmplifierChannelSettings> {
  /** 1-based channel. */
  readonly channel: number;
}

/**
 * What an amplifier with settings adds to a BoardDriver (the Cyton): channel settings, the
 * register dump, a lead-off impedance test, the link state, and notices about the setup (an FTDI
 * latency timer that makes data bursty…). The engine offers these when a driver has them.
 */
export interface AmplifierBoard extends LinkedBoard {
  readonly notices: string[];
  /** The settings the board confirmed, channels 1..N in order. */
  readonly channelSettings: readonly AmplifierChannelSettings[];
  /** Resolves with what the board took, one setting per change, in order. */
  setChannels(changes: readonly ChannelSettingsChange[]): Promise<readonly AmplifierChannelSettings[]>;
  resetDefaults(): Promise<void>;
  registerDump(): Promise<string>;
  measureImpedance(options?: { channels?: readonly number[] }): Promise<readonly ImpedanceReading[]>;
  /** The descriptor as the board is set now (physical ranges follow the gains). */
  readonly currentDescriptor: BoardDescriptor;
}

export function isAmplifier(driver: BoardDriver): driver is AmplifierBoard {
  return typeof (driver as Partial<AmplifierBoard>).measureImpedance === 'function' && typeof (driver as Partial<AmplifierBoard>).setChannels === 'function';
}
