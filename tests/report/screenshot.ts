/**
 * Headless Chromium (tests/ui/browser.ts: Debian's /usr/bin/chromium, playwright-core) opens a report and
 * takes a full-page screenshot; it also says which requests left the page (none should) and
 * the size of each chart as drawn.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { launchChromium } from '../ui/browser';

export interface Shot {
  png: string;
  /** requests to anything but the report file itself */
  external: string[];
  charts: { width: number; height: number }[];
  pageHeight: number;
  headings: string[];
}

export async function screenshot(html: string, png: string): Promise<Shot> {
  const browser = await launchChromium({ width: 1280, height: 900 });
  try {
    const page = await browser.context.newPage();
    const external: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith('file://')) external.push(r.url());
    });
    await page.goto(`file://${html}`, { waitUntil: 'load' });
    mkdirSync(dirname(png), { recursive: true });
    await page.screenshot({ path: png, fullPage: true });
    const charts = await page.$$eval('svg', (svgs) =>
      svgs.map((s) => {
        const b = s.getBoundingClientRect();
        return { width: b.width, height: b.height };
      }),
    );
    const headings = await page.$$eval('h2', (hs) => hs.map((h) => h.textContent ?? ''));
    const pageHeight = Number(await page.evaluate('document.body.scrollHeight'));
    return { png, external, charts, pageHeight, headings };
  } finally {
    await browser.close();
  }
}
