/**
 * Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) opens a report and
 * takes a full-page screenshot; it also says which requests left the page (none should) and
 * the size of each chart as drawn.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.GRIDBATCH_CHROMIUM ?? '/usr/bin/chromium';

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export interface Shot {
  png: string;
  /** requests to anything but the report file itself */
  external: string[];
  charts: { width: number; height: number }[];
  pageHeight: number;
  headings: string[];
}

export async function screenshot(html: string, png: string): Promise<Shot> {
  const profile = mkdtempSync(join(tmpdir(), 'gridbatch-chromium-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
  });
  try {
    const page = await ctx.newPage();
    const external: string[] = [];
    page.on('request', (r) => { if (!r.url().startsWith('file://')) external.push(r.url()); });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    mkdirSync(dirname(png), { recursive: true });
    await page.screenshot({ path: png, fullPage: true });
    const charts = await page.$$eval('svg', (svgs) => svgs.map((s) => { const b = s.getBoundingClientRect(); return { width: b.width, height: b.height }; }));
    const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent ?? ''));
    const pageHeight = Number(await page.evaluate('document.body.scrollHeight'));
    return { png, external, charts, pageHeight, headings };
  } finally {
    await ctx.close();
    rmSync(profile, { recursive: true, force: true });
  }
}
