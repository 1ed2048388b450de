// The spectrum plot: one uPlot chart of log power (dB re 1 µV²/Hz) against frequency, 1-60 Hz,
// redrawn after each analyser pass (a few times a second), never per sample frame. It shows every
// visible channel as a thin line with their mean on top, or the mean alone, or one channel. The
// EEG bands are shaded behind, and the mains frequencies marked.

import uPlot from 'uplot';
import type { SpectrumAnalyzer } from './spectrum-analyzer.js';
import { EEG_BANDS } from './spectrum-analyzer.js';
import { THEME, traceColor } from './theme.js';

export type SpectrumSelection = 'all' | 'mean' | number;

export interface SpectrumView {
  readonly channels: readonly number[];
  readonly selection: SpectrumSelection;
}

const DB_STEP = 10;

export class SpectrumChart {
  private chart: uPlot | null = null;
  private analyzer: SpectrumAnalyzer | null = null;
  private view: SpectrumView = { channels: [], selection: 'all' };
  private builtFor = '';
  private width = 0;
  private height = 0;
  private meanLinear = new Float64Array(0);
  private meanDb = new Float64Array(0);
  private data: uPlot.AlignedData | null = null;
  private yRange: [number, number] = [-20, 30];
  private seriesChannels: number[] = [];
  /** Railed / flat channels: drawn, but left out of the mean and the axis range. */
  private excluded: readonly number[] = [];

  constructor(private readonly host: HTMLElement) {}

  setView(view: SpectrumView): void {
    this.view = view;
    this.builtFor = '';
  }

  setSize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    if (this.chart && width > 0 && height > 0) this.chart.setSize({ width, height });
  }

  setExcluded(flags: readonly number[]): void {
    this.excluded = flags;
  }

  /** Redraws from the analyser's latest completed pass. */
  update(analyzer: SpectrumAnalyzer | null): void {
    if (!analyzer || this.width <= 0 || this.height <= 0) {
      this.destroy();
      this.analyzer = analyzer;
      return;
    }
    const key = `${this.view.channels.join(',')}|${String(this.view.selection)}`;
    if (!this.chart || analyzer !== this.analyzer || key !== this.builtFor) this.build(analyzer, key);
    const channels = this.meanChannels();
    analyzer.meanPsd(channels, this.meanLinear);
    analyzer.toDisplayDb(this.meanLinear, this.meanDb);
    this.updateRange();
    this.chart!.setData(this.data!, false);
    this.chart!.redraw(false, false);
  }

  /** Blank the traces (e.g. while the analyser refills after a filter change). */
  clear(): void {
    if (!this.chart || !this.data) return;
    this.meanDb.fill(NaN);
    this.chart.setData(this.data, false);
    this.chart.redraw(false, false);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
    this.builtFor = '';
  }

  /** Which channels the mean (and the band powers) cover. */
  meanChannels(): readonly number[] {
    const sel = this.view.selection;
    if (typeof sel === 'number') return [sel];
    const good = this.view.channels.filter((c) => !this.excluded[c]);
    return good.length > 0 ? good : this.view.channels;
  }

  private updateRange(): void {
    let lo = Infinity;
    let hi = -Infinity;
    const scan = (arr: Float64Array) => {
      for (let i = 0; i < arr.length; i++) {
        const v = arr[i];
        if (v !== v) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
      }
    };
    scan(this.meanDb);
    if (this.analyzer) for (const c of this.seriesChannels) if (!this.excluded[c] || this.seriesChannels.length === 1) scan(this.analyzer.psdDb[c]);
    if (!Number.isFinite(lo) || !Number.isFinite(hi)) return;
    const wantLo = Math.floor(lo / DB_STEP) * DB_STEP;
    const wantHi = Math.ceil(hi / DB_STEP) * DB_STEP + (hi % DB_STEP > DB_STEP - 2 ? DB_STEP : 0);
    const [curLo, curHi] = this.yRange;
    // grow at once; shrink only when far off (the axis should not breathe)
    const nextLo = wantLo < curLo || wantLo - curLo > 2 * DB_STEP ? wantLo : curLo;
    const nextHi = wantHi > curHi || curHi - wantHi > 2 * DB_STEP ? wantHi : curHi;
    if (nextLo !== curLo || nextHi !== curHi) {
      this.yRange = [nextLo, Math.max(nextHi, nextLo + DB_STEP)];
      this.chart?.setScale('y', { min: this.yRange[0], max: this.yRange[1] });
    }
  }

  private build(analyzer: SpectrumAnalyzer, key: string): void {
    this.destroy();
    this.analyzer = analyzer;
    this.builtFor = key;
    const bins = analyzer.displayFrequencyHz.length;
    this.meanLinear = new Float64Array(analyzer.frequencyHz.length);
    this.meanDb = new Float64Array(bins).fill(NaN);
    const sel = this.view.selection;
    this.seriesChannels = sel === 'all' ? [...this.view.channels] : typeof sel === 'number' ? [sel] : [];
    const showMean = sel === 'mean' || (sel === 'all' && this.view.channels.length > 1);
    const series: uPlot.Series[] = [{}];
    const arrays: Float64Array[] = [analyzer.displayFrequencyHz];
    const thin = this.seriesChannels.length > 16 ? 0.35 : 0.6;
    for (const c of this.seriesChannels) {
      series.push({ stroke: traceColor(c), width: typeof sel === 'number' ? 1.5 : 1, alpha: typeof sel === 'number' ? 1 : thin, points: { show: false } });
      arrays.push(analyzer.psdDb[c]);
    }
    if (showMean) {
      series.push({ stroke: THEME.mean, width: 2, points: { show: false } });
      arrays.push(this.meanDb);
    }
    this.data = arrays as unknown as uPlot.AlignedData;
    const maxHz = analyzer.displayFrequencyHz[bins - 1] ?? 60;
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      cursor: { show: false },
      padding: [8, 18, 0, 0],
      scales: {
        x: { time: false, auto: false, range: () => [1, Math.max(2, Math.round(maxHz))] },
        y: { auto: false, range: () => this.yRange },
      },
      axes: [
        {
          stroke: THEME.axis,
          font: THEME.font,
          size: 24,
          gap: 3,
          grid: { stroke: THEME.grid, width: 1 },
          ticks: { stroke: THEME.grid, width: 1, size: 3 },
          splits: () => [1, 10, 20, 30, 40, 50, 60].filter((f) => f <= Math.round(maxHz)),
          values: (_u, splits) => splits.map((v) => (v === 60 || v === Math.round(maxHz) ? `${v} Hz` : String(v))),
        },
        {
          stroke: THEME.axis,
          font: THEME.font,
          size: 40,
          gap: 3,
          grid: { stroke: THEME.grid, width: 1 },
          ticks: { stroke: THEME.grid, width: 1, size: 3 },
          incrs: [5, 10, 20, 50],
          values: (_u, splits) => splits.map((v) => `${v}`),
          label: 'dB µV²/Hz',
          labelFont: THEME.font,
          labelSize: 14,
          labelGap: 0,
        },
      ],
      series,
      hooks: { drawClear: [drawBandShading] },
    };
    this.chart = new uPlot(opts, this.data, this.host);
  }
}

/** EEG bands shaded behind the traces, named along the top; mains frequencies dashed. */
function drawBandShading(u: uPlot): void {
  const ctx = u.ctx;
  const { top, height } = u.bbox;
  const dpr = uPlot.pxRatio;
  ctx.save();
  ctx.font = THEME.font.replace('11px', `${Math.round(10 * dpr)}px`);
  ctx.textBaseline = 'top';
  ctx.textAlign = 'center';
  EEG_BANDS.forEach((band, i) => {
    const x0 = u.valToPos(band.lowHz, 'x', true);
    const x1 = u.valToPos(band.highHz, 'x', true);
    if (i % 2 === 0) {
      ctx.fillStyle = 'rgba(160, 175, 200, 0.045)';
      ctx.fillRect(x0, top, x1 - x0, height);
    }
    ctx.fillStyle = 'rgba(160, 175, 200, 0.55)';
    const name = { delta: 'δ', theta: 'θ', alpha: 'α', beta: 'β', gamma: 'γ' }[band.name] ?? band.name;
    ctx.fillText(name, (x0 + x1) / 2, top + 2 * dpr);
  });
  ctx.strokeStyle = 'rgba(247, 118, 142, 0.35)';
  ctx.setLineDash([3 * dpr, 3 * dpr]);
  ctx.lineWidth = dpr;
  ctx.beginPath();
  for (const f of [50, 60]) {
    const x = Math.round(u.valToPos(f, 'x', true)) + 0.5;
    if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) continue;
    ctx.moveTo(x, top);
    ctx.lineTo(x, top + height);
  }
  ctx.stroke();
  ctx.restore();
}
