// The probability strip of an online decoder: one uPlot chart, probability 0-1 against time over the
// last `windowSec` seconds, one line per class in the trace colours, the 1/k chance level dashed.
// It reads a PredictionHistory's typed arrays and redraws only when the history changed, at most
// once per animation frame (whoever owns the frame loop calls `render`).

import uPlot from 'uplot';
import type { PredictionHistory } from './prediction-history.js';
import { THEME, traceColor } from './theme.js';

export const PROBABILITY_WINDOW_SEC = 20;

export class ProbabilityChart {
  private chart: uPlot | null = null;
  private builtFor = '';
  private drawnVersion = -1;
  private width = 0;
  private height = 0;
  private xRange: [number, number] = [-PROBABILITY_WINDOW_SEC, 0];

  constructor(
    private readonly host: HTMLElement,
    private readonly history: PredictionHistory,
    private readonly windowSec = PROBABILITY_WINDOW_SEC,
  ) {}

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
    const key = history.classes.join('\u0000');
    if (!this.chart || key !== this.builtFor) this.build(key);
    const { timesSec, probabilities } = history.layout();
    const newest = timesSec.length > 0 ? timesSec[timesSec.length - 1] : 0;
    this.xRange = [newest - this.windowSec, newest];
    this.chart!.setData([timesSec, ...probabilities] as unknown as uPlot.AlignedData, false);
    this.chart!.setScale('x', { min: this.xRange[0], max: this.xRange[1] });
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
    const classes = this.history.classes;
    const chance = classes.length > 0 ? 1 / classes.length : 0.5;
    const series: uPlot.Series[] = [{}, ...classes.map((label, c): uPlot.Series => ({ label, stroke: traceColor(c), width: 1.5, points: { show: false } }))];
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      cursor: { show: false },
      padding: [6, 12, 0, 0],
      scales: {
        x: { time: false, auto: false, range: () => this.xRange },
        y: { auto: false, range: () => [0, 1] },
      },
      axes: [
        {
          stroke: THEME.axis,
          font: THEME.font,
          size: 22,
          gap: 3,
          grid: { stroke: THEME.grid, width: 1 },
          ticks: { stroke: THEME.grid, width: 1, size: 3 },
          values: (_u, splits) => splits.map((v) => `${(v - this.xRange[1]).toFixed(0)} s`),
        },
        {
          stroke: THEME.axis,
          font: THEME.font,
          size: 34,
          gap: 3,
          grid: { stroke: THEME.grid, width: 1 },
          ticks: { stroke: THEME.grid, width: 1, size: 3 },
          splits: () => [0, 0.25, 0.5, 0.75, 1],
          values: (_u, splits) => splits.map((v) => v.toFixed(2).replace(/\.?0+$/, '')),
        },
      ],
      series,
      hooks: {
        drawClear: [
          (u: uPlot) => {
            const ctx = u.ctx;
            const y = Math.round(u.valToPos(chance, 'y', true)) + 0.5;
            ctx.save();
            ctx.strokeStyle = 'rgba(160, 175, 200, 0.35)';
            ctx.setLineDash([4 * uPlot.pxRatio, 4 * uPlot.pxRatio]);
            ctx.lineWidth = uPlot.pxRatio;
            ctx.beginPath();
            ctx.moveTo(u.bbox.left, y);
            ctx.lineTo(u.bbox.left + u.bbox.width, y);
            ctx.stroke();
            ctx.restore();
          },
        ],
      },
    };
    this.chart = new uPlot(opts, [new Float64Array(0), ...classes.map(() => new Float64Array(0))] as unknown as uPlot.AlignedData, this.host);
  }
}
