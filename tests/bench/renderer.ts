// Renderer benchmark: frames per second and main-thread busy time of the workstation page in
// headless Chromium, served by `bci serve` with the synthetic board at 8 × 250 Hz, 16 × 250 Hz and
// 64 × 1000 Hz and a 10 s window. Busy time is Chromium's own TaskDuration (CDP Performance
// metrics) over wall time; fps counts requestAnimationFrame callbacks.

import { startServer } from '../../electron/server/serve.js';
import { launchChromium } from '../e2e/browser.js';

export interface RendererResult {
  readonly channels: number;
  readonly rateHz: number;
  readonly fps: number;
  readonly busyPercent: number;
  readonly frames: number;
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
      const server = await startServer({ port: 0, host: '127.0.0.1' });
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      try {
        await page.goto(`${server.url}&autostart=synthetic&channels=${channels}&rate=${rateHz}&window=10`);
        await page.getByTestId('status-state').filter({ hasText: /streaming/i }).waitFor({ timeout: 15_000 });
        await page.waitForTimeout(3000); // warm up: the window fills, the JIT settles
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('Performance.enable');
        const metric = async (name: string) => {
          const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: { name: string; value: number }[] };
          return metrics.find((m) => m.name === name)?.value ?? Number.NaN;
        };
        await page.evaluate(() => {
          const w = window as unknown as { __frames: number };
          w.__frames = 0;
          const tick = () => {
            w.__frames++;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        });
        const busy0 = await metric('TaskDuration');
        const t0 = Date.now();
        const frames0 = await page.evaluate(() => (window as unknown as { __frames: number }).__frames);
        await page.waitForTimeout(seconds * 1000);
        const frames1 = await page.evaluate(() => (window as unknown as { __frames: number }).__frames);
        const wallSec = (Date.now() - t0) / 1000;
        const busy1 = await metric('TaskDuration');
        results.push({ channels, rateHz, frames: frames1 - frames0, fps: (frames1 - frames0) / wallSec, busyPercent: (100 * (busy1 - busy0)) / wallSec });
      } finally {
        await page.close();
        await server.close();
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}
