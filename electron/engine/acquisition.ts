// An acquisition: everything that exists while a board is connected. It is the driver's sample
// sink (rows into the ring buffer with sample indices, the clock model fed on every push, device
// gaps, board markers, back-pressure for unpaced software sources), the pipeline worker's
// filtered chunks and predictions, the display reader of raw rows, the decoder running (if any),
// and the counters the status is made of.

import { RingBuffer, RingReader } from '../common/ring-buffer.js';
import { ClockModel } from '../common/clock-model.js';
import { RollingPercentiles } from '../common/rolling-stats.js';
import type { BoardDescriptor } from '../common/boards/descriptor.js';
import type { Montage } from '../common/contract/montage.js';
import type { BoardDriver, LinkStatus, SampleSink } from './boards/driver.js';
import type { FilteredChunk, PredictionChunk } from '../common/contract/worker-messages.js';
import type { ActiveDecoder } from './decoding/active-decoder.js';
import type { PipelineHost } from './pipeline-host.js';
import type { Recording } from './recording/recording.js';
import type { EngineEvents } from './engine-events.js';
import type { EthicsCheck } from '../common/contract/ethics.js';
import type { QualitySummary } from '../common/contract/quality.js';
import type { AlertMonitor } from './safety/alert-monitor.js';
import type { ImpedanceReading } from '../common/boards/amplifier.js';

export const hostNowMs = (): number => performance.timeOrigin + performance.now();

/** What an acquisition tells its engine. */
export interface AcquisitionOutlet {
  emit<K extends keyof EngineEvents>(event: K, value: EngineEvents[K]): void;
  hasListeners(event: keyof EngineEvents): boolean;
}

export class Acquisition implements SampleSink {
  readonly clock: ClockModel;
  readonly rawReader: RingReader;
  readonly rawScratch: Float64Array;
  readonly latency = new RollingPercentiles();
  readonly processing = new RollingPercentiles();
  nextSampleIndex = 0;
  rowsReceived = 0;
  rowsFiltered = 0;
  deviceLost = 0;
  pipelineOverflow = 0;
  /** Rows the raw reader lost on reads that returned nothing, not yet reported in a raw chunk. */
  private unreportedRawLost = 0;
  /** The sample index after the last raw row emitted. */
  private nextRawSampleIndex = 0;
  startedAtMs = 0;
  lastPushMs = 0;
  rawScheduled = false;
  pipeline: PipelineHost | undefined;
  recording: Recording | undefined;
  decoder: ActiveDecoder | undefined;
  link: LinkStatus | null = null;
  /** The ethics check the recording in progress started under. */
  ethics: EthicsCheck | undefined;
  /** The alert rules watching this acquisition (set by the engine at connect). */
  alerts: AlertMonitor | undefined;
  /** The latest second of signal quality. */
  quality: QualitySummary | null = null;
  /** The last impedance readings (for the checklist). */
  impedance: readonly ImpedanceReading[] | null = null;
  /** Channels (1-based) whose impedance the operator accepted, and why. */
  impedanceOverride: { channels: number[]; reason: string; at: string } | undefined;
  /** Consecutive quality windows with no used channel bad and nothing lost (the checklist's 10 s). */
  goodQualityWindows = 0;
  /** Why the last window was not good, for the checklist. */
  qualityProblem: string | undefined;
  /** Host time of the last stop while connected (a pause, for the recording's annotations). */
  pausedAtMs: number | undefined;
  /** Where that stop left the recording running then (its pause is annotated only if it resumes). */
  pausedAt: { readonly sampleIndex: number; readonly recording: Recording } | undefined;
  roomWaiters: (() => void)[] = [];
  /** The montage applied to the board (labels, types, positions), if any. */
  montage: Montage | undefined;

  constructor(
    readonly outlet: AcquisitionOutlet,
    readonly driver: BoardDriver,
    /** What clients see: the board's descriptor, or as an applied montage relabels it. */
    public descriptor: BoardDescriptor,
    readonly ring: RingBuffer,
    readonly maxBlockRows: number,
  ) {
    this.clock = new ClockModel({ nominalRateHz: descriptor.sampleRateHz });
    this.rawReader = new RingReader(ring);
    this.rawScratch = new Float64Array(maxBlockRows * descriptor.channels.length);
  }

  pushRows(rows: Float64Array, rowCount: number, lastRowHostMs?: number): void {
    const channels = this.descriptor.channels.length;
    const capacity = this.ring.capacityRows;
    for (let done = 0; done < rowCount; ) {
      const n = Math.min(rowCount - done, capacity);
      const nowMs = lastRowHostMs !== undefined && done + n === rowCount ? lastRowHostMs : hostNowMs();
      this.ring.write(done === 0 && n === rowCount ? rows : rows.subarray(done * channels, (done + n) * channels), n, this.nextSampleIndex, nowMs);
      // a source's own stamps (an LSL stream) place its samples better than their arrival does
      const stampMs = lastRowHostMs === undefined ? nowMs : lastRowHostMs - ((rowCount - done - n) * 1000) / this.descriptor.sampleRateHz;
      this.clock.update(this.nextSampleIndex + n - 1, stampMs);
      this.nextSampleIndex += n;
      this.rowsReceived += n;
      this.lastPushMs = nowMs;
      done += n;
    }
    this.scheduleRawRead();
  }

  reportGap(lostRows: number): void {
    if (!(lostRows > 0)) return;
    this.outlet.emit('gap', { sampleIndex: this.nextSampleIndex, lostRows });
    // the recorder sees the jump in sample indices and annotates the file itself
    this.recording?.addEvent(this.nextSampleIndex, `gap: ${lostRows} samples lost`, lostRows / this.descriptor.sampleRateHz, 'gap', false);
    this.nextSampleIndex += lostRows;
    this.deviceLost += lostRows;
  }

  pushMarker(marker: { sampleIndex: number; label: string; durationSec?: number }): void {
    const durationSec = marker.durationSec ?? 0;
    this.recording?.addEvent(marker.sampleIndex, marker.label, durationSec, 'cue');
    this.outlet.emit('marker', { sampleIndex: marker.sampleIndex, label: marker.label, source: 'board', ...(durationSec > 0 && { durationSec }) });
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
    this.outlet.emit('error', message);
  }

  /** Faults in the data (see SampleSink.reportFault), each once, in order. */
  readonly faults: string[] = [];

  reportFault(message: string): void {
    if (!this.faults.includes(message) && this.faults.length < 32) this.faults.push(message);
    this.recording?.addEvent(this.nextSampleIndex, `fault: ${message}`, 0, 'fault');
    this.outlet.emit('error', message);
  }

  wakeRoomWaiters(): void {
    const waiters = this.roomWaiters;
    if (waiters.length === 0) return;
    this.roomWaiters = [];
    for (const w of waiters) w();
  }

  onFiltered(chunk: FilteredChunk): void {
    this.rowsFiltered += chunk.rowCount;
    this.pipelineOverflow += chunk.lostRows;
    if (chunk.rowCount > 0) {
      // (a chunk of no rows only carries a loss: it has no latency)
      this.latency.record(chunk.latencyMs);
      this.processing.record(chunk.processingMs);
    }
    this.outlet.emit('filtered', chunk);
    this.wakeRoomWaiters();
  }

  onPredictions(chunk: PredictionChunk): void {
    const recording = this.recording;
    const event = this.decoder?.accept(chunk, recording ? (sampleIndex, label) => recording.addEvent(sampleIndex, label, 0, 'prediction') : undefined);
    if (event) this.outlet.emit('prediction', event);
  }

  onQuality(summary: QualitySummary): void {
    this.quality = summary;
    let problem: string | undefined = summary.lostRows > 0 ? `${summary.lostRows} samples lost` : undefined;
    for (let c = 0; c < summary.channels.length && !problem; c++) {
      const q = summary.channels[c];
      if (this.descriptor.channels[c]?.type === 'eeg' && (q.level === 'bad' || q.level === 'unknown')) problem = `${this.descriptor.channels[c].label} ${q.railed ? 'railed' : q.flat ? 'flat' : 'without signal'}`;
    }
    this.qualityProblem = problem;
    this.goodQualityWindows = problem ? 0 : this.goodQualityWindows + Math.round(summary.windowRows / this.descriptor.sampleRateHz);
    this.outlet.emit('quality', summary);
    this.alerts?.onQuality(summary);
  }

  /** The decoder of that generation threw in the worker and was dropped there: it stops here too. */
  onDecoderFailed(generation: number, message: string): void {
    const decoder = this.decoder;
    if (!decoder || decoder.generation !== generation) return;
    this.decoder = undefined;
    this.outlet.emit('error', `the ${decoder.info.kind} decoder failed and was stopped (filtering goes on): ${message}`);
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
    if (!this.outlet.hasListeners('raw')) {
      this.rawReader.skipToLive();
      return;
    }
    const channels = this.descriptor.channels.length;
    for (;;) {
      const n = this.rawReader.read(this.rawScratch, this.maxBlockRows);
      if (n === 0) {
        // a read that copied nothing may still have lost rows: they go with the next chunk
        this.unreportedRawLost += this.rawReader.lostRows;
        break;
      }
      const firstSampleIndex = this.rawReader.firstSampleIndex;
      this.nextRawSampleIndex = firstSampleIndex + n;
      const lostRows = this.rawReader.lostRows + this.unreportedRawLost;
      this.unreportedRawLost = 0;
      this.outlet.emit('raw', { firstSampleIndex, rowCount: n, channelCount: channels, data: this.rawScratch.slice(0, n * channels), lostRows });
    }
  }

  /** At a stop: a raw chunk of no rows carries the loss no chunk reported yet, so listeners' sums add up. */
  reportRawLoss(): void {
    if (this.unreportedRawLost === 0 || !this.outlet.hasListeners('raw')) return;
    const lostRows = this.unreportedRawLost;
    this.unreportedRawLost = 0;
    this.outlet.emit('raw', { firstSampleIndex: this.nextRawSampleIndex + lostRows, rowCount: 0, channelCount: this.descriptor.channels.length, data: new Float64Array(0), lostRows });
  }
}

