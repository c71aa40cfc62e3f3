/**
 * Inline SVG charts for the HTML report, drawn here (no library, no CDN): a horizontal
 * diverging bar chart, a heatmap with a colour legend, and a line chart with shaded bands.
 * Every mark has a <title>, so hovering in a browser shows its exact value.
 */

export function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function fmt(v: number | null, digits = 2): string {
  if (v === null || !Number.isFinite(v)) return '–';
  const s = v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s; // no "-0.0000" for tiny negatives
}

/** About 5 round tick values covering [lo, hi]. */
export function ticks(lo: number, hi: number, n = 5): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    out.push(Math.abs(v) < step * 1e-9 ? 0 : v);
  return out;
}

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';

export interface Bar {
  label: string;
  value: number | null;
  /** text after the bar, e.g. the absolute value */
  note?: string;
  highlight?: boolean;
}

/** Horizontal bars around zero (negative left, positive right). */
export function barChart(bars: Bar[], o: { xLabel: string; width?: number }): string {
  const width = o.width ?? 900,
    rowH = 20,
    left = 170,
    right = 190,
    top = 10,
    bottom = 44;
  const height = top + bottom + rowH * bars.length;
  const vals = bars.map((b) => b.value ?? 0);
  let lo = Math.min(0, ...vals),
    hi = Math.max(0, ...vals);
  if (lo === hi) {
    lo = -1;
    hi = 1;
  }
  const pad = (hi - lo) * 0.05;
  lo -= lo < 0 ? pad : 0;
  hi += hi > 0 ? pad : 0;
  const plotW = width - left - right;
  const x = (v: number) => left + ((v - lo) / (hi - lo)) * plotW;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="12" role="img">`,
  ];
  for (const t of ticks(lo, hi)) {
    parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${top}" y2="${height - bottom}" stroke="#e3e6ea"/>`);
    parts.push(
      `<text x="${x(t)}" y="${height - bottom + 16}" text-anchor="middle" fill="#555">${fmt(t, Math.abs(t) < 10 && t !== 0 ? 2 : 0)}</text>`,
    );
  }
  parts.push(`<line x1="${x(0)}" x2="${x(0)}" y1="${top}" y2="${height - bottom}" stroke="#333"/>`);
  bars.forEach((b, i) => {
    const y = top + i * rowH;
    const v = b.value;
    const color = b.highlight ? '#555' : v === null ? '#bbb' : v > 0 ? '#c0392b' : '#2e86c1';
    parts.push(
      `<text x="${left - 6}" y="${y + rowH * 0.7}" text-anchor="end" fill="#222"${b.highlight ? ' font-weight="bold"' : ''}>${esc(b.label)}</text>`,
    );
    if (v !== null) {
      const x0 = x(Math.min(0, v)),
        w = Math.max(1, Math.abs(x(v) - x(0)));
      parts.push(
        `<rect x="${x0}" y="${y + 3}" width="${w}" height="${rowH - 6}" fill="${color}"><title>${esc(b.label)}: ${fmt(v)}${b.note ? ` (${esc(b.note)})` : ''}</title></rect>`,
      );
    } else {
      parts.push(`<text x="${x(0) + 4}" y="${y + rowH * 0.7}" fill="#999">no solved slice</text>`);
    }
    if (b.note) parts.push(`<text x="${width - right + 8}" y="${y + rowH * 0.7}" fill="#555">${esc(b.note)}</text>`);
  });
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#222">${esc(o.xLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

/** Loading colour: white-green at 0 %, yellow at 60 %, orange at 85 %, red at 100 %, dark red from 120 %. */
export function loadingColor(pct: number): string {
  const stops: [number, [number, number, number]][] = [
    [0, [232, 245, 233]],
    [60, [255, 235, 59]],
    [85, [255, 152, 0]],
    [100, [211, 47, 47]],
    [120, [110, 10, 10]],
  ];
  const v = Math.max(0, Math.min(120, pct));
  let k = 0;
  while (k < stops.length - 2 && v > stops[k + 1][0]) k++;
  const [a, ca] = stops[k],
    [b, cb] = stops[k + 1];
  const f = (v - a) / (b - a);
  const c = ca.map((x, i) => Math.round(x + (cb[i] - x) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export interface HeatmapInput {
  rows: string[];
  cols: string[];
  /** values[r][c]; NaN / null = not in service or not solved (grey) */
  values: (number | null)[][];
  xLabel: string;
  yLabel: string;
  /** tooltip of a cell */
  cellTitle: (r: number, c: number) => string;
}

export function heatmap(h: HeatmapInput): string {
  const left = 170,
    top = 40,
    cell = Math.max(10, Math.min(22, Math.floor(760 / Math.max(1, h.cols.length))));
  const cellH = 18,
    bottom = 34,
    legendW = 120;
  const width = left + cell * h.cols.length + legendW + 20,
    height = Math.max(top + cellH * h.rows.length + bottom, top + 7 * 18 + 12);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="11" role="img">`,
  ];
  parts.push(
    `<defs><pattern id="hatch" width="4" height="4" patternUnits="userSpaceOnUse"><rect width="4" height="4" fill="#d5d8dc"/><path d="M0,4 l4,-4" stroke="#999" stroke-width="0.8"/></pattern></defs>`,
  );
  h.cols.forEach((c, j) => {
    const x = left + j * cell + cell / 2;
    parts.push(`<text transform="translate(${x},${top - 4}) rotate(-60)" fill="#333">${esc(c)}</text>`);
  });
  h.rows.forEach((r, i) => {
    const y = top + i * cellH;
    parts.push(`<text x="${left - 6}" y="${y + cellH * 0.7}" text-anchor="end" fill="#222">${esc(r)}</text>`);
    h.cols.forEach((_, j) => {
      const v = h.values[i][j];
      const fill = v === null || !Number.isFinite(v) ? 'url(#hatch)' : loadingColor(v);
      parts.push(
        `<rect x="${left + j * cell}" y="${y}" width="${cell - 1}" height="${cellH - 1}" fill="${fill}"><title>${esc(h.cellTitle(i, j))}</title></rect>`,
      );
    });
  });
  const gx = left + cell * h.cols.length + 20,
    gy = top;
  parts.push(`<text x="${gx}" y="${gy - 8}" fill="#222" font-weight="bold">max loading</text>`);
  [120, 100, 85, 60, 30, 0].forEach((p, k) => {
    parts.push(
      `<rect x="${gx}" y="${gy + k * 18}" width="16" height="16" fill="${loadingColor(p)}"/><text x="${gx + 22}" y="${gy + k * 18 + 12}">${p === 120 ? '≥ 120 %' : `${p} %`}</text>`,
    );
  });
  parts.push(
    `<rect x="${gx}" y="${gy + 6 * 18}" width="16" height="16" fill="url(#hatch)"/><text x="${gx + 22}" y="${gy + 6 * 18 + 12}">out / unsolved</text>`,
  );
  parts.push(
    `<text x="${left + (cell * h.cols.length) / 2}" y="${height - 12}" text-anchor="middle" fill="#222" font-size="12">${esc(h.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14,${top + (cellH * h.rows.length) / 2}) rotate(-90)" text-anchor="middle" fill="#222" font-size="12">${esc(h.yLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}

export interface Series {
  name: string;
  color: string;
  /** a line, and / or a shaded band lo..hi; NaN / null = gap */
  line?: (number | null)[];
  lo?: (number | null)[];
  hi?: (number | null)[];
  dashed?: boolean;
}

function path(xs: number[], ys: (number | null)[], y: (v: number) => number): string {
  let d = '',
    pen = false;
  ys.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${xs[i].toFixed(1)},${y(v).toFixed(1)}`;
    pen = true;
  });
  return d;
}

/** A line chart over categories (e.g. buses in case order), with bands and a legend. */
export function lineChart(
  labels: string[],
  series: Series[],
  o: { xLabel: string; yLabel: string; width?: number },
): string {
  const width = o.width ?? 900,
    height = 340,
    left = 64,
    right = 16,
    top = 34,
    bottom = 48;
  const all = series
    .flatMap((s) => [...(s.line ?? []), ...(s.lo ?? []), ...(s.hi ?? [])])
    .filter((v): v is number => v !== null && Number.isFinite(v));
  let lo = all.length ? Math.min(...all) : 0,
    hi = all.length ? Math.max(...all) : 1;
  if (hi - lo < 1e-6) {
    lo -= 0.01;
    hi += 0.01;
  }
  const pad = (hi - lo) * 0.08;
  lo -= pad;
  hi += pad;
  const plotW = width - left - right,
    plotH = height - top - bottom;
  const xs = labels.map((_, i) => left + (labels.length === 1 ? plotW / 2 : (i / (labels.length - 1)) * plotW));
  const y = (v: number) => top + (1 - (v - lo) / (hi - lo)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" ${FONT} font-size="11" role="img">`,
  ];
  for (const t of ticks(lo, hi)) {
    parts.push(
      `<line x1="${left}" x2="${width - right}" y1="${y(t)}" y2="${y(t)}" stroke="#e3e6ea"/><text x="${left - 6}" y="${y(t) + 4}" text-anchor="end" fill="#555">${fmt(t, hi - lo < 1 ? 3 : 1)}</text>`,
    );
  }
  const every = Math.max(1, Math.ceil(labels.length / 20));
  labels.forEach((l, i) => {
    if (i % every === 0)
      parts.push(`<text x="${xs[i]}" y="${height - bottom + 14}" text-anchor="middle" fill="#555">${esc(l)}</text>`);
  });
  parts.push(`<rect x="${left}" y="${top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`);
  for (const s of series) {
    if (s.lo && s.hi) {
      const upper = path(xs, s.hi, y);
      const lower = s.lo
        .map((v, i) => (v === null || !Number.isFinite(v) ? '' : `L${xs[i].toFixed(1)},${y(v).toFixed(1)}`))
        .reverse()
        .join('');
      if (upper)
        parts.push(
          `<path d="${upper}${lower}Z" fill="${s.color}" fill-opacity="0.22" stroke="none"><title>${esc(s.name)}</title></path>`,
        );
    }
    if (s.line)
      parts.push(
        `<path d="${path(xs, s.line, y)}" fill="none" stroke="${s.color}" stroke-width="1.6"${s.dashed ? ' stroke-dasharray="5,4"' : ''}><title>${esc(s.name)}</title></path>`,
      );
  }
  let lx = left;
  for (const s of series) {
    if (!s.name.trim()) continue;
    parts.push(
      `<rect x="${lx}" y="8" width="14" height="10" fill="${s.color}" fill-opacity="${s.line ? 1 : 0.35}"/><text x="${lx + 18}" y="17" fill="#222">${esc(s.name)}</text>`,
    );
    lx += 26 + s.name.length * 6.2;
  }
  parts.push(
    `<text x="${left + plotW / 2}" y="${height - 8}" text-anchor="middle" fill="#222" font-size="12">${esc(o.xLabel)}</text>`,
  );
  parts.push(
    `<text transform="translate(14,${top + plotH / 2}) rotate(-90)" text-anchor="middle" fill="#222" font-size="12">${esc(o.yLabel)}</text>`,
  );
  parts.push('</svg>');
  return parts.join('');
}
