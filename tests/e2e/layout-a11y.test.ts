// Accessibility and layout in Chromium against `bci serve`: an axe-core audit (WCAG 2.1 A and AA)
// of the streaming workstation, its session form, the shortcuts and the recordings library; every
// control with its own accessible name (Chromium's accessibility tree) and a visible keyboard focus;
// and the layout from 1024 × 700 to 1920 × 1080 with 8 and 64 channels: nothing overflows the
// window, no button's text wraps or is cut, the status bar shows every item whole, and canvases are
// drawn at the screen's pixel density. Screenshots of each size are kept as artifacts
// (BCI_UPDATE_SCREENSHOTS=1 refreshes the README's).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { ARTIFACTS, chromiumAvailable, openWorkstation, type OpenWorkstation } from './browser.js';

const haveBrowser = chromiumAvailable();
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENSHOTS = join(ARTIFACTS, '..', '..', 'build', 'screenshots');
let ws: OpenWorkstation;
let page: Page;

interface AxeViolation {
  readonly id: string;
  readonly help: string;
  readonly nodes: readonly { readonly target: readonly string[]; readonly failureSummary?: string }[];
}

/** axe-core's WCAG 2.1 A/AA violations on the page now, one line each (empty: none). */
async function audit(p: Page): Promise<string[]> {
  const violations = await p.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(ctx: Document, options: unknown): Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return result.violations.map((v) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.help}): ${n.target.join(' ')}: ${(n.failureSummary ?? '').replace(/\s+/g, ' ').slice(0, 160)}`));
}

beforeAll(async () => {
  if (!haveBrowser) return;
  // bypassCSP only to inject axe-core; the page's own CSP is tested in the server's tests
  ws = await openWorkstation('&autostart=synthetic', { viewport: { width: 1024, height: 700 }, bypassCSP: true });
  page = ws.page;
  await page.waitForSelector('[data-testid="status-state"][data-state="streaming"]', { timeout: 30_000 });
  await page.addScriptTag({ content: AXE_SOURCE });
}, 60_000);

afterAll(async () => {
  await ws?.close();
});

/** Layout problems on the page now, one sentence each (empty: none). */
async function layoutProblems(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const problems: string[] = [];
    const visible = (el: Element) => {
      const r = el.getBoundingClientRect();
      return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
    };
    const name = (el: Element) => el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? el.tagName;
    if (document.documentElement.scrollWidth > window.innerWidth + 1) problems.push(`the page is ${document.documentElement.scrollWidth} px wide in a ${window.innerWidth} px window`);
    for (const button of document.querySelectorAll('button')) {
      if (!visible(button) || button.closest('.ts-label')) continue;
      if (button.scrollWidth > button.clientWidth + 1) problems.push(`button "${name(button)}" is cut (${button.scrollWidth} > ${button.clientWidth} px)`);
      // its text on one line: every text box overlaps every other vertically
      const boxes: DOMRect[] = [];
      const walker = document.createTreeWalker(button, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if ((node.textContent ?? '').trim() === '') continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        boxes.push(...[...range.getClientRects()].filter((r) => r.width > 0));
      }
      if (boxes.some((a) => boxes.some((b) => a.bottom <= b.top + 1))) problems.push(`button "${name(button)}" wraps onto more than one line`);
    }
    const bar = document.querySelector('.status-bar');
    if (bar) {
      for (const item of bar.children) {
        if (!visible(item)) continue;
        if (item.scrollWidth > item.clientWidth + 1) problems.push(`status item "${name(item)}" is cut`);
        const box = item.getBoundingClientRect();
        if (box.right > bar.getBoundingClientRect().right + 1) problems.push(`status item "${name(item)}" runs past the window`);
      }
    }
    const dpr = window.devicePixelRatio;
    for (const canvas of document.querySelectorAll('canvas')) {
      if (!visible(canvas)) continue;
      const want = Math.round(canvas.getBoundingClientRect().width * dpr);
      if (Math.abs(canvas.width - want) > 2) problems.push(`canvas ${canvas.parentElement?.className ?? ''} is ${canvas.width} px wide for ${want} device pixels (blurred at ${dpr}×)`);
    }
    return problems;
  });
}

describe.skipIf(!haveBrowser)('accessibility and layout (bci serve)', () => {
  it('passes an axe audit (WCAG 2.1 A/AA) streaming, with the session form, the shortcuts and the library open', async () => {
    expect(await audit(page)).toEqual([]);
    await page.getByTestId('session-form-toggle').click();
    expect(await audit(page)).toEqual([]);
    await page.getByTestId('session-form-toggle').click();
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await page.getByTestId('open-library').click();
    await expect.poll(async () => page.getByTestId('library-empty').count(), { timeout: 10_000 }).toBe(1);
    expect(await audit(page)).toEqual([]);
    await page.keyboard.press('Escape');
    await expect.poll(async () => page.getByTestId('library').count()).toBe(0);
  });

  it('gives every control its own accessible name, and shows where keyboard focus is', async () => {
    const cdp = await page.context().newCDPSession(page);
    const { nodes } = (await cdp.send('Accessibility.getFullAXTree')) as { nodes: { ignored: boolean; role?: { value: string }; name?: { value: string } }[] };
    const controls = new Set(['button', 'textbox', 'searchbox', 'combobox', 'checkbox', 'radio', 'slider', 'spinbutton', 'switch', 'link', 'tab', 'menuitem']);
    const names = nodes.filter((n) => !n.ignored && controls.has(n.role?.value ?? '')).map((n) => n.name?.value.trim() ?? '');
    expect(names.length).toBeGreaterThan(40);
    expect(names.filter((n) => n === '')).toEqual([]);
    expect(names.filter((n, i) => names.indexOf(n) !== i)).toEqual([]);
    // the one help button is named for what it does (its name once held the hint "Space start/stop")
    expect(names.filter((n) => /shortcut|start/i.test(n) && !/^(Start|Stop)/.test(n))).toEqual(['Keyboard shortcuts']);
    await cdp.detach();
    // Tab through the controls: each one focused shows a ring (outline or box shadow)
    await page.locator('body').click({ position: { x: 1, y: 1 } });
    const unseen: string[] = [];
    const seen = new Set<string>();
    for (let i = 0; i < 120; i++) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        const ring = (style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) > 0) || style.boxShadow !== 'none';
        return { ring, what: `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 30) ?? ''}"` };
      });
      if (!focus) continue;
      seen.add(focus.what);
      if (!focus.ring) unseen.push(focus.what);
    }
    expect(seen.size).toBeGreaterThan(30);
    expect([...new Set(unseen)]).toEqual([]);
  });

  it.each([8, 64])('holds its layout from 1024 × 700 to 1920 × 1080 with %i channels', async (channels) => {
    const sized = await ws.browser.newPage({ viewport: { width: 1024, height: 700 } });
    try {
      // autostart connects an idle engine: leave the earlier page's board
      await ws.server.engine.disconnect();
      await sized.goto(`${ws.server.url}&autostart=synthetic&channels=${channels}&rate=${channels === 64 ? 1000 : 250}`);
      await expect.poll(async () => sized.getByTestId('status-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('streaming');
      expect(await sized.getByTestId('status-state').locator('xpath=..').textContent()).toContain(`${channels} ch`);
      for (const [width, height] of [
        [1024, 700],
        [1920, 1080],
      ]) {
        await sized.setViewportSize({ width, height });
        // (polled: panels fill in as the first spectrum and quality windows arrive)
        await expect.poll(async () => layoutProblems(sized), { timeout: 10_000, interval: 500 }).toEqual([]);
        const shot = join(ARTIFACTS, `workstation-${width}x${height}-${channels}ch.png`);
        await sized.screenshot({ path: shot });
        if (process.env.BCI_UPDATE_SCREENSHOTS && width === 1920 && channels === 8) copyFileSync(shot, join(SCREENSHOTS, 'workstation.png'));
        if (process.env.BCI_UPDATE_SCREENSHOTS && width === 1024 && channels === 64) copyFileSync(shot, join(SCREENSHOTS, 'workstation-64ch-1024x700.png'));
      }
    } finally {
      await sized.close();
    }
  });

  it('draws its canvases at the screen’s pixel density (2× here), so traces and maps stay sharp', async () => {
    const sharp = await ws.browser.newPage({ viewport: { width: 1024, height: 700 }, deviceScaleFactor: 2 });
    try {
      await sharp.goto(ws.server.url);
      await expect.poll(async () => sharp.getByTestId('status-state').getAttribute('data-state'), { timeout: 30_000 }).toBe('streaming');
      await expect.poll(async () => sharp.locator('canvas').count(), { timeout: 15_000 }).toBeGreaterThan(2);
      await expect.poll(async () => layoutProblems(sharp), { timeout: 10_000, interval: 500 }).toEqual([]);
    } finally {
      await sharp.close();
    }
  });
});
