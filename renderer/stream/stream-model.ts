// The stream model: where sample frames land in the renderer, outside React. It owns, for the
// connected board, the time-series display buffer, the spectrum analyser, the channel quality
// flags and the recent markers, and routes each frame to them (filtered frames to the plots,
// raw frames to railed/flat detection). Views poll it from the animation-frame loop: `dirty`
// says new samples arrived since the last draw. Pure: no DOM.

import type { BoardDescriptor } from '../../electron/common/boards/descriptor.js';
import type { SampleFrame } from '../../electron/common/contract/frames.js';
import { ChannelQuality } from './channel-quality.js';
import { SpectrumAnalyzer } from './spectrum-analyzer.js';
import { TimeSeriesBuffer } from './time-series-buffer.js';

export interface StreamShape {
  readonly channelCount: number;
  readonly sampleRateHz: number;
  readonly labels: readonly string[];
  /** Channel types ('eeg', 'accel', 'aux', …), for grouping. */
  readonly types: readonly string[];
  /** Full scale per channel, for railed detection. */
  readonly fullScale: readonly number[];
}

export interface PlotMarker {
  readonly sampleIndex: number;
  readonly label: string;
  readonly source: 'board' | 'user' | 'udp';
}

export const MAX_MARKERS = 200;
/** Raw frames count for quality while one arrived within this many seconds of samples. */
const RAW_FRESH_SEC = 2;

export function shapeOf(descriptor: BoardDescriptor): StreamShape {
  return {
    channelCount: descriptor.channels.length,
    sampleRateHz: descriptor.sampleRateHz,
    labels: descriptor.channels.map((c) => c.label),
    types: descriptor.channels.map((c) => c.type),
    fullScale: descriptor.channels.map((c) => Math.max(Math.abs(c.physicalMin), Math.abs(c.physicalMax))),
  };
}

export function sameShape(a: StreamShape | null, b: StreamShape | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return (
    a.channelCount === b.channelCount &&
    a.sampleRateHz === b.sampleRateHz &&
    a.labels.length === b.labels.length &&
    a.labels.every((l, i) => l === b.labels[i]) &&
    a.types.every((t, i) => t === b.types[i]) &&
    a.fullScale.every((f, i) => f === b.fullScale[i])
  );
}

export class StreamModel {
  shape: StreamShape | null = null;
  timeSeries: TimeSeriesBuffer | null = null;
  spectrum: SpectrumAnalyzer | null = null;
  quality: ChannelQuality | null = null;
  readonly markers: PlotMarker[] = [];
  /** New time-series samples since the last `takeDirty`. */
  private dirty = false;
  private windowSec: number;
  private columns: number;
  private removeBaseline = true;
  private lastRawSampleIndex = -Infinity;
  /** Frames that did not match the board's shape (counted, not drawn). */
  mismatchedFrames = 0;
  /** Sample index after the newest filtered sample (for marker placement, status). */
  nextSampleIndex = 0;

  constructor(windowSec: number, columns: number) {
    this.windowSec = windowSec;
    this.columns = columns;
  }

  /** Sets up for a board (null: none connected). Keeps everything when the shape is unchanged. */
  configure(shape: StreamShape | null): boolean {
    if (sameShape(this.shape, shape)) return false;
    this.shape = shape;
    this.markers.length = 0;
    this.lastRawSampleIndex = -Infinity;
    this.nextSampleIndex = 0;
    if (!shape) {
      this.timeSeries = this.spectrum = this.quality = null;
    } else {
      this.timeSeries = this.makeTimeSeries(shape);
      this.spectrum = new SpectrumAnalyzer(shape.channelCount, shape.sampleRateHz);
      this.quality = new ChannelQuality(shape.channelCount, shape.sampleRateHz, shape.fullScale);
    }
    this.dirty = true;
    return true;
  }

  /** A new window length (the display starts over) or pixel width (the display is re-binned). */
  setLayout(windowSec: number, columns: number): void {
    const cols = Math.max(2, Math.floor(columns));
    if (windowSec === this.windowSec && cols === this.columns) return;
    const sameWindow = windowSec === this.windowSec;
    this.windowSec = windowSec;
    this.columns = cols;
    if (this.shape) {
      // a resize keeps what is on screen; a new window length starts a fresh sweep
      this.timeSeries = sameWindow && this.timeSeries ? this.timeSeries.withColumns(cols) : this.makeTimeSeries(this.shape);
    }
    this.dirty = true;
  }

  setRemoveBaseline(on: boolean): void {
    this.removeBaseline = on;
    if (this.timeSeries) this.timeSeries.removeBaseline = on;
  }

  /**
   * The filters changed: the spectrum restarts so it shows only what the new pipeline passes, and
   * the display baseline restarts so a removed (or restored) DC offset does not clip the traces.
   */
  pipelineChanged(): void {
    this.spectrum?.reset();
    this.timeSeries?.rebaseline();
  }

  pushFrame(frame: SampleFrame): void {
    // prediction frames (class probabilities) are not samples: a decoding view draws them
    if (frame.kind === 'prediction') return;
    const shape = this.shape;
    if (!shape || frame.channelCount !== shape.channelCount) {
      this.mismatchedFrames++;
      return;
    }
    const { samples, channelCount, sampleCount, firstSampleIndex } = frame;
    if (frame.kind === 'raw') {
      this.lastRawSampleIndex = firstSampleIndex + sampleCount;
      this.quality?.push(samples, channelCount, sampleCount);
      return;
    }
    if (firstSampleIndex < this.nextSampleIndex) {
      // the sample index went back: a new stream
      this.spectrum?.reset(0);
      this.quality?.reset();
      this.markers.length = 0;
    }
    this.timeSeries?.push(samples, channelCount, sampleCount, firstSampleIndex);
    this.spectrum?.push(samples, channelCount, sampleCount);
    if (firstSampleIndex - this.lastRawSampleIndex > RAW_FRESH_SEC * shape.sampleRateHz) {
      this.quality?.push(samples, channelCount, sampleCount);
    }
    this.nextSampleIndex = firstSampleIndex + sampleCount;
    this.dirty = true;
  }

  addMarker(marker: PlotMarker): void {
    this.markers.push(marker);
    if (this.markers.length > MAX_MARKERS) this.markers.splice(0, this.markers.length - MAX_MARKERS);
    this.dirty = true;
  }

  /** True once per batch of new samples (or layout change); resets the flag. */
  takeDirty(): boolean {
    const d = this.dirty;
    this.dirty = false;
    return d;
  }

  markDirty(): void {
    this.dirty = true;
  }

  private makeTimeSeries(shape: StreamShape): TimeSeriesBuffer {
    const buffer = new TimeSeriesBuffer({ channelCount: shape.channelCount, sampleRateHz: shape.sampleRateHz, windowSec: this.windowSec, columns: this.columns });
    buffer.removeBaseline = this.removeBaseline;
    return buffer;
  }
}
