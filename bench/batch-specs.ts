/**
 * The studies bench:batch runs (case118): N seeded load perturbations x 24 hourly slices of a
 * daily profile, and the GAT-format pair (1,000 one-slice scenarios vs the same 1,000 jobs as
 * one scenario with 1,000 time slices, same loads: the scenario's load_scale there is the
 * profile's multiplier here).
 */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';

export const CASE = join(resolve(__dirname, '..'), 'examples', 'cases', 'case118.m');
export const HOURS = 24;

function loadBuses(): number[] {
  const net = readCaseFile(CASE);
  const loads: number[] = [];
  for (let i = 0; i < net.bus.n; i++) if (net.bus.Pd[i] !== 0 || net.bus.Qd[i] !== 0) loads.push(net.bus.busI[i]);
  return loads;
}

function hourAt(h: number): string {
  return new Date(Date.UTC(2025, 0, 15) + h * 3_600_000).toISOString().replace('.000Z', 'Z');
}

/** A wide multiplier profile: `rows(h)` gives every load's multiplier at hour h. */
function writeWideProfile(file: string, hours: number, value: (h: number, k: number) => string): void {
  const loads = loadBuses();
  const lines = [['time', ...loads.flatMap((b) => [`load:${b}:p`, `load:${b}:q`])].join(',')];
  for (let h = 0; h < hours; h++)
    lines.push(
      [
        hourAt(h),
        ...loads.flatMap((_, k) => {
          const v = value(h, k);
          return [v, v];
        }),
      ].join(','),
    );
  writeFileSync(file, lines.join('\n') + '\n');
}

/** A daily shape, the same for every load, with a small per-bus skew. */
export function writeDailyProfile(dir: string): string {
  const file = join(dir, 'profile.csv');
  writeWideProfile(file, HOURS, (h, k) => {
    const shape = 0.75 + 0.25 * Math.sin(((h - 6) / 24) * 2 * Math.PI);
    return (shape * (1 + 0.02 * Math.sin(k + h))).toFixed(4);
  });
  return file;
}

/** ceil(jobs / 24) seeded load perturbations over the daily profile (24 jobs each). */
export function writePerturbationSpec(dir: string, jobs: number): string {
  writeDailyProfile(dir);
  const samples = Math.ceil(jobs / HOURS);
  const spec = [
    `grid_file: ${CASE}`,
    'profiles: {file: profile.csv, kind: multiplier}',
    'defaults:',
    `  time_range: {start: "${hourAt(0)}", end: "${hourAt(HOURS)}", step: 1h}`,
    'generators:',
    `  - {type: load_perturbation, samples: ${samples}, seed: 42, global_range: [0.85, 1.1], local_noise: 0.03, id_template: "s{index|zfill:5}"}`,
    '',
  ].join('\n');
  const file = join(dir, 'spec.yaml');
  writeFileSync(file, spec);
  return file;
}

/** Load scale of job k of the GAT-format pair. */
const scaleOf = (k: number, n: number) => (0.9 + (0.2 * k) / Math.max(1, n - 1)).toFixed(4);

/** GAT's `gat scenarios` format: n scenarios, one time slice each, load_scale per scenario. */
export function writeGatSpec(dir: string, n: number): string {
  const lines = ['version: 1', `grid_file: ${CASE}`, 'defaults:', `  time_slices: ["${hourAt(8)}"]`, 'scenarios:'];
  for (let k = 0; k < n; k++)
    lines.push(`  - scenario_id: sc${String(k).padStart(5, '0')}`, `    load_scale: ${scaleOf(k, n)}`);
  const file = join(dir, 'gat-scenarios.yaml');
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The same n jobs as one scenario with n hourly time slices (the load scale as a profile). */
export function writeSlicesSpec(dir: string, n: number): string {
  writeWideProfile(join(dir, 'slices-profile.csv'), n, (h) => scaleOf(h, n));
  const spec = [
    'version: 1',
    `grid_file: ${CASE}`,
    'profiles: {file: slices-profile.csv, kind: multiplier}',
    'defaults:',
    `  time_range: {start: "${hourAt(0)}", end: "${hourAt(n)}", step: 1h}`,
    'scenarios:',
    '  - scenario_id: all',
    '',
  ].join('\n');
  const file = join(dir, 'slices.yaml');
  writeFileSync(file, spec);
  return file;
}

/** A one-job study (fixed cost: everything but the solving). */
export function writeTinySpec(dir: string): string {
  const file = join(dir, 'tiny.yaml');
  writeFileSync(
    file,
    [
      'version: 1',
      `grid_file: ${CASE}`,
      'defaults:',
      `  time_slices: ["${hourAt(8)}"]`,
      'scenarios:',
      '  - scenario_id: base',
      '',
    ].join('\n'),
  );
  return file;
}
