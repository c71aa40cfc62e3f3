/**
 * The optional tools some tests need, each with the one line that says how to install it.
 *
 * globalSetup checks every tool once and passes the result on in GRIDBATCH_OPTIONAL_TOOLS. With
 * CI=true a missing tool fails the run before any test starts (CI must never turn green by
 * skipping). Outside CI a test group whose tool is missing is skipped, the skip is recorded,
 * and globalTeardown prints one summary line naming what was skipped and how to install it.
 */
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { kluUnavailableReason, loadKlu } from '../../src/solvers/sparse/klu-native';
import { CHROMIUM } from '../ui/browser';
import { ARTIFACTS } from './test-server';
import { weedMissing } from './s3-server';
import { testServerMissing } from './java-test-server';

export type OptionalTool =
  | 'chromium'
  | 'pyarrow'
  | 'polars'
  | 'klu'
  | 'pyg'
  | 'gridfm'
  | 'croissant'
  | 'pandapower'
  | 'seaweedfs'
  | 'temporal-test-server';

interface ToolCheck {
  /** what the tool is, as a person calls it */
  name: string;
  /** how to get it on Debian / pip */
  install: string;
  /** why it is unusable here, or undefined when it works */
  missing(): string | undefined;
}

function python(code: string): string | undefined {
  const r = spawnSync('python3', ['-c', code], { encoding: 'utf8', timeout: 120_000 });
  if (r.error) return `python3: ${r.error.message}`;
  if (r.status !== 0) return (r.stderr.trim().split('\n').pop() ?? `exit ${r.status}`).slice(0, 200);
  return undefined;
}

export const TOOLS: Record<OptionalTool, ToolCheck> = {
  chromium: {
    name: 'Chromium',
    install: 'apt-get install -y chromium (or set GRIDBATCH_CHROMIUM to a Chromium binary)',
    missing: () => (existsSync(CHROMIUM) ? undefined : `no Chromium binary at ${CHROMIUM}`),
  },
  pyarrow: {
    name: 'pyarrow/pandas',
    install: 'python3 -m pip install pyarrow numpy pandas',
    missing: () => python('import pyarrow, numpy, pandas'),
  },
  polars: {
    name: 'polars',
    install: 'python3 -m pip install polars',
    missing: () => python('import polars'),
  },
  klu: {
    name: 'KLU (libklu1 + koffi)',
    install: 'apt-get install -y libklu1 (koffi comes with npm ci)',
    missing: () => (loadKlu() ? undefined : kluUnavailableReason() || 'libklu or koffi not found'),
  },
  pyg: {
    name: 'torch + torch_geometric',
    install: 'python3 -m pip install torch torch_geometric',
    missing: () => python('import torch, torch_geometric'),
  },
  gridfm: {
    name: 'gridfm-datakit',
    install: 'python3 -m pip install gridfm-datakit',
    missing: () => python('import gridfm_datakit.validation'),
  },
  pandapower: {
    name: 'pandapower',
    install: 'python3 -m pip install pandapower',
    missing: () => python('import pandapower'),
  },
  seaweedfs: {
    name: 'SeaweedFS (weed, the S3 test server)',
    install: 'node scripts/ensure-seaweedfs.cjs (needs Go; builds tools/seaweedfs into $GRIDBATCH_TOOLS_DIR/bin)',
    missing: weedMissing,
  },
  croissant: {
    name: 'mlcroissant',
    install: 'python3 -m pip install mlcroissant',
    missing: () => python('import mlcroissant'),
  },
  'temporal-test-server': {
    name: "Temporal's Java test server (time skipping)",
    install: 'apt-get install -y default-jdk-headless maven && node scripts/ensure-test-server.cjs',
    missing: testServerMissing,
  },
};

const ENV = 'GRIDBATCH_OPTIONAL_TOOLS';
const SKIPPED = join(ARTIFACTS, 'skipped-tools');

export function inCi(): boolean {
  const ci = (process.env.CI ?? '').toLowerCase();
  return ci !== '' && ci !== 'false' && ci !== '0';
}

/** Checks every tool (globalSetup); returns the reasons of the missing ones. */
export function checkOptionalTools(): Partial<Record<OptionalTool, string>> {
  const missing: Partial<Record<OptionalTool, string>> = {};
  for (const tool of Object.keys(TOOLS) as OptionalTool[]) {
    const why = TOOLS[tool].missing();
    if (why) missing[tool] = why;
  }
  process.env[ENV] = JSON.stringify(missing);
  rmSync(SKIPPED, { recursive: true, force: true });
  return missing;
}

/** One line naming each missing tool and how to install it. */
export function missingToolsLine(missing: Partial<Record<OptionalTool, string>>): string {
  return (Object.keys(missing) as OptionalTool[])
    .map((t) => `${TOOLS[t].name} (${TOOLS[t].install}; here: ${missing[t]})`)
    .join('; ');
}

/** Why the tool is unusable, or undefined when it works (read from globalSetup's check when there was one). */
export function toolMissing(tool: OptionalTool): string | undefined {
  const known = process.env[ENV];
  if (known) return (JSON.parse(known) as Partial<Record<OptionalTool, string>>)[tool];
  return TOOLS[tool].missing();
}

/**
 * `test` when the tool works, else `test.skip` with the skip recorded for the summary line.
 * With CI=true a missing tool is never skipped (globalSetup has failed the run already).
 */
export function testWith(tool: OptionalTool, where: string): jest.It {
  return skipGroup(tool, where) ? test.skip : test;
}

/** True when the tests of `where` that need the tool are to be skipped (recorded for the summary line). */
export function skipGroup(tool: OptionalTool, where: string): boolean {
  // with CI=true globalSetup has already failed the run when a tool is missing
  if (!toolMissing(tool) || inCi()) return false;
  mkdirSync(SKIPPED, { recursive: true });
  appendFileSync(join(SKIPPED, tool), `${where}\n`);
  return true;
}

/** The summary line of the tools whose tests were skipped (globalTeardown), or undefined. */
export function skippedSummary(): string | undefined {
  if (!existsSync(SKIPPED)) return undefined;
  const parts = readdirSync(SKIPPED)
    .sort()
    .map((tool) => {
      const files = [...new Set(readFileSync(join(SKIPPED, tool), 'utf8').split('\n').filter(Boolean))];
      const t = TOOLS[tool as OptionalTool];
      return `${t.name} missing, skipped ${files.join(', ')} (install: ${t.install})`;
    });
  rmSync(SKIPPED, { recursive: true, force: true });
  return parts.length ? `SKIPPED: ${parts.join('; ')}` : undefined;
}
