/** Paths to the shared MATPOWER / pglib cases and MATPOWER's computed results for them. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_CASES = resolve(__dirname, '..', '..', '..', 'shared', 'cases');
export const EXAMPLE_CASES = resolve(__dirname, '..', '..', 'examples', 'cases');

export function sharedCaseNames(): string[] {
  return readdirSync(SHARED_CASES).filter((f) => f.endsWith('.m')).map((f) => f.replace(/\.m$/, '')).sort();
}

export function casePath(name: string): string {
  return join(SHARED_CASES, `${name}.m`);
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
  const p = join(SHARED_CASES, 'matpower-computed', `${name}.json`);
  if (!existsSync(p)) throw new Error(`no MATPOWER results for ${name}`);
  return JSON.parse(readFileSync(p, 'utf8')) as MatpowerComputed;
}
