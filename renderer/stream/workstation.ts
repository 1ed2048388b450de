// The workstation's engine room, outside React: the stream model fed by the client's frames, the
// two charts, and one requestAnimationFrame loop that draws the time series when new samples
// arrived (one setData per frame at most) and runs the spectrum analyser in small time slices,
// starting a pass a few times a second. React components attach the charts to their elements and
// listen for the low-rate results (spectrum summaries, quality flags); samples never reach React.

import { Emitter, type Disposable } from '../../electron/common/disposable.js';
import type { SampleFrame } from '../../electron/common/contract/frames.js';
import type { MarkerInfo } from '../../electron/common/contract/commands.js';
import { StreamModel, type StreamShape } from './stream-model.js';
import { TimeSeriesChart } from './time-series-chart.js';
import { SpectrumChart } from './spectrum-chart.js';
import { bandPowersOf, createBandPowers, type BandPowers } from './spectrum-analyzer.js';

/** The time-series window the stream model starts with (s); the view changes it. */
export const DEFAULT_WINDOW_SEC = 10;

/** How often a spectrum pass starts (ms): three updates a second, two for large montages. */
const SPECTRUM_INTERVAL_MS = 330;
const SPECTRUM_INTERVAL_LARGE_MS = 500;
/** Samples per second above which a montage counts as large (e.g. 32 channels × 1000 Hz). */
const LARGE_MONTAGE_RATE = 20_000;
/** Main-thread time a frame may spend on the spectrum (ms). */
const SPECTRUM_BUDGET_MS = 3;

export interface SpectrumSummary {
  readonly bands: { readonly absolute: readonly number[]; readonly relative: readonly number[]; readonly total: number };
  /** Mains peak over floor, dB (null: not measurable yet). */
  readonly mainsDb: { readonly 50: number | null; readonly 60: number | null };
  readonly passes: number;
}

export interface QualitySnapshot {
  readonly flags: readonly number[];
}

export class Workstation implements Disposable {
  readonly model = new StreamModel(DEFAULT_WINDOW_SEC, 1000);
  readonly onSpectrum = new Emitter<SpectrumSummary | null>();
  readonly onQuality = new Emitter<QualitySnapshot>();
  /** Every marker as it arrives (the recording panel lists the ones that went into the file). */
  readonly onMarker = new Emitter<MarkerInfo>();
  private timeSeries: TimeSeriesChart | null = null;
  private spectrum: SpectrumChart | null = null;
  private raf = 0;
  private lastPassStartMs = -Infinity;
  /** The analyser data a pass last started on (no pass over unchanged data, e.g. when stopped). */
  private lastPassData = -1;
  private qualityVersion = -1;
  private readonly bands: BandPowers = createBandPowers();
  private readonly meanScratch = { psd: new Float64Array(0) };
  /** Frames drawn, and rAF ticks (a benchmark can read these). */
  ticks = 0;
  /**
   * While something covers the window (a calibration's cue stage), the plots are not drawn: samples
   * still arrive into the model and the first frame after shows the present, but the frames under
   * the stage are left to it (an SSVEP flicker must not lose frames to hidden traces).
   */
  drawingSuspended = false;

  constructor() {
    this.raf = requestAnimationFrame(this.tick);
  }

  /** Feed from EngineClient.onFrame. */
  readonly pushFrame = (frame: SampleFrame): void => {
    this.model.pushFrame(frame);
  };

  addMarker(marker: MarkerInfo): void {
    this.model.addMarker(marker);
    this.onMarker.fire(marker);
  }

  configure(shape: StreamShape | null): void {
    if (this.model.configure(shape)) {
      this.qualityVersion = -1;
      this.onSpectrum.fire(null);
      this.onQuality.fire({ flags: new Array<number>(shape?.channelCount ?? 0).fill(0) });
    }
  }

  pipelineChanged(): void {
    this.model.pipelineChanged();
    this.spectrum?.clear();
    this.onSpectrum.fire(null);
  }

  attachTimeSeries(host: HTMLElement): TimeSeriesChart {
    this.timeSeries?.destroy();
    this.timeSeries = new TimeSeriesChart(host, this.model);
    return this.timeSeries;
  }

  detachTimeSeries(chart: TimeSeriesChart): void {
    if (this.timeSeries !== chart) return;
    chart.destroy();
    this.timeSeries = null;
  }

  attachSpectrum(host: HTMLElement): SpectrumChart {
    this.spectrum?.destroy();
    this.spectrum = new SpectrumChart(host);
    if (this.model.quality) this.spectrum.setExcluded(Array.from(this.model.quality.flags));
    return this.spectrum;
  }

  detachSpectrum(chart: SpectrumChart): void {
    if (this.spectrum !== chart) return;
    chart.destroy();
    this.spectrum = null;
  }

  /** Redraw the spectrum from the last pass (after a view change), without waiting for the next. */
  refreshSpectrum(): void {
    const analyzer = this.model.spectrum;
    if (analyzer?.hasResult) this.publishSpectrum();
  }

  dispose(): void {
    cancelAnimationFrame(this.raf);
    this.timeSeries?.destroy();
    this.spectrum?.destroy();
    this.onSpectrum.clear();
    this.onQuality.clear();
    this.onMarker.clear();
  }

  private readonly tick = (now: number): void => {
    this.raf = requestAnimationFrame(this.tick);
    this.ticks++;
    if (this.drawingSuspended) return;
    this.timeSeries?.render();
    const analyzer = this.model.spectrum;
    if (analyzer) {
      const interval = analyzer.channelCount * analyzer.sampleRateHz > LARGE_MONTAGE_RATE ? SPECTRUM_INTERVAL_LARGE_MS : SPECTRUM_INTERVAL_MS;
      if (!analyzer.passRunning && now - this.lastPassStartMs >= interval && analyzer.dataVersion !== this.lastPassData && analyzer.beginPass()) {
        this.lastPassStartMs = now;
        this.lastPassData = analyzer.dataVersion;
      }
      if (analyzer.passRunning && analyzer.advance(SPECTRUM_BUDGET_MS)) this.publishSpectrum();
    }
    const quality = this.model.quality;
    if (quality && quality.version !== this.qualityVersion) {
      this.qualityVersion = quality.version;
      const flags = Array.from(quality.flags);
      if (analyzer) analyzer.excluded.set(quality.flags);
      this.spectrum?.setExcluded(flags);
      this.onQuality.fire({ flags });
    }
  };

  private publishSpectrum(): void {
    const analyzer = this.model.spectrum;
    if (!analyzer?.hasResult) return;
    const chart = this.spectrum;
    chart?.update(analyzer);
    const channels = chart?.meanChannels() ?? Array.from({ length: analyzer.channelCount }, (_, i) => i);
    if (this.meanScratch.psd.length !== analyzer.frequencyHz.length) this.meanScratch.psd = new Float64Array(analyzer.frequencyHz.length);
    analyzer.meanPsd(channels, this.meanScratch.psd);
    bandPowersOf(analyzer.frequencyHz, this.meanScratch.psd, this.bands);
    this.onSpectrum.fire({
      bands: { absolute: Array.from(this.bands.absolute), relative: Array.from(this.bands.relative), total: this.bands.total },
      mainsDb: { 50: analyzer.mainsReadout(50).db, 60: analyzer.mainsReadout(60).db },
      passes: analyzer.passes,
    });
  }
}
