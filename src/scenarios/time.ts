/**
 * Time slices: RFC 3339 strings normalised to UTC ("2025-01-01T12:00:00Z"; ".sss" only when the
 * milliseconds are not zero), and `time_range {start, end, step}` expanded (start inclusive,
 * end exclusive).
 */

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

export type TimeResult = { ok: true; ms: number } | { ok: false; reason: string };

/** Parses an RFC 3339 date-time with a zone (Z or +hh:mm); a date-time without one is rejected. */
export function parseTime(s: string): TimeResult {
  const m = RFC3339.exec(s.trim());
  if (!m) {
    const hint = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2})?(\.\d+)?$/.test(s.trim())
      ? ' (add a zone: Z for UTC, or an offset such as +01:00)'
      : '';
    return { ok: false, reason: `'${s}' is not an RFC 3339 date-time such as 2025-01-01T12:00:00Z${hint}` };
  }
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  const Y = Number(y),
    M = Number(mo),
    D = Number(d),
    H = Number(h),
    MI = Number(mi),
    S = Number(se);
  const ms = frac ? Math.round(Number(`0${frac}`) * 1000) : 0;
  const utc = Date.UTC(Y, M - 1, D, H, MI, S, ms);
  const back = new Date(utc);
  if (M < 1 || M > 12 || back.getUTCDate() !== D || back.getUTCMonth() !== M - 1 || H > 23 || MI > 59 || S > 59) {
    return { ok: false, reason: `'${s}' is not a valid date-time (no such day or hour)` };
  }
  let offsetMin = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const oh = Number(zone.slice(1, 3)),
      om = Number(zone.slice(4, 6));
    if (oh > 23 || om > 59) return { ok: false, reason: `'${s}' has an invalid offset ${zone}` };
    offsetMin = sign * (oh * 60 + om);
  }
  return { ok: true, ms: utc - offsetMin * 60_000 };
}

export function formatTime(ms: number): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  return iso.endsWith('.000Z') ? `${iso.slice(0, 19)}Z` : iso;
}

/** Normalised form of an RFC 3339 string, or the reason it is not one. */
export function normaliseTime(s: string): { ok: true; value: string } | { ok: false; reason: string } {
  const r = parseTime(s);
  return r.ok ? { ok: true, value: formatTime(r.ms) } : r;
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** "1h", "15m" / "15min", "30s", "1d", "500ms", or ISO 8601 "PT1H30M" -> milliseconds. */
export function parseStep(step: string): number | undefined {
  const t = step.trim();
  const simple = /^(\d+(?:\.\d+)?)\s*(ms|s|m|min|h|d)$/.exec(t);
  if (simple) return Math.round(Number(simple[1]) * UNITS[simple[2]]);
  const iso = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/i.exec(t);
  if (iso && t.length > 1 && !/T$/i.test(t)) {
    const [, d, h, m, s] = iso;
    return Math.round(
      Number(d ?? 0) * UNITS.d + Number(h ?? 0) * UNITS.h + Number(m ?? 0) * UNITS.m + Number(s ?? 0) * UNITS.s,
    );
  }
  return undefined;
}

export type RangeResult = { ok: true; slices: string[] } | { ok: false; key: 'start' | 'end' | 'step'; reason: string };

/** Expands a time range; refuses one with more than `maxSlices` slices before building it. */
export function expandTimeRange(r: { start: string; end: string; step: string }, maxSlices: number): RangeResult {
  const a = parseTime(r.start);
  if (!a.ok) return { ok: false, key: 'start', reason: a.reason };
  const b = parseTime(r.end);
  if (!b.ok) return { ok: false, key: 'end', reason: b.reason };
  const step = parseStep(r.step);
  if (step === undefined || !(step > 0))
    return {
      ok: false,
      key: 'step',
      reason: `'${r.step}' is not a positive duration such as "1h", "15m", "30s", "1d" or "PT1H"`,
    };
  if (b.ms <= a.ms)
    return { ok: false, key: 'end', reason: `end ${r.end} must be after start ${r.start} (end is exclusive)` };
  const n = Math.ceil((b.ms - a.ms) / step);
  if (n > maxSlices)
    return { ok: false, key: 'step', reason: `time_range gives ${n} time slices, over the limit of ${maxSlices}` };
  const slices = new Array<string>(n);
  for (let i = 0; i < n; i++) slices[i] = formatTime(a.ms + i * step);
  return { ok: true, slices };
}
