/**
 * The output folder of a batch or a solve, checked before anything starts: it exists or can be
 * created, is a folder, is writable, and has room for the study's estimated output. Folders are
 * created one level at a time: Node's `mkdirSync(p, { recursive: true })` loops forever where a
 * parent exists but refuses children (e.g. under /proc), so nothing here or in io/atomic.ts uses it.
 */
import { accessSync, constants, mkdirSync, statfsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { OutputError, userFixable } from './output-errors';
import { STUDY_DEFAULTS } from '../contracts/study-defaults';

function kindOf(path: string): 'missing' | 'folder' | 'file' {
  try {
    return statSync(path).isDirectory() ? 'folder' : 'file';
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOENT') return 'missing';
    if (code === 'ENOTDIR') throw new OutputError(path, 'a part of the path is a file, not a folder', 'ENOTDIR');
    throw userFixable(e, path) ?? e;
  }
}

/** The nearest existing ancestor of `path` (itself when it exists) and the folders to create below it. */
function existingAncestor(path: string): { base: string; missing: string[] } {
  const missing: string[] = [];
  let p = resolve(path);
  for (;;) {
    const k = kindOf(p);
    if (k === 'folder') return { base: p, missing };
    if (k === 'file')
      throw new OutputError(
        p,
        missing.length ? 'is a file, not a folder (it is a parent of the output folder)' : 'is a file, not a folder',
        missing.length ? 'ENOTDIR' : 'EEXIST',
      );
    missing.unshift(p);
    const up = dirname(p);
    if (up === p) throw new OutputError(p, 'no such folder', 'ENOENT');
    p = up;
  }
}

/**
 * Creates `path` and its missing parents one level at a time (never mkdir's recursive mode).
 * A failure is an OutputError naming the folder that could not be made.
 */
export function makeDirs(path: string): void {
  const { missing } = existingAncestor(path);
  for (const d of missing) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'EEXIST' && kindOf(d) === 'folder') continue; // made by a concurrent writer
      if (code === 'ENOENT')
        throw new OutputError(d, 'cannot be created here (the parent folder does not accept new folders)', 'ENOENT');
      throw userFixable(e, d) ?? e;
    }
  }
}

export interface OutputCheck {
  dir: string;
  /** bytes free on the output's file system (null where it cannot be told) */
  freeBytes: number | null;
  /** e.g. free space below the estimated output size */
  warnings: string[];
}

/** statfs magic numbers of kernel pseudo file systems (proc, sysfs, devpts, cgroup, debugfs, securityfs). */
const PSEUDO_FS = new Set([0x9fa0, 0x62656572, 0x1cd1, 0x27e0eb, 0x63677270, 0x64626720, 0x73636673]);

const MiB = 1024 * 1024;
const fmt = (b: number) => (b >= 1024 * MiB ? `${(b / (1024 * MiB)).toFixed(1)} GiB` : `${(b / MiB).toFixed(1)} MiB`);

/**
 * Checks an output folder without writing anything: it or its nearest existing ancestor must be
 * a folder this process can write into (so it can be created), and the file system should have
 * room for `estimatedBytes` (a warning otherwise: the estimate is rough). Throws OutputError.
 */
export function checkOutputLocation(dir: string, estimatedBytes?: number): OutputCheck {
  const abs = resolve(dir);
  const { base, missing } = existingAncestor(abs);
  try {
    accessSync(base, constants.W_OK | constants.X_OK);
  } catch (e) {
    const code = (e as { code?: string }).code;
    const what = missing.length ? `cannot create ${abs} in it: ` : '';
    if (code === 'EROFS') throw new OutputError(base, `${what}read-only file system`, 'EROFS');
    throw new OutputError(base, `${what}permission denied (not writable)`, code ?? 'EACCES');
  }
  let freeBytes: number | null = null;
  let fsType: number | undefined;
  try {
    const fs = statfsSync(base);
    freeBytes = Number(fs.bavail) * Number(fs.bsize);
    fsType = Number(fs.type);
  } catch {
    // statfs unsupported here: no free-space check
  }
  if (fsType !== undefined && PSEUDO_FS.has(fsType)) {
    throw new OutputError(
      missing[0] ?? abs,
      `is on a kernel pseudo file system (${base}), which does not hold files`,
      missing.length ? 'ENOENT' : 'EACCES',
    );
  }
  const warnings: string[] = [];
  if (estimatedBytes !== undefined && freeBytes !== null && freeBytes < estimatedBytes) {
    warnings.push(
      `${base} has ${fmt(freeBytes)} free, below the study's estimated output of ${fmt(estimatedBytes)}: chunks that find the disk full fail with ENOSPC (free space, then retry-failed)`,
    );
  }
  return { dir: abs, freeBytes, warnings };
}

/**
 * A rough size of a study's output: result tables, job records, features and report, from the
 * grid's size and the job count (bytes per row and per part file sized from case14 outputs:
 * results and job records of case14-n1, 46 jobs, took 0.9 MiB on 4 KiB blocks, features and
 * report about as much again). It is used only for the free-space warning.
 */
export function estimateOutputBytes(p: {
  jobs: number;
  buses: number;
  branches: number;
  gens: number;
  chunkSize?: number;
  scenarios: number;
}): number {
  const perJob = 40 * p.buses + 100 * p.branches + 50 * p.gens + 600;
  const chunks = Math.max(p.scenarios, Math.ceil(p.jobs / (p.chunkSize ?? STUDY_DEFAULTS.chunkSize)));
  const results = p.jobs * perJob + chunks * 4 * 1500 + chunks * 500;
  return Math.round(2 * results); // features and report take about as much again
}
