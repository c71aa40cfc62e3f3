/**
 * Train / validation / test assignment of a study's samples, grouped by scenario: every time
 * slice of a scenario lands in the split of its scenario, so no scenario straddles two splits.
 * Deterministic by seed: scenarios are ordered by a 32-bit hash of (seed, scenario id) and the
 * first round(n * train) go to train, the next round(n * validation) to validation, the rest
 * to test; with 3 or more scenarios every split gets at least one. The same seed and scenario
 * set always give the same splits, in any order and on any machine.
 */
import { mix32 } from '../scenarios/prng';

export type Split = 'train' | 'validation' | 'test';
export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

export interface SplitOptions {
  seed: number;
  /** fractions of scenarios for train, validation, test (summing to 1) */
  ratios: [number, number, number];
}

export const DEFAULT_SPLIT: SplitOptions = { seed: 0, ratios: [0.8, 0.1, 0.1] };

/** FNV-1a over the UTF-16 code units of s, mixed with the seed and finalised. */
export function scenarioHash(seed: number, s: string): number {
  let h = 0x811c9dc5 ^ mix32(seed >>> 0);
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return mix32(h);
}

/** Counts of scenarios per split for n scenarios (validation and test at least 1 when n >= 3). */
export function splitSizes(n: number, ratios: [number, number, number]): [number, number, number] {
  let val = Math.round(n * ratios[1]);
  let test = Math.round(n * ratios[2]);
  if (n >= 3) {
    if (ratios[1] > 0) val = Math.max(1, val);
    if (ratios[2] > 0) test = Math.max(1, test);
  }
  val = Math.min(val, n);
  test = Math.min(test, n - val);
  return [n - val - test, val, test];
}

/** The split of every scenario id. */
export function assignSplits(scenarioIds: readonly string[], opts: SplitOptions = DEFAULT_SPLIT): Map<string, Split> {
  const order = scenarioIds
    .map((id) => ({ id, h: scenarioHash(opts.seed, id) }))
    .sort((a, b) => a.h - b.h || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const [train, val] = splitSizes(order.length, opts.ratios);
  const out = new Map<string, Split>();
  order.forEach((o, k) => out.set(o.id, k < train ? 'train' : k < train + val ? 'validation' : 'test'));
  return out;
}

/** Parses "0.8,0.1,0.1" (fractions, summing to 1 within 1e-9). */
export function parseSplitRatios(s: string): [number, number, number] | null {
  const p = s.split(',').map((x) => Number(x.trim()));
  if (p.length !== 3 || p.some((x) => !Number.isFinite(x) || x < 0)) return null;
  if (Math.abs(p[0] + p[1] + p[2] - 1) > 1e-9) return null;
  return [p[0], p[1], p[2]];
}
