// The engine: plain Node, never imports electron. It connects a board driver, keeps every sample in
// the shared ring buffer with a sample index and a clock model, runs the pipeline worker on it, and
// publishes raw, filtered, marker and status streams. The Electron main process, `bci serve` and
// the `bci` CLI all host this same class; a feature lives here once.

import { RingBuffer, RingReader } from '../common/ring-buffer.js';
import { ClockModel } from '../common/clock-model.js';
import { RollingPercentiles } from '../common/rolling-stats.js';
import { Emitter, type Disposable } from '../common/disposable.js';
import type { BoardDescriptor } from '../common/boards/descriptor.js';
import type { BoardInfo } from '../common/contract/board-options.js';
import {
  EMPTY_PIPELINE,
  describePipeline,
  pipelineProblems,
  pipelineSchema,
  type PipelineDescription,
  type PipelineInput,
} from '../common/contract/pipeline.js';
import type { EngineState, EngineStatus, Percentiles, PlaybackState } from '../common/contract/status.js';
import type { PlaybackCommand } from '../common/contract/playback.js';
import type { FilteredChunk } from '../common/contract/worker-messages.js';
import type { BoardDriver, SampleSink } from './boards/driver.js';
import { listBoards, openBoard } from './boards/registry.js';
import { isAmplifier, type AmplifierBoard, type ChannelSettingsChange, type LinkStatus } from './boards/driver.js';
import { listSerialPorts } from './serial/ports.js';
import { PipelineHost } from './pipeline-host.js';
import { Recording, type RecordingResult } from './recording/recording.js';
import { recordingOptionsSchema, type RecordingOptionsInput } from '../common/contract/session.js';

export interface RawChunk {
  readonly firstSampleIndex: number;
  readonly rowCount: number;
  readonly channelCount: number;
  /** rowCount × channelCount interleaved values, a copy owned by the listener. */
  readonly data: Float64Array;
  /** Rows the display reader lost just before this chunk. */
  readonly lostRows: number;
}

export interface MarkerEvent {
  readonly sampleIndex: number;
  readonly label: string;
  readonly source: 'board' | 'user';
}

export interface GapEvent {
  /** The first missing sample index. */
  readonly sampleIndex: number;
  readonly lostSamples: number;
}

export interface EngineEvents {
  raw: RawChunk;
  filtered: FilteredChunk;
  status: EngineStatus;
  marker: MarkerEvent;
  gap: GapEvent;
  error: string;
}

export interface EngineOptions {
  /** Ring buffer length in seconds of data (default 30). */
  readonly bufferSeconds?: number;
  /** Largest chunk the pipeline filters at once, in rows (default 1024). */
  readonly maxBlockFrames?: number;
  /** How often status events fire (ms, default 250; 0 = never by timer). */
  readonly statusIntervalMs?: number;
}

const hostNowMs = (): number => performance.timeOrigin + performance.now();

const PERCENTILES = [50, 99] as const;

/** Everything that exists while a board is connected. */
class Session implements SampleSink {
  readonly clock: ClockModel;
  readonly rawReader: RingReader;
  readonly rawScratch: Float64Array;
  readonly latency = new RollingPercentiles();
  readonly processing = new RollingPercentiles();
  nextSampleIndex = 0;
  samplesReceived = 0;
  samplesFiltered = 0;
  deviceLost = 0;
  pipelineOverflow = 0;
  startedAtMs = 0;
  lastPushMs = 0;
  rawScheduled = false;
  pipeline: PipelineHost | undefined;
  recording: Recording | undefined;
  link: LinkStatus | null = null;
  /** Host time of the last stop while connected (a pause, for the recording's annotations). */
  pausedAtMs: number | undefined;
  roomWaiters: (() => void)[] = [];

  constructor(
    readonly engine: Engine,
    readonly driver: BoardDriver,
    readonly descriptor: BoardDescriptor,
    readonly ring: RingBuffer,
    readonly maxBlockFrames: number,
  ) {
    this.clock = new ClockModel({ nominalRateHz: descriptor.sampleRateHz });
    this.rawReader = new RingReader(ring);
    this.rawScratch = new Float64Array(maxBlockFrames * descriptor.channels.length);
  }

  pushRows(rows: Float64Array, rowCount: number): void {
    const channels = this.descriptor.channels.length;
    const capacity = this.ring.capacityRows;
    for (let done = 0; done < rowCount; ) {
      const n = Math.min(rowCount - done, capacity);
      const nowMs = hostNowMs();
      this.ring.write(done === 0 && n === rowCount ? rows : rows.subarray(done * channels, (done + n) * channels), n, this.nextSampleIndex, nowMs);
      this.clock.update(this.nextSampleIndex + n - 1, nowMs);
      this.nextSampleIndex += n;
      this.samplesReceived += n;
      this.lastPushMs = nowMs;
      done += n;
    }
    this.scheduleRawRead();
  }

  reportGap(lostSamples: number): void {
    if (!(lostSamples > 0)) return;
    this.engine.emit('gap', { sampleIndex: this.nextSampleIndex, lostSamples });
    // the recorder sees the jump in sample indices and annotates the file itself
    this.recording?.addEvent(this.nextSampleIndex, `gap: ${lostSamples} samples lost`, lostSamples / this.descriptor.sampleRateHz, 'gap', false);
    this.nextSampleIndex += lostSamples;
    this.deviceLost += lostSamples;
  }

  pushMarker(marker: { sampleIndex: number; label: string }): void {
    this.recording?.addEvent(marker.sampleIndex, marker.label, 0, 'cue');
    this.engine.emit('marker', { sampleIndex: marker.sampleIndex, label: marker.label, source: 'board' });
  }

  room(): number {
    return Math.floor(this.ring.capacityRows * 0.75) - this.ring.maxReaderLag();
  }

  waitForRoom(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.roomWaiters.push(resolve);
      // readers report progress through filtered chunks; a timer covers readers that do not
      setTimeout(() => this.wakeRoomWaiters(), 2);
    });
  }

  reportError(message: string): void {
    this.engine.emit('error', message);
  }

  wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    if (waiters.length === 0) return;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  onFiltered(chunk: FilteredChunk): void {
    this.samplesFiltered += chunk.rowCount;
    this.pipelineOverflow += chunk.lostRows;
    this.latency.record(chunk.latencyMs);
    this.processing.record(chunk.processingMs);
    this.engine.emit('filtered', chunk);
    this.wakeRoomWaiters();
  }

  private scheduleRawRead(): void {
    if (this.rawScheduled) return;
    this.rawScheduled = true;
    setImmediate(() => {
      this.rawScheduled = false;
      this.drainRaw();
    });
  }

  drainRaw(): void {
    if (!this.engine.hasListeners('raw')) {
      this.rawReader.skipToLive();
      return;
    }
    const channels = this.descriptor.channels.length;
    for (;;) {
      const n = this.rawReader.read(this.rawScratch, this.maxBlockFrames);
      if (n === 0) break;
      this.engine.emit('raw', {
        firstSampleIndex: this.rawReader.firstSampleIndex,
        rowCount: n,
        channelCount: channels,
        data: this.rawScratch.slice(0, n * channels),
        lostRows: this.rawReader.lostRows,
      });
    }
  }
}

export class Engine {
  private readonly emitters: { [K in keyof EngineEvents]: Emitter<EngineEvents[K]> } = {
    raw: new Emitter(),
    filtered: new Emitter(),
    status: new Emitter(),
    marker: new Emitter(),
    gap: new Emitter(),
    error: new Emitter(),
  };
  private session: Session | undefined;
  private state: EngineState = 'idle';
  private pipeline: PipelineDescription = EMPTY_PIPELINE;
  private statusTimer: ReturnType<typeof setInterval> | undefined;
  private lastError: string | null = null;
  private readonly options: Required<EngineOptions>;

  constructor(options: EngineOptions = {}) {
    this.options = { bufferSeconds: 30, maxBlockFrames: 1024, statusIntervalMs: 250, ...options };
  }

  listBoards(): BoardInfo[] {
    return listBoards();
  }

  get descriptor(): BoardDescriptor | undefined {
    return this.session?.descriptor;
  }

  get currentState(): EngineState {
    return this.state;
  }

  /** Subscribes to a stream; dispose the result to unsubscribe. */
  on<K extends keyof EngineEvents>(event: K, listener: (value: EngineEvents[K]) => void): Disposable {
    return this.emitters[event].on(listener);
  }

  hasListeners(event: keyof EngineEvents): boolean {
    return this.emitters[event].hasListeners;
  }

  /** @internal used by the session */
  emit<K extends keyof EngineEvents>(event: K, value: EngineEvents[K]): void {
    if (event === 'error') this.lastError = value as string;
    this.emitters[event].fire(value);
  }

  /** Opens a board. The options are validated here, whoever sends them. */
  async connect(input: unknown): Promise<BoardDescriptor> {
    if (this.state !== 'idle') throw new Error('a board is already connected: disconnect first');
    const driver = openBoard(input);
    await driver.prepare();
    const descriptor = driver.descriptor;
    const problems = pipelineProblems(this.pipeline, descriptor.sampleRateHz, descriptor.channels.length);
    if (problems.length > 0) {
      await driver.release();
      throw new Error(`the current filters do not fit this board: ${problems.join('; ')}`);
    }
    const channelCount = descriptor.channels.length;
    const maxBlockFrames = this.options.maxBlockFrames;
    const capacityRows = Math.max(Math.ceil(this.options.bufferSeconds * descriptor.sampleRateHz), 8 * maxBlockFrames);
    const ring = RingBuffer.create({ channelCount, capacityRows, maxReaders: 8 });
    const session = new Session(this, driver, descriptor, ring, maxBlockFrames);
    const slot = ring.claimReaderSlot();
    try {
      session.pipeline = await PipelineHost.start({
        ring,
        readerSlot: slot,
        readerCursor: ring.writtenRows,
        sampleRateHz: descriptor.sampleRateHz,
        channelCount,
        eegMask: Uint8Array.from(descriptor.channels, (c) => (c.type === 'eeg' ? 1 : 0)),
        maxBlockFrames,
        pipeline: this.pipeline,
        onChunk: (chunk) => session.onFiltered(chunk),
        onError: (message) => this.emit('error', message),
      });
    } catch (error) {
      await driver.release();
      throw error;
    }
    if (isAmplifier(driver)) {
      session.link = { state: driver.linkState, message: '' };
      driver.onLinkState((e) => {
        session.link = { state: e.state, message: e.message };
        // a disconnection is on record in the recording too (the gap itself comes as a gap)
        if (e.state === 'disconnected') session.recording?.addEvent(session.nextSampleIndex, `disconnected: ${e.message}`, 0, 'disconnection');
        this.emit('status', this.getStatus());
      });
      for (const notice of driver.notices) this.emit('error', notice);
    }
    this.session = session;
    this.state = 'connected';
    this.lastError = null;
    return descriptor;
  }

  async start(): Promise<void> {
    const session = this.requireSession('start');
    if (this.state === 'streaming') return;
    session.startedAtMs = hostNowMs();
    session.clock.reset();
    if (session.recording && session.pausedAtMs !== undefined) {
      // the file has no samples for the pause: say where and how long it was
      session.recording.addEvent(session.nextSampleIndex, `acquisition resumed after a ${((session.startedAtMs - session.pausedAtMs) / 1000).toFixed(1)} s pause`, 0, 'pause');
    }
    session.pausedAtMs = undefined;
    await session.driver.start(session);
    this.state = 'streaming';
    if (this.options.statusIntervalMs > 0) {
      this.statusTimer = setInterval(() => this.emit('status', this.getStatus()), this.options.statusIntervalMs);
      this.statusTimer.unref();
    }
  }

  /** Stops the board and waits until every sample it produced has been filtered and delivered. */
  async stop(): Promise<void> {
    const session = this.session;
    if (!session || this.state !== 'streaming') return;
    await session.driver.stop();
    session.pausedAtMs = hostNowMs();
    session.recording?.addEvent(session.nextSampleIndex, 'acquisition paused', 0, 'pause');
    session.wakeRoomWaiters();
    await session.pipeline?.flush();
    session.drainRaw();
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = undefined;
    this.state = 'connected';
    this.emit('status', this.getStatus());
  }

  /** Whether the connected board ends by itself (a bounded synthetic run, a recording played once). */
  get finite(): boolean {
    return this.session?.driver.ended !== undefined;
  }

  /** Resolves when a finite source has pushed its last row (never, for a live board). */
  ended(): Promise<void> {
    return this.requireSession('wait for the end').driver.ended ?? new Promise<void>(() => {});
  }

  async disconnect(): Promise<void> {
    const session = this.session;
    if (!session) return;
    await this.stop();
    if (session.recording) await this.stopRecording();
    await session.pipeline?.close();
    await session.driver.release();
    session.rawReader.close();
    this.session = undefined;
    this.state = 'idle';
  }

  /** Replaces the pipeline; while streaming it takes effect between two chunks, losing nothing. */
  async setPipeline(input: PipelineInput | unknown): Promise<PipelineDescription> {
    const parsed = pipelineSchema.safeParse(input);
    if (!parsed.success) throw new Error(`invalid pipeline: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'pipeline'}: ${i.message}`).join('; ')}`);
    const pipeline = parsed.data;
    const session = this.session;
    if (session) {
      const problems = pipelineProblems(pipeline, session.descriptor.sampleRateHz, session.descriptor.channels.length);
      if (problems.length > 0) throw new Error(problems.join('; '));
      await session.pipeline?.setPipeline(pipeline);
    }
    this.pipeline = pipeline;
    return pipeline;
  }

  get currentPipeline(): PipelineDescription {
    return this.pipeline;
  }

  /** Serial ports on this machine, the OpenBCI dongle recognised. */
  async listPorts(): Promise<{ path: string; description: string; openBciDongle: boolean }[]> {
    return (await listSerialPorts()).map((p) => ({ path: p.path, description: p.description, openBciDongle: p.openBciDongle }));
  }

  /** Channel settings of an amplifier (Cyton); the µV scale follows the gain the board confirms. */
  async setChannels(changes: readonly ChannelSettingsChange[]): Promise<readonly object[]> {
    return this.requireAmplifier('change channel settings').setChannels(changes);
  }

  async resetChannels(): Promise<readonly object[]> {
    const amp = this.requireAmplifier('reset channel settings');
    await amp.resetDefaults();
    return amp.channelSettings;
  }

  async registerDump(): Promise<string> {
    return this.requireAmplifier('read the registers').registerDump();
  }

  /** Lead-off impedance per channel (kΩ, good/fair/bad); the board returns to what it was doing. */
  async measureImpedance(channels?: readonly number[]): Promise<readonly object[]> {
    return this.requireAmplifier('measure impedance').measureImpedance(channels ? { channels } : {});
  }

  private requireAmplifier(action: string): AmplifierBoard {
    const driver = this.requireSession(action).driver;
    if (!isAmplifier(driver)) throw new Error(`cannot ${action}: the ${this.session!.descriptor.name} board has no such settings (a Cyton has)`);
    return driver;
  }

  /** A board-specific command (playback: pause, resume, seek S, speed X|max, loop on|off); returns the reply. */
  async configureBoard(command: string): Promise<string> {
    return this.requireSession('configure the board').driver.configure(command);
  }

  /** The playback transport (pause, resume, seek, speed, loop) of a board that has one; answers its state after the command. */
  async controlPlayback(command: PlaybackCommand): Promise<PlaybackState> {
    const driver = this.requireSession('control playback').driver;
    if (!driver.controlPlayback) throw new Error(`cannot control playback: the ${driver.descriptor.name} board has no playback transport (a recording being played has)`);
    return driver.controlPlayback(command);
  }

  /** Host time (ms, performance.timeOrigin based) of a sample, from the clock model. */
  sampleTimeMs(sampleIndex: number): number {
    return this.requireSession('time a sample').clock.timeOfSample(sampleIndex);
  }

  /**
   * Starts recording the raw samples from now on, BIDS-named in the data folder unless a path is
   * given. The options are validated here, whoever sends them.
   */
  async startRecording(input: RecordingOptionsInput | unknown): Promise<{ path: string }> {
    const session = this.requireSession('record');
    if (session.recording) throw new Error(`already recording to ${session.recording.info.path}`);
    const parsed = recordingOptionsSchema.safeParse(input);
    if (!parsed.success) throw new Error(`invalid recording options: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'options'}: ${i.message}`).join('; ')}`);
    // an amplifier's ranges follow its gains: a channel at gain 8 spans ±562 500 µV, not ±187 500
    const board = isAmplifier(session.driver) ? session.driver.currentDescriptor : session.descriptor;
    session.recording = await Recording.start(session.ring, board, session.nextSampleIndex, parsed.data, (message) => this.emit('error', message));
    return { path: session.recording.info.path };
  }

  /** Stops recording: every sample received so far is written, the file completed and checksummed. */
  async stopRecording(): Promise<RecordingResult> {
    const session = this.requireSession('stop recording');
    const recording = session.recording;
    if (!recording) throw new Error('not recording');
    session.recording = undefined;
    return recording.stop(session.nextSampleIndex, describePipeline(this.pipeline));
  }

  /** A marker from the user (UI, hotkey, network), stamped now in host time and mapped to a sample. */
  addMarker(label: string, hostTimeMs: number = hostNowMs()): MarkerEvent {
    const session = this.requireSession('add a marker');
    const event: MarkerEvent = { sampleIndex: Math.max(0, Math.round(session.clock.sampleAtTime(hostTimeMs))), label, source: 'user' };
    session.recording?.addEvent(event.sampleIndex, label, 0, 'marker');
    this.emit('marker', event);
    return event;
  }

  getStatus(): EngineStatus {
    const s = this.session;
    const pct = (p: RollingPercentiles): Percentiles => {
      const [p50, p99] = p.percentiles(PERCENTILES);
      return { p50, p99, max: p.recorded ? p.max : Number.NaN };
    };
    if (!s) {
      const none: Percentiles = { p50: Number.NaN, p99: Number.NaN, max: Number.NaN };
      return {
        state: this.state, boardId: null, sampleRateHz: 0, channelCount: 0, samplesReceived: 0, elapsedSec: 0,
        effectiveRateHz: 0, fittedRateHz: 0, clockJitterMs: 0, deviceLostSamples: 0, overflowLostSamples: 0,
        bufferFill: 0, latencyMs: none, processingMs: none, samplesFiltered: 0, pipeline: describePipeline(this.pipeline),
        lastError: this.lastError, recording: null, playback: null, link: null, notices: [],
      };
    }
    const elapsedMs = s.startedAtMs > 0 ? (this.state === 'streaming' ? hostNowMs() : s.lastPushMs) - s.startedAtMs : 0;
    return {
      state: this.state,
      boardId: s.descriptor.id,
      sampleRateHz: s.descriptor.sampleRateHz,
      channelCount: s.descriptor.channels.length,
      samplesReceived: s.samplesReceived,
      elapsedSec: elapsedMs / 1000,
      effectiveRateHz: elapsedMs > 0 ? (s.samplesReceived * 1000) / elapsedMs : 0,
      fittedRateHz: s.clock.fittedRateHz,
      clockJitterMs: s.clock.jitterMs,
      deviceLostSamples: s.deviceLost,
      overflowLostSamples: s.pipelineOverflow + s.rawReader.totalLostRows,
      bufferFill: Math.min(1, s.ring.maxReaderLag() / s.ring.capacityRows),
      latencyMs: pct(s.latency),
      processingMs: pct(s.processing),
      samplesFiltered: s.samplesFiltered,
      pipeline: describePipeline(this.pipeline),
      lastError: this.lastError,
      playback: s.driver.playback ?? null,
      link: s.link,
      notices: isAmplifier(s.driver) ? s.driver.notices : [],
      recording: s.recording
        ? {
            path: s.recording.info.path,
            durationSec: s.recording.progress.samplesWritten / s.descriptor.sampleRateHz,
            lostSamples: s.recording.progress.lostSamples,
            annotations: s.recording.progress.annotations,
            error: s.recording.error,
          }
        : null,
    };
  }

  async dispose(): Promise<void> {
    await this.disconnect();
    for (const emitter of Object.values(this.emitters)) emitter.clear();
  }

  private requireSession(action: string): Session {
    if (!this.session) throw new Error(`cannot ${action}: no board is connected (connect one first)`);
    return this.session;
  }
}
