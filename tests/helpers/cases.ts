/**
 * Paths to the MATPOWER / pglib-opf cases in tests/fixtures/cases (copied with their licences, see
 * its README.md) and MATPOWER 8.1's computed results for them.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CASES_DIR = resolve(__dirname, '..', 'fixtures', 'cases');
export const EXAMPLE_CASES = resolve(__dirname, '..', '..', 'examples', 'cases');

export function fixtureCaseNames(): string[] {
  return readdirSync(CASES_DIR)
    .filter((f) => f.endsWith('.m'))
    .map((f) => f.replace(/\.m$/, ''))
    .sort();
}

export function casePath(name: string): string {
  return join(CASES_DIR, `${name}.m`);
}

export interface MatpowerRun {
  success: number;
  iterations?: number;
  f?: number;
  bus_i: number[];
  vm: number[];
  va_deg: number[];
  pg: number[];
  qg: number[];
  lam_p?: number[];
  branch_pf: number[];
  branch_qf: number[];
  branch_pt: number[];
  branch_qt: number[];
}

export type MatpowerComputed = Record<'runpf_ac' | 'rundcpf' | 'runopf_ac' | 'rundcopf', MatpowerRun>;

export function matpowerComputed(name: string): MatpowerComputed {
  const p = join(CASES_DIR, 'matpower-computed', `${name}.json`);
  if (!existsSync(p)) throw new Error(`no MATPOWER results for ${name}`);
  return JSON.parse(readFileSync(p, 'utf8')) as MatpowerComputed;
}
