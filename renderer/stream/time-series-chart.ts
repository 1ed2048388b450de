// The stacked time-series plot: one uPlot chart for every visible channel. The chart is built once
// per layout (visible channels, window, mode, bucket count) and then only fed: each animation
// frame with new samples, the display buffer is laid out into preallocated arrays and handed to
// uPlot with one setData (scales fixed, never recomputed from data).
//
// Drawing. uPlot paints its own canvas (time axis, grid, channel bands) only when the layout
// changes. The traces live on a layer inside uPlot's plot area (its `over` element), drawn by
// TraceLayer from the very arrays given to setData: each bucket is exactly one pixel column, so a
// column is a vertical run of pixels from its min to its max (joined to the previous column's last
// value), written straight into an ImageData (the oscilloscope rendering). Only columns whose data
// changed are redrawn, and the layer is shown through narrow canvas tiles, so a sweep frame
// uploads one or two tiles rather than the whole plot. Measured in headless Chromium with software
// rendering, stroking 64 polylines of 2 600 points, or repainting the whole canvas every frame,
// is what would not keep up. The sweep cursor and the markers are drawn on the same layer.

import uPlot from 'uplot';
import type { StreamModel } from './stream-model.js';
import type { SweepMode, TimeSeriesBuffer } from './time-series-buffer.js';
import { THEME, traceColor } from './theme.js';

/** Height of the time axis under the plot (CSS px); the label column leaves the same space. */
export const TIME_AXIS_HEIGHT = 26;
/** Padding of the plot area (CSS px), left and right: room for the first and last tick labels. */
export const PLOT_LEFT_PAD = 12;
export const PLOT_RIGHT_PAD = 14;
/** How far a trace may leave its own baseline, in divisions (beyond, it is clipped flat). */
const CLIP_DIVISIONS = 1.5;

export interface TimeSeriesView {
  /** Visible channels, top to bottom. */
  readonly channels: readonly number[];
  /** µV per division, per channel (indexed by channel). */
  readonly scaleUv: readonly number[];
  readonly mode: SweepMode;
}

/** uPlot draws no paths for the traces: TraceLayer does. */
const noPaths: uPlot.Series.PathBuilder = () => null;

/** Parses '#rrggbb' into a little-endian RGBA pixel (0xAABBGGRR) with the given alpha. */
function pixelColor(hex: string, alpha = 0xf2): number {
  const v = Number.parseInt(hex.slice(1), 16);
  const r = (v >> 16) & 0xff;
  const g = (v >> 8) & 0xff;
  const b = v & 0xff;
  return ((alpha << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

interface MarkerBox {
  key: string;
  x0: number;
  x1: number;
}

/** One vertical strip of the trace layer. */
interface Tile {
  readonly canvas: HTMLCanvasElement;
  readonly ctx: CanvasRenderingContext2D;
  /** Device-pixel span of the layer this tile shows: [x0, x1). */
  x0: number;
  x1: number;
}

/** Tile width in CSS px: a frame's update touches one or two tiles, not the whole plot. */
const TILE_CSS_PX = 160;

/**
 * The trace layer: one ImageData holding the traces of the whole plot area, shown through a row
 * of narrow canvases (tiles). A browser uploads a changed canvas whole, so with one big canvas
 * every frame would pay for the full plot; with tiles, a sweep frame pays for the one or two
 * tiles under the cursor.
 */
class TraceLayer {
  private readonly parent: HTMLElement;
  private tiles: Tile[] = [];
  private image: ImageData | null = null;
  private pixels: Uint32Array = new Uint32Array(0);
  private colors: Uint32Array = new Uint32Array(0);
  /** What was drawn last time, per series (2 values per column), to find changed columns. */
  private drawn: Float64Array[] = [];
  private dirty: Uint8Array = new Uint8Array(0);
  private full = true;
  private cursorColumn = -1;
  private markerBoxes: MarkerBox[] = [];
  private readonly labelWidths = new Map<string, number>();
  private measureCtx: CanvasRenderingContext2D | null = null;
  /** Scratch: pixel spans [x0, x1) redrawn this frame. */
  private readonly runs: number[] = [];

  constructor(parent: HTMLElement) {
    this.parent = parent;
  }

  private layout(width: number, height: number, dpr: number): void {
    for (const t of this.tiles) t.canvas.remove();
    this.tiles = [];
    const tilePx = Math.max(32, Math.round(TILE_CSS_PX * dpr));
    for (let x0 = 0; x0 < width; x0 += tilePx) {
      const x1 = Math.min(width, x0 + tilePx);
      const canvas = document.createElement('canvas');
      canvas.className = 'trace-layer';
      canvas.width = x1 - x0;
      canvas.height = height;
      canvas.style.left = `${x0 / dpr}px`;
      canvas.style.width = `${(x1 - x0) / dpr}px`;
      canvas.style.height = `${height / dpr}px`;
      this.parent.appendChild(canvas);
      this.tiles.push({ canvas, ctx: canvas.getContext('2d')!, x0, x1 });
    }
    this.measureCtx = this.tiles[0]?.ctx ?? null;
  }

  /** Copies image columns [x0, x1) to the tiles that show them. */
  private upload(x0: number, x1: number, height: number): void {
    for (const t of this.tiles) {
      const a = Math.max(x0, t.x0);
      const b = Math.min(x1, t.x1);
      if (a < b) t.ctx.putImageData(this.image!, -t.x0, 0, a, 0, b - a, height);
    }
  }

  /** Runs a drawing function on every tile that overlaps [x0, x1), in layer coordinates. */
  private paint(x0: number, x1: number, draw: (ctx: CanvasRenderingContext2D) => void): void {
    for (const t of this.tiles) {
      if (t.x1 <= x0 || t.x0 >= x1) continue;
      t.ctx.save();
      t.ctx.translate(-t.x0, 0);
      draw(t.ctx);
      t.ctx.restore();
    }
  }

  dispose(): void {
    for (const t of this.tiles) t.canvas.remove();
    this.tiles = [];
  }

  setColors(channels: readonly number[]): void {
    this.colors = Uint32Array.from(channels, (c) => pixelColor(traceColor(c)));
    this.full = true;
  }

  invalidate(): void {
    this.full = true;
  }

  /**
   * Brings the layer up to date with the chart's data. `cursorPx`: the sweep cursor (device px
   * from the plot's left edge) or null; markers as device px positions with labels.
   */
  draw(u: uPlot, bucketCount: number, cursorPx: number | null, markers: readonly { px: number; label: string; user: boolean }[]): void {
    const dpr = uPlot.pxRatio;
    const width = Math.round(u.bbox.width);
    const height = Math.round(u.bbox.height);
    if (width <= 0 || height <= 0 || bucketCount <= 0) return;
    const seriesCount = u.data.length - 1;
    if (!this.image || this.image.width !== width || this.image.height !== height) {
      this.layout(width, height, dpr);
      this.image = new ImageData(width, height);
      this.pixels = new Uint32Array(this.image.data.buffer);
      this.full = true;
    }
    if (this.drawn.length !== seriesCount || this.dirty.length !== bucketCount || (seriesCount > 0 && this.drawn[0].length !== 2 * bucketCount)) {
      this.drawn = Array.from({ length: seriesCount }, () => new Float64Array(2 * bucketCount).fill(NaN));
      this.dirty = new Uint8Array(bucketCount);
      this.full = true;
    }
    const dirty = this.dirty;
    const columnPx = width / bucketCount;
    const columnOf = (px: number) => Math.min(bucketCount - 1, Math.max(0, Math.floor(px / columnPx)));

    // 1. which columns changed (a column also depends on its left neighbour's last value)
    if (this.full) dirty.fill(1);
    else {
      dirty.fill(0);
      for (let s = 0; s < seriesCount; s++) {
        const ys = u.data[s + 1] as unknown as Float64Array;
        const old = this.drawn[s];
        for (let j = 0, i = 0; j < bucketCount; j++, i += 2) {
          const a = ys[i];
          const b = ys[i + 1];
          const oa = old[i];
          const ob = old[i + 1];
          // NaN !== NaN: a gap that stays a gap is no change
          if ((a !== oa && (a === a || oa === oa)) || (b !== ob && (b === b || ob === ob))) {
            dirty[j] = 1;
            if (j + 1 < bucketCount) dirty[j + 1] = 1;
          }
        }
      }
      // where the cursor and the markers were: repaint from the ImageData to erase them
      if (this.cursorColumn >= 0) dirty[this.cursorColumn] = 1;
      if (this.markerBoxes.length > 0) {
        const nextKeys = new Set(markers.map((m) => `${m.label}@${Math.round(m.px)}`));
        for (const box of this.markerBoxes) {
          if (nextKeys.has(box.key)) continue;
          for (let j = columnOf(box.x0); j <= columnOf(box.x1); j++) dirty[j] = 1;
        }
      }
    }
    for (let s = 0; s < seriesCount; s++) this.drawn[s].set(u.data[s + 1] as unknown as Float64Array);

    // 2. clear and redraw the changed columns, run by run, and upload each run
    const px = this.pixels;
    const yMin = u.scales.y.min ?? 0;
    const yMax = u.scales.y.max ?? 1;
    const ky = height / (yMax - yMin);
    const lastRow = height - 1;
    const runs = this.runs;
    runs.length = 0;
    let j = 0;
    while (j < bucketCount) {
      if (!dirty[j]) {
        j++;
        continue;
      }
      const runStart = j;
      while (j < bucketCount && dirty[j]) j++;
      const runEnd = j;
      const x0 = Math.floor(runStart * columnPx);
      const x1 = Math.min(width, Math.max(x0 + 1, Math.floor(runEnd * columnPx)));
      for (let row = 0, end = height * width; row < end; row += width) px.fill(0, row + x0, row + x1);
      for (let s = 0; s < seriesCount; s++) {
        const ys = u.data[s + 1] as unknown as Float64Array;
        const color = this.colors[s];
        let prev = runStart > 0 ? ys[2 * runStart - 1] : NaN;
        for (let k = runStart; k < runEnd; k++) {
          const a = ys[2 * k];
          if (a !== a) {
            prev = NaN;
            continue;
          }
          const b = ys[2 * k + 1];
          let hi = a > b ? a : b;
          let lo = a > b ? b : a;
          if (prev === prev) {
            if (prev > hi) hi = prev;
            else if (prev < lo) lo = prev;
          }
          prev = b;
          let y0 = Math.floor((yMax - hi) * ky);
          let y1 = Math.floor((yMax - lo) * ky);
          if (y1 < 0 || y0 > lastRow) continue;
          if (y0 < 0) y0 = 0;
          if (y1 > lastRow) y1 = lastRow;
          const c0 = Math.floor(k * columnPx);
          let c1 = Math.floor((k + 1) * columnPx);
          if (c1 <= c0) c1 = c0 + 1;
          for (let row = y0 * width, end = (y1 + 1) * width; row < end; row += width) {
            for (let x = c0; x < c1; x++) px[row + x] = color;
          }
        }
      }
      this.upload(x0, x1, height);
      runs.push(x0, x1);
    }
    const touched = (a: number, b: number) => {
      if (this.full) return true;
      for (let i = 0; i < runs.length; i += 2) if (runs[i] < b && runs[i + 1] > a) return true;
      return false;
    };

    // 3. markers (dashed line and a label to its right) where their pixels were repainted
    const boxes: MarkerBox[] = [];
    const measure = this.measureCtx;
    if (markers.length > 0 && measure) {
      const font = THEME.font.replace('11px', `${Math.round(11 * dpr)}px`);
      measure.font = font;
      const dash = Math.round(4 * dpr);
      const lw = Math.max(1, Math.round(dpr));
      for (const m of markers) {
        const x = Math.round(m.px);
        let labelWidth = this.labelWidths.get(m.label);
        if (labelWidth === undefined) {
          labelWidth = Math.ceil(measure.measureText(m.label).width) + 8 * dpr;
          if (this.labelWidths.size > 500) this.labelWidths.clear();
          this.labelWidths.set(m.label, labelWidth);
        }
        const box = { key: `${m.label}@${x}`, x0: x, x1: x + 2 * dpr + labelWidth };
        boxes.push(box);
        if (!touched(box.x0, box.x1 + 1)) continue;
        const color = m.user ? THEME.markerUser : THEME.marker;
        const boxWidth = labelWidth;
        this.paint(box.x0, box.x1 + 1, (ctx) => {
          ctx.fillStyle = color;
          for (let y = 0; y < height; y += 2 * dash) ctx.fillRect(x, y, lw, dash);
          ctx.fillStyle = 'rgba(17, 21, 28, 0.88)';
          ctx.fillRect(x + 2 * dpr, 2 * dpr, boxWidth, 15 * dpr);
          ctx.font = font;
          ctx.textBaseline = 'top';
          ctx.fillStyle = color;
          ctx.fillText(m.label, x + 6 * dpr, 4 * dpr);
        });
      }
    }
    this.markerBoxes = boxes;

    // 4. the sweep cursor
    if (cursorPx !== null) {
      const x = Math.min(width - 1, Math.max(0, Math.round(cursorPx)));
      const w = Math.max(1, Math.round(dpr));
      this.paint(x, x + w, (ctx) => {
        ctx.fillStyle = THEME.cursor;
        ctx.fillRect(x, 0, w, height);
      });
      this.cursorColumn = columnOf(x);
    } else this.cursorColumn = -1;
    this.full = false;
  }
}

export class TimeSeriesChart {
  private chart: uPlot | null = null;
  private layer: TraceLayer | null = null;
  private boundBuffer: TimeSeriesBuffer | null = null;
  private ys: Float64Array[] = [];
  private data: uPlot.AlignedData | null = null;
  private gains: Float64Array = new Float64Array(0);
  private view: TimeSeriesView = { channels: [], scaleUv: [], mode: 'sweep' };
  private builtFor = '';
  private width = 0;
  private height = 0;
  private readonly markerScratch: { px: number; label: string; user: boolean }[] = [];
  /** Frames drawn (a benchmark can read these). */
  framesDrawn = 0;

  constructor(
    private readonly host: HTMLElement,
    private readonly model: StreamModel,
  ) {}

  /** The plot area's width in CSS px: one bucket per column. */
  static plotColumns(width: number): number {
    return Math.max(2, Math.floor(width - PLOT_LEFT_PAD - PLOT_RIGHT_PAD));
  }

  setView(view: TimeSeriesView): void {
    this.view = view;
    this.updateGains();
    this.model.markDirty();
  }

  setSize(width: number, height: number): void {
    if (width === this.width && height === this.height) return;
    this.width = width;
    this.height = height;
    if (this.chart && width > 0 && height > 0) {
      this.chart.setSize({ width, height });
      this.layer?.invalidate();
    }
    this.model.markDirty();
  }

  /** Draws if there is anything new; returns true when it drew. Called once per animation frame. */
  render(): boolean {
    if (!this.model.takeDirty()) return false;
    const buffer = this.model.timeSeries;
    if (!buffer || this.width <= 0 || this.height <= 0) {
      this.destroyChart();
      return false;
    }
    const key = `${this.view.channels.join(',')}|${this.view.mode}|${buffer.windowSec}`;
    if (!this.chart || buffer !== this.boundBuffer || key !== this.builtFor) this.build(buffer, key);
    const chart = this.chart;
    if (!chart || !this.layer) return false;
    buffer.fill({ ys: this.ys }, this.view.channels, this.gains, this.view.mode, CLIP_DIVISIONS);
    // the data changes, the scales do not: no autoscale, and uPlot's own canvas (axes, grid) is
    // not repainted; the trace layer draws what changed
    chart.setData(this.data!, false);
    const sweep = this.view.mode === 'sweep';
    const xMin = chart.scales.x.min ?? 0;
    const xMax = chart.scales.x.max ?? 1;
    const kx = chart.bbox.width / (xMax - xMin);
    const markers = this.markerScratch;
    markers.length = 0;
    for (const m of this.model.markers) {
      const x = buffer.sampleX(m.sampleIndex, this.view.mode);
      if (x !== null) markers.push({ px: (x - xMin) * kx, label: m.label, user: m.source !== 'board' });
    }
    const cursorPx = sweep && !buffer.empty ? (buffer.sweepCursorSec() - xMin) * kx : null;
    this.layer.draw(chart, buffer.bucketCount, cursorPx, markers);
    this.framesDrawn++;
    return true;
  }

  destroy(): void {
    this.destroyChart();
  }

  private updateGains(): void {
    const channelCount = this.model.shape?.channelCount ?? 0;
    if (this.gains.length !== channelCount) this.gains = new Float64Array(channelCount);
    for (let c = 0; c < channelCount; c++) {
      const s = this.view.scaleUv[c];
      this.gains[c] = s > 0 ? 1 / s : 0;
    }
  }

  private destroyChart(): void {
    this.layer?.dispose();
    this.chart?.destroy();
    this.chart = null;
    this.layer = null;
    this.boundBuffer = null;
    this.builtFor = '';
  }

  private build(buffer: TimeSeriesBuffer, key: string): void {
    this.destroyChart();
    this.updateGains();
    const view = this.view;
    const n = view.channels.length;
    const points = 2 * buffer.bucketCount;
    this.ys = view.channels.map(() => new Float64Array(points).fill(NaN));
    const xs = buffer.xValues(view.mode);
    this.data = [xs, ...this.ys] as unknown as uPlot.AlignedData;
    const windowSec = buffer.windowSec;
    const sweep = view.mode === 'sweep';
    const xRange: [number, number] = sweep ? [0, windowSec] : [-windowSec, 0];
    this.boundBuffer = buffer;
    this.builtFor = key;
    if (this.width <= 0 || this.height <= 0) return;
    const opts: uPlot.Options = {
      width: this.width,
      height: this.height,
      legend: { show: false },
      cursor: { show: false, drag: { x: false, y: false } },
      padding: [0, PLOT_RIGHT_PAD, 0, PLOT_LEFT_PAD],
      scales: {
        x: { time: false, auto: false, range: () => xRange },
        y: { auto: false, range: () => [0, Math.max(1, n)] },
      },
      axes: [
        {
          stroke: THEME.axis,
          font: THEME.font,
          size: TIME_AXIS_HEIGHT,
          gap: 4,
          grid: { stroke: THEME.grid, width: 1 },
          ticks: { stroke: THEME.grid, width: 1, size: 4 },
          incrs: [0.1, 0.2, 0.5, 1, 2, 5, 10],
          space: 60,
          values: (_u, splits) => splits.map((v) => `${sweep ? v : v === 0 ? 0 : v.toFixed(Math.abs(v) < 1 ? 1 : 0)} s`),
        },
        { show: false },
      ],
      series: [{}, ...view.channels.map((c) => ({ stroke: traceColor(c), width: 1, paths: noPaths, points: { show: false } }))],
      hooks: {
        drawClear: [(u) => drawBands(u, n)],
        // uPlot repainted its canvas (size, scale): the layer redraws in full over it
        draw: [() => this.layer?.invalidate()],
      },
    };
    this.chart = new uPlot(opts, this.data, this.host);
    this.layer = new TraceLayer(this.chart.over);
    this.layer.setColors(view.channels);
  }
}

/** Faint zebra bands and separators between channels (drawn under the traces). */
function drawBands(u: uPlot, n: number): void {
  const ctx = u.ctx;
  const { left, top, width, height } = u.bbox;
  if (n <= 0) return;
  const rowPx = height / n;
  ctx.save();
  ctx.fillStyle = THEME.zebra;
  for (let k = 1; k < n; k += 2) ctx.fillRect(left, top + k * rowPx, width, rowPx);
  if (rowPx >= 14) {
    ctx.strokeStyle = THEME.separator;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let k = 1; k < n; k++) {
      const y = Math.round(top + k * rowPx) + 0.5;
      ctx.moveTo(left, y);
      ctx.lineTo(left + width, y);
    }
    ctx.stroke();
  }
  ctx.restore();
}
