// Renderer benchmarks in headless Chromium, served by `bci serve` with the synthetic board.
// - benchRenderer: frames per second and main-thread busy time of the workstation page at 8 × 250 Hz,
//   16 × 250 Hz and 64 × 1000 Hz with a 10 s window.
// - benchRendererViews: the cost of the views beside the traces: the same page at 8 × 250 Hz and
//   64 × 1000 Hz (synthetic board, which has no accelerometer: that panel only says so) and on the
//   Cyton emulator (8 × 250 Hz + accelerometer), with the time series only (`views=none`) and with
//   the spectrogram, the head map and the accelerometer open (`views=all`), measured in the order
//   none, all, all, none (a drift of the shared machine's load falls on both alike), averaged.
// Busy time is Chromium's own TaskDuration (CDP Performance metrics) over wall time; fps counts
// requestAnimationFrame callbacks; a long frame is a gap of more than 50 ms between two callbacks
// (three or more 60 Hz frames missed).

import type { Browser, Page } from 'playwright-core';
import { startServer } from '../../electron/server/serve.js';
import { launchChromium } from '../e2e/browser.js';

export interface RendererResult {
  readonly channels: number;
  readonly rateHz: number;
  readonly fps: number;
  readonly busyPercent: number;
  readonly frames: number;
}

export interface FrameMeasure {
  readonly fps: number;
  readonly busyPercent: number;
  readonly frames: number;
  /** Gaps of more than 50 ms between animation frames. */
  readonly longFrames: number;
  /** The 95th percentile of the gap between animation frames (ms). */
  readonly p95FrameMs: number;
}

const LONG_FRAME_MS = 50;

/** Counts animation frames and the page's busy time for `seconds` (the page is already warm). */
async function measureFrames(page: Page, seconds: number): Promise<FrameMeasure> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metric = async (name: string) => {
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
    return metrics.find((m) => m.name === name)?.value ?? Number.NaN;
  };
  await page.evaluate(() => {
    const w = window as unknown as { __frames: number; __gaps: Float64Array; __last: number };
    w.__frames = 0;
    w.__gaps = new Float64Array(1 << 16);
    w.__last = -1;
    const tick = (now: number) => {
      if (w.__last >= 0 && w.__frames < w.__gaps.length) w.__gaps[w.__frames] = now - w.__last;
      w.__last = now;
      w.__frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const busy0 = await metric('TaskDuration');
  const t0 = Date.now();
  const frames0 = await page.evaluate(() => (window as unknown as { __frames: number }).__frames);
  await page.waitForTimeout(seconds * 1000);
  const { frames1, longFrames, p95 } = await page.evaluate(
    ({ from, longMs }) => {
      const w = window as unknown as { __frames: number; __gaps: Float64Array };
      const to = Math.min(w.__frames, w.__gaps.length);
      const gaps = Array.from(w.__gaps.subarray(from, to)).sort((a, b) => a - b);
      return { frames1: w.__frames, longFrames: gaps.filter((g) => g > longMs).length, p95: gaps.length ? gaps[Math.floor(0.95 * (gaps.length - 1))] : Number.NaN };
    },
    { from: frames0 + 1, longMs: LONG_FRAME_MS },
  );
  const wallSec = (Date.now() - t0) / 1000;
  const busy1 = await metric('TaskDuration');
  await cdp.detach();
  return { frames: frames1 - frames0, fps: (frames1 - frames0) / wallSec, busyPercent: (100 * (busy1 - busy0)) / wallSec, longFrames, p95FrameMs: p95 };
}

/** A fresh `bci serve` and page streaming the board of `query`; `run` measures once it streams and is warm. */
async function withStreamingPage<T>(browser: Browser, query: string, run: (page: Page) => Promise<T>): Promise<T> {
  const server = await startServer({ port: 0, host: '127.0.0.1' });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    await page.goto(`${server.url}${query}`);
    await page.getByTestId('status-state').filter({ hasText: /streaming/i }).waitFor({ timeout: 15_000 });
    await page.waitForTimeout(3000); // warm up: the window fills, the JIT settles
    return await run(page);
  } finally {
    await page.close();
    await server.close();
  }
}

export async function benchRenderer(seconds: number): Promise<RendererResult[]> {
  const results: RendererResult[] = [];
  const browser = await launchChromium();
  try {
    for (const [channels, rateHz] of [
      [8, 250],
      [16, 250],
      [64, 1000],
    ] as const) {
      const m = await withStreamingPage(browser, `&autostart=synthetic&channels=${channels}&rate=${rateHz}&window=10`, (page) => measureFrames(page, seconds));
      results.push({ channels, rateHz, frames: m.frames, fps: m.fps, busyPercent: m.busyPercent });
    }
  } finally {
    await browser.close();
  }
  return results;
}

export interface ViewsResult {
  readonly board: string;
  /** Time series only. */
  readonly tracesOnly: FrameMeasure;
  /** With the spectrogram, the head map and the accelerometer open. */
  readonly withViews: FrameMeasure;
  /** Spectrogram columns painted and accelerometer frames drawn per second with the views open (proof they were live). */
  readonly spectrogramColumnsPerSec: number;
  readonly accelDrawsPerSec: number;
}

const mean = (xs: readonly FrameMeasure[]): FrameMeasure => {
  const avg = (f: (m: FrameMeasure) => number) => xs.reduce((s, m) => s + f(m), 0) / xs.length;
  return { fps: avg((m) => m.fps), busyPercent: avg((m) => m.busyPercent), frames: avg((m) => m.frames), longFrames: avg((m) => m.longFrames), p95FrameMs: avg((m) => m.p95FrameMs) };
};

/**
 * The boards: the synthetic board at 8 × 250 Hz and 64 × 1000 Hz (no accelerometer), and, when
 * `cytonPort` is given (the Cyton emulator on a socat pty), a Cyton (8 × 250 Hz + 3 accelerometer axes).
 */
export async function benchRendererViews(seconds: number, rounds: number, cytonPort?: string): Promise<ViewsResult[]> {
  const boards: { board: string; query: string }[] = [
    { board: 'synthetic 8 ch × 250 Hz', query: '&autostart=synthetic&channels=8&rate=250&window=10' },
    { board: 'synthetic 64 ch × 1000 Hz', query: '&autostart=synthetic&channels=64&rate=1000&window=10' },
  ];
  if (cytonPort) boards.push({ board: 'Cyton emulator 8 ch × 250 Hz + accelerometer', query: `&autostart=cyton&port=${encodeURIComponent(cytonPort)}&window=10` });
  const results: ViewsResult[] = [];
  const browser = await launchChromium();
  try {
    for (const { board, query } of boards) {
      const none: FrameMeasure[] = [];
      const all: FrameMeasure[] = [];
      let columnsPerSec = 0;
      let accelPerSec = 0;
      const order = rounds > 1 ? ['none', 'all', 'all', 'none'] : ['none', 'all'];
      for (const views of order) {
        const m = await withStreamingPage(browser, `${query}&views=${views}`, async (page) => {
          if (views === 'none') return measureFrames(page, seconds);
          const count = async (testId: string, attribute: string) => Number((await page.getByTestId(testId).getAttribute(attribute)) ?? 0);
          await page.getByTestId('headmap').waitFor();
          const c0 = await count('spectrogram', 'data-columns');
          const hasAccel = (await count('accel-panel', 'data-axes')) > 0;
          const a0 = hasAccel ? await count('accel-chart', 'data-draws') : 0;
          const t0 = Date.now();
          const measured = await measureFrames(page, seconds);
          const wallSec = (Date.now() - t0) / 1000;
          columnsPerSec = ((await count('spectrogram', 'data-columns')) - c0) / wallSec;
          accelPerSec = hasAccel ? ((await count('accel-chart', 'data-draws')) - a0) / wallSec : 0;
          return measured;
        });
        (views === 'none' ? none : all).push(m);
      }
      results.push({ board, tracesOnly: mean(none), withViews: mean(all), spectrogramColumnsPerSec: columnsPerSec, accelDrawsPerSec: accelPerSec });
    }
  } finally {
    await browser.close();
  }
  return results;
}
