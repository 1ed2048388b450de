// The accelerometer traces: one uPlot chart, g against time over the last few seconds, one line
// per axis in the trace colours. It reads an AccelHistory's typed arrays and redraws only when the
// history changed, at most once per animation frame (the panel calls `render` from its frame).

import uPlot from 'uplot';
import type { AccelHistory } from './accelerometer.js';
import { THEME, traceColor } from '../../stream/theme.js';

export class AccelChart {
  private chart: uPlot | null = null;
  private builtFor = '';
  private drawnVersion = -1;
  private width = 0;
  private height = 0;
  private xRange: [number, number];
  private yRange: [number, number] = [-1, 1];
  private readonly data: (Float64Array | null)[] = [];
  /** Frames drawn (a test or benchmark can read it from the host's data-draws). */
  draws = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly history: AccelHistory,
    private readonly names: readonly string[],
  ) {
    this.xRange = [-history.windowSec, 0];
  }

  setSize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    if (this.chart && width > 0 && height > 0) this.chart.setSize({ width, height });
    this.drawnVersion = -1;
  }

  /** Redraws when the history changed since the last call. */
  render(): void {
    const history = this.history;
    if (history.version === this.drawnVersion || this.width <= 0 || this.height <= 0) return;
    this.drawnVersion = history.version;
    const key = this.names.join('\u0000');
    if (!this.chart || key !== this.builtFor) this.build(key);
    const { timesSec, axes } = history.layout();
    const newest = history.newestSec;
    this.xRange[0] = newest - history.windowSec;
    this.xRange[1] = newest;
    const [lo, hi] = history.range();
    this.yRange[0] = lo;
    this.yRange[1] = hi;
    // the same array each frame: uPlot only reads it
    this.data.length = 0;
    this.data.push(timesSec, ...axes);
    this.chart!.setData(this.data as unknown as uPlot.AlignedData, false);
    this.chart!.setScale('x', { min: this.xRange[0], max: this.xRange[1] });
    this.chart!.setScale('y', { min: lo, max: hi });
    this.draws++;
    this.host.dataset.draws = String(this.draws);
  }

  destroy(): void {
    this.chart?.destroy();
    this.chart = null;
    this.builtFor = '';
    this.drawnVersion = -1;
  }

  private build(key: string): void {
    this.destroy();
    this.builtFor = key;
    const series: uPlot.Series[] = [{}, ...this.names.map((label, a): uPlot.Series => ({ label, stroke: traceColor(a), width: 1.25, points: { show: false } }))];
    const axis = { stroke: THEME.axis, font: THEME.font, gap: 3, grid: { stroke: THEME.grid, width: 1 }, ticks: { stroke: THEME.grid, width: 1, size: 3 } };
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      cursor: { show: false },
      padding: [6, 12, 0, 0],
      scales: {
        x: { time: false, auto: false, range: () => this.xRange },
        y: { auto: false, range: () => this.yRange },
      },
      axes: [
        { ...axis, size: 22, values: (_u, splits) => splits.map((v) => `${Math.round(v - this.xRange[1]) || 0} s`) },
        { ...axis, size: 40, values: (_u, splits) => splits.map((v) => `${v.toFixed(2).replace(/\.?0+$/, '')} g`) },
      ],
      series,
    };
    this.chart = new uPlot(opts, [new Float64Array(0), ...this.names.map(() => new Float64Array(0))] as unknown as uPlot.AlignedData, this.host);
  }
}
