// The playback board: any readable recording (the workstation's own, EDF/BDF, OpenBCI GUI text,
// BrainFlow CSV, XDF, BrainVision) played through exactly the pipeline a live board feeds. Its
// channels, rate and units are the file's; events arrive as markers at their sample; gaps in the
// file arrive as gaps (the sample index jumps), never bridged silently. Speed 0.25×-16× paced by
// the host clock, or `max` (as fast as the readers keep up). Pause, resume, seek, loop.
//
// Determinism: the rows pushed, and so everything downstream, do not depend on the speed or the
// chunking; the pipeline's output is bit-identical at 1×, 16× and max.

import { EngineError } from '../../common/contract/failure.js';
import type { BoardDriver, SampleSink } from './driver.js';
import type { BoardDescriptor, ChannelDescriptor, ChannelType, ChannelUnit } from '../../common/boards/descriptor.js';
import { openRecording, type OpenedRecording, type OpenRecordingOptions } from '../files/open-recording.js';
import { channelResolution, rowOfRecordingTime, type RecordingInfo } from '../../common/formats/recording.js';
import { placeEvent } from '../../common/formats/recording-events.js';
import { basename } from 'node:path';
import type { PlaybackState } from '../../common/contract/status.js';
import type { PlaybackCommand } from '../../common/contract/playback.js';

export type { PlaybackState };

export type PlaybackSpeed = number | 'max';

export interface PlaybackOptions extends OpenRecordingOptions {
  readonly path: string;
  readonly speed: PlaybackSpeed;
  readonly loop?: boolean;
  /** Where to start, in seconds of the recording. */
  readonly startSec?: number;
}

export function validateSpeed(speed: PlaybackSpeed): void {
  if (speed !== 'max' && !(typeof speed === 'number' && speed >= 0.25 && speed <= 16)) {
    throw new RangeError(`playback speed must be 0.25 to 16 (×), or max; got ${speed}`);
  }
}

/** A text command (`seek 12.5`, `speed max`, `loop on`) as a typed one; refuses in a sentence. */
export function parsePlaybackText(command: string): PlaybackCommand {
  const [verb, arg = ''] = command.trim().split(/\s+/);
  switch (verb) {
    case 'pause':
    case 'resume':
      return { action: verb };
    case 'seek': {
      const positionSec = Number(arg);
      if (arg === '' || !Number.isFinite(positionSec) || positionSec < 0) throw new RangeError(`seek needs a time in seconds from 0 to the recording's length, got "${arg}"`);
      return { action: 'seek', positionSec };
    }
    case 'speed': {
      const speed: PlaybackSpeed = arg === 'max' ? 'max' : Number(arg);
      validateSpeed(speed);
      return { action: 'speed', speed };
    }
    case 'loop':
      return { action: 'loop', loop: arg === 'on' };
    default:
      throw new EngineError('invalid-request', `unknown playback command "${command}": use pause, resume, seek SECONDS, speed X|max or loop on|off`);
  }
}

const UNITS: Record<string, ChannelUnit> = { uV: 'uV', mV: 'mV', V: 'V', g: 'g' };
const TYPES: Record<string, ChannelType> = { eeg: 'eeg', emg: 'emg', ecg: 'ecg', eog: 'eog', accel: 'accel' };

function descriptorOf(info: RecordingInfo, path: string): BoardDescriptor {
  const channels: ChannelDescriptor[] = info.rowChannels.map((i) => {
    const c = info.channels[i];
    const resolution = channelResolution(info.format, c);
    return { label: c.label, type: TYPES[c.type] ?? 'aux', unit: UNITS[c.unit] ?? 'counts', physicalMin: c.physicalMin, physicalMax: c.physicalMax, ...(resolution !== undefined && { resolution }) };
  });
  return { id: 'playback', name: `Playback: ${basename(path)}`, sampleRateHz: info.sampleRateHz, channels };
}

export class PlaybackDriver implements BoardDriver {
  private reader: OpenedRecording | undefined;
  private info: RecordingInfo | undefined;
  private descriptorValue: BoardDescriptor | undefined;
  private chunk = new Float64Array(0);
  private chunkRows = 0;
  private position = 0;
  private speed: PlaybackSpeed;
  private loop: boolean;
  private playing = false;
  /** Counts seeks, so that the pacing clock restarts from the new position (either direction). */
  private seeks = 0;
  private finished = false;
  private sink: SampleSink | undefined;
  private run: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private resolveEnded!: () => void;
  /** Resolves when the last row has been pushed (not when looping). */
  readonly ended: Promise<void>;

  constructor(private readonly options: PlaybackOptions) {
    validateSpeed(options.speed);
    this.speed = options.speed;
    this.loop = options.loop ?? false;
    this.ended = new Promise((resolve) => (this.resolveEnded = resolve));
  }

  get descriptor(): BoardDescriptor {
    if (!this.descriptorValue) throw new EngineError('state', 'the playback board is not prepared yet');
    return this.descriptorValue;
  }

  async prepare(): Promise<void> {
    if (this.reader) return;
    this.reader = await openRecording(this.options.path, this.options);
    this.info = this.reader.info;
    if (this.info.sampleCount === 0 || this.info.rowChannels.length === 0) throw new Error(`${this.options.path} holds no samples to play`);
    this.descriptorValue = descriptorOf(this.info, this.options.path);
    this.chunkRows = Math.max(1, Math.round(this.info.sampleRateHz / 100));
    this.chunk = new Float64Array(Math.max(this.chunkRows, 1024) * this.info.rowChannels.length);
    if (this.options.startSec) this.position = Math.min(this.info.sampleCount, rowOfRecordingTime(this.info, this.options.startSec));
  }

  async start(sink: SampleSink): Promise<void> {
    if (!this.reader) await this.prepare();
    this.sink = sink;
    if (this.playing) return;
    this.playing = true;
    this.run ??= this.loopRun();
  }

  async stop(): Promise<void> {
    this.playing = false;
    this.wake?.();
    await this.run;
    this.run = undefined;
  }

  async release(): Promise<void> {
    await this.stop();
    await this.reader?.close();
    this.reader = undefined;
  }

  /** Text commands, for `configureBoard` (the typed way is controlPlayback): pause, resume, seek SECONDS, speed X|max, loop on|off. */
  async configure(command: string): Promise<string> {
    const parsed = parsePlaybackText(command);
    await this.controlPlayback(parsed);
    switch (parsed.action) {
      case 'pause':
        return 'paused';
      case 'resume':
        return 'playing';
      case 'seek':
        return `at ${parsed.positionSec} s`;
      case 'speed':
        return `speed ${parsed.speed}`;
      case 'loop':
        return `loop ${parsed.loop ? 'on' : 'off'}`;
    }
  }

  /** The transport: pause, resume, seek, speed, loop. Resolves with the state after the command. */
  async controlPlayback(command: PlaybackCommand): Promise<PlaybackState> {
    switch (command.action) {
      case 'pause':
        this.playing = false;
        this.wake?.();
        await this.run;
        this.run = undefined;
        break;
      case 'resume':
        if (!this.sink) throw new EngineError('state', 'start the board before resuming');
        if (this.finished && !this.loop) this.position = 0;
        this.finished = false;
        this.playing = true;
        this.run ??= this.loopRun();
        break;
      case 'seek': {
        const sec = command.positionSec;
        if (!this.info || !Number.isFinite(sec) || sec < 0) throw new RangeError(`seek needs a time in seconds from 0 to the recording's length, got ${sec}`);
        this.position = Math.min(this.info.sampleCount, rowOfRecordingTime(this.info, sec));
        this.finished = false;
        this.seeks++;
        this.wake?.();
        break;
      }
      case 'speed':
        validateSpeed(command.speed);
        this.speed = command.speed;
        this.wake?.();
        break;
      case 'loop':
        this.loop = command.loop;
        break;
      default:
        throw new EngineError('invalid-request', `unknown playback action "${(command as { action: unknown }).action}": use pause, resume, seek, speed or loop`);
    }
    return this.playback;
  }

  get playback(): PlaybackState {
    const info = this.info;
    return {
      file: this.options.path,
      positionSec: info ? this.position / info.sampleRateHz : 0,
      durationSec: info?.durationSec ?? 0,
      speed: this.speed,
      playing: this.playing,
      loop: this.loop,
      finished: this.finished,
      events: info?.events.map((e) => ({ onsetSec: e.onsetSec, label: e.label })) ?? [],
    };
  }

  /** The engine's sample index of the next row pushed (rows and gaps pushed so far). */
  private pushedIndex = 0;

  /** Pushes rows [from, from + rows) with their events as markers and the file's gaps as gaps. */
  private async pushRange(sink: SampleSink, from: number, rows: number): Promise<number> {
    const info = this.info!;
    const width = info.rowChannels.length;
    const got = await this.reader!.readRows(from, rows, this.chunk);
    if (got <= 0) return 0;
    let done = 0;
    while (done < got) {
      const row = from + done;
      const gap = info.discontinuities.find((d) => d.sampleIndex === row);
      if (gap) {
        const missing = Math.round(gap.missingSec * info.sampleRateHz);
        sink.reportGap(missing);
        this.pushedIndex += missing;
      }
      // up to the next gap inside this chunk
      const next = info.discontinuities.find((d) => d.sampleIndex > row && d.sampleIndex < from + got);
      const n = (next ? next.sampleIndex : from + got) - row;
      this.markers(sink, row, n);
      sink.pushRows(done === 0 ? this.chunk : this.chunk.subarray(done * width), n);
      this.pushedIndex += n;
      done += n;
    }
    return got;
  }

  private markers(sink: SampleSink, fromRow: number, rows: number): void {
    const info = this.info!;
    const last = info.sampleCount - 1;
    const holdsLast = last >= fromRow && last < fromRow + rows;
    for (const e of info.events) {
      const row = rowOfRecordingTime(info, e.onsetSec);
      if (row >= fromRow && row < fromRow + rows) sink.pushMarker({ sampleIndex: this.pushedIndex + (row - fromRow), label: e.label, durationSec: e.durationSec });
      else if (row > last && holdsLast) {
        // an event after the file's last sample (`bci info` lists it): at the last sample with its
        // true time in its label, as a recording writes such a marker, never dropped
        const placed = placeEvent({ onsetSec: e.onsetSec, durationSec: e.durationSec ?? 0, label: e.label }, info.durationSec);
        sink.pushMarker({ sampleIndex: this.pushedIndex + (last - fromRow), label: placed.label, durationSec: 0 });
      }
    }
  }

  private async loopRun(): Promise<void> {
    const info = this.info!;
    const sink = this.sink!;
    let startedMs = performance.now();
    let rowsAtStart = this.position;
    let lastSpeed = this.speed;
    let seeksSeen = this.seeks;
    let sinceYield = 0;
    while (this.playing) {
      if (this.seeks !== seeksSeen) {
        seeksSeen = this.seeks;
        startedMs = performance.now();
        rowsAtStart = this.position;
      }
      if (this.position >= info.sampleCount) {
        if (this.loop) {
          this.position = 0;
          startedMs = performance.now();
          rowsAtStart = 0;
          continue;
        }
        this.finished = true;
        this.playing = false;
        this.resolveEnded();
        break;
      }
      const speed = this.speed;
      if (speed !== lastSpeed) {
        lastSpeed = speed;
        startedMs = performance.now();
        rowsAtStart = this.position;
      }
      let rows = Math.min(this.chunkRows, info.sampleCount - this.position);
      if (speed === 'max') {
        rows = Math.min(1024, info.sampleCount - this.position);
        if (sink.room() < rows) {
          await sink.waitForRoom();
          continue;
        }
      } else {
        const due = rowsAtStart + Math.floor(((performance.now() - startedMs) / 1000) * info.sampleRateHz * speed);
        if (this.position + rows > due) {
          const waitMs = ((this.position + rows - due) / (info.sampleRateHz * speed)) * 1000;
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, Math.max(1, waitMs));
            this.wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          this.wake = undefined;
          continue;
        }
      }
      const at = this.position;
      const got = await this.pushRange(sink, at, rows);
      if (got <= 0) {
        sink.reportError(`${this.options.path}: could not read rows from ${at}`);
        this.playing = false;
        break;
      }
      // a seek during the read moved the position elsewhere (and restarts the clock above)
      if (this.position === at) this.position = at + got;
      if (++sinceYield >= 16) {
        sinceYield = 0;
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    }
  }
}
