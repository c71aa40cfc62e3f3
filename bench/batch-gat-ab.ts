/**
 * The GAT-format study through two checkouts' CLIs, alternating with GAT's `batch pf`:
 *
 *   npx tsx bench/batch-gat-ab.ts --base /path/to/a/checkout/of/main [--rounds 10] [--ports 7533,7633] [--json]
 *
 * 1,000 one-slice case118 scenarios (bench/batch-specs.ts writeGatSpec) through
 * `start-batch --task pf_dc --skip-featurize --skip-report --json`, each CLI starting its own
 * worker from its own prebuilt dist/ (`npm run build` in both) against its own dev server (one
 * config each in the bench folder, ports 7533 and 7633 unless `--ports A,B`, so that two benches
 * can run on one machine; the dynamic config of each checkout's temporal-dev.yml), then GAT's materialize and `batch pf`
 * on the same scenarios (bench/batch-gat.ts): base, this checkout, GAT in every round. Wall and
 * CPU (user + system) of each process, the dev server's CPU during the run (/proc); medians and
 * medians of the per-round ratios, so a branch can be compared with main on a shared machine
 * whose load moves from round to round. Both dev servers are stopped at the end.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { childrenCpuSeconds, load1, median, processCpuSeconds } from './batch-measure';
import { writeGatSpec } from './batch-specs';
import { findGat, GatRun, gatRun, prepareGat } from './batch-gat';
import { readDevConfig } from '../src/temporal/config';

const argv = process.argv;
const arg = (k: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : undefined);
const BASE = arg('--base');
const ROUNDS = Math.max(1, Number(arg('--rounds') ?? 10));
const JOBS = Number(arg('--jobs') ?? 1000);
/** the dev servers' gRPC ports, base then this (their Web UIs at +1000) */
const PORTS = (arg('--ports') ?? '7533,7633').split(',').map(Number);
if (PORTS.length !== 2 || PORTS.some((p) => !Number.isInteger(p) || p <= 0 || p > 64535))
  throw new Error(`--ports takes two ports, base then this (e.g. 7543,7643): got ${arg('--ports')}`);
const HERE = resolve(__dirname, '..');
// its own folder per pair of ports: a bench on other ports does not remove this one's files
const WORK = join(process.env.GRIDBATCH_BENCH_DIR ?? join(tmpdir(), 'gridbatch-bench'), `gat-ab-${PORTS.join('-')}`);

interface Side {
  name: 'base' | 'this';
  checkout: string;
  config: string;
}

interface Run {
  wall: number;
  cpu: number;
  serverCpu: number;
  ok: number;
  load: number;
}

/**
 * A dev server config of the side's own (port, database, task queue) in the bench folder, with
 * the dynamic config of the side's temporal-dev.yml (the server settings that checkout ships).
 */
function writeConfig(name: string, port: number, checkout: string): string {
  const dynamic = readDevConfig(join(checkout, 'temporal-dev.yml')).dynamic_config;
  const file = join(WORK, `dev-${name}.yml`);
  const lines = [
    'namespace: default',
    'ip: 127.0.0.1',
    `port: ${port}`,
    `ui_port: ${port + 1000}`,
    `db_file: ${join(WORK, `dev-${name}`, 'dev.sqlite')}`,
    `log_file: ${join(WORK, `dev-${name}`, 'server.log')}`,
    'log_level: warn',
    `task_queue: gridbatch-ab-${name}`,
    'search_attributes:',
    '  BatchId: Keyword',
    '  ScenarioId: Keyword',
    '  Stage: Keyword',
    'sqlite_pragmas:',
    '  journal_mode: wal',
    '  synchronous: normal',
    `dynamic_config: ${JSON.stringify(dynamic)}`,
  ];
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

function cli(side: Side, args: string[]) {
  return spawnSync(process.execPath, [join(side.checkout, 'bin', 'gridbatch.cjs'), ...args], {
    env: { ...process.env, GRIDBATCH_DEV_CONFIG: side.config, GRIDBATCH_DIST: 'require' },
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
}

/** The pid of the side's running dev server (`dev-server status --json`), if any. */
function serverPid(side: Side): number | undefined {
  const r = cli(side, ['dev-server', 'status', '--json']);
  try {
    return (JSON.parse(r.stdout) as { pid?: number }).pid;
  } catch {
    return undefined;
  }
}

function runStudy(side: Side, spec: string, round: number, pid?: number): Run {
  const out = join(WORK, `out-${side.name}-${round}-${Date.now()}`);
  const load = load1();
  const s0 = processCpuSeconds(pid);
  const c0 = childrenCpuSeconds();
  const t0 = performance.now();
  const r = cli(side, [
    'start-batch',
    '--spec',
    spec,
    '--task',
    'pf_dc',
    '--out',
    out,
    '--skip-featurize',
    '--skip-report',
    '--json',
  ]);
  const wall = (performance.now() - t0) / 1000;
  const cpu = childrenCpuSeconds() - c0;
  const s1 = processCpuSeconds(pid);
  if (r.status !== 0) throw new Error(`${side.name}: start-batch exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const res = JSON.parse(r.stdout.slice(r.stdout.lastIndexOf('\n{\n') + 1)) as { ok: number };
  rmSync(out, { recursive: true, force: true });
  return { wall, cpu, serverCpu: s0 !== undefined && s1 !== undefined ? s1 - s0 : NaN, ok: res.ok, load };
}

const ratio = (a: Run[], b: Run[], f: (r: Run) => number) => median(a.map((x, i) => f(x) / f(b[i])));

function main(): void {
  if (!BASE || !existsSync(join(BASE, 'bin', 'gridbatch.cjs')))
    throw new Error('--base <checkout> (a built checkout of the other side, e.g. a worktree of main) is required');
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  const spec = writeGatSpec(WORK, JOBS);
  const sides: Side[] = [
    { name: 'base', checkout: resolve(BASE), config: writeConfig('base', PORTS[0], resolve(BASE)) },
    { name: 'this', checkout: HERE, config: writeConfig('this', PORTS[1], HERE) },
  ];
  const gat = findGat();
  if ('missing' in gat) console.error(gat.missing);
  const prepared = 'bin' in gat ? prepareGat(gat.bin, join(WORK, 'gat'), spec) : undefined;
  const runs: Record<Side['name'], Run[]> = { base: [], this: [] };
  const gatRuns: GatRun[] = [];
  try {
    // the first run starts the side's dev server and fills its caches: not counted
    const pids = sides.map((side) => (runStudy(side, spec, -1), serverPid(side)));
    for (let k = 0; k < ROUNDS; k++) {
      sides.forEach((side, i) => runs[side.name].push(runStudy(side, spec, k, pids[i])));
      if (prepared && 'bin' in gat) gatRuns.push(gatRun(gat.bin, prepared, join(WORK, 'gat', `run-${k}`)));
    }
  } finally {
    for (const side of sides) cli(side, ['dev-server', 'stop']);
  }
  const loads = [...runs.base, ...runs.this].map((r) => r.load);
  const summary = (rs: Run[]) => ({
    wallS: median(rs.map((r) => r.wall)),
    cpuS: median(rs.map((r) => r.cpu)),
    serverCpuS: median(rs.map((r) => r.serverCpu)),
    cpuAndServerS: median(rs.map((r) => r.cpu + r.serverCpu)),
    ok: [...new Set(rs.map((r) => r.ok))],
  });
  const gatWall = (i: number) => gatRuns[i]?.batchS ?? NaN;
  const result = {
    jobs: JOBS,
    rounds: ROUNDS,
    load: [Math.min(...loads), Math.max(...loads)],
    base: { checkout: sides[0].checkout, ...summary(runs.base) },
    this: { checkout: sides[1].checkout, ...summary(runs.this) },
    gatBatchPf: gatRuns.length
      ? { wallS: median(gatRuns.map((g) => g.batchS)), cpuS: median(gatRuns.map((g) => g.batchCpuS)) }
      : 'missing' in gat
        ? gat.missing
        : 'no GAT run',
    /** medians of the per-round ratios */
    thisOverBase: {
      wall: ratio(runs.this, runs.base, (r) => r.wall),
      cpuAndServer: ratio(runs.this, runs.base, (r) => r.cpu + r.serverCpu),
    },
    thisOverGatBatchPf: median(runs.this.map((r, i) => r.wall / gatWall(i))),
    baseOverGatBatchPf: median(runs.base.map((r, i) => r.wall / gatWall(i))),
    /** every round: load, wall and CPU (CLI + server) of each side, GAT's wall */
    perRound: runs.base.map((b, i) => {
      const t = runs.this[i];
      const r3 = (x: number) => Math.round(x * 1000) / 1000;
      return {
        load: b.load,
        base: { wallS: r3(b.wall), cpuS: r3(b.cpu + b.serverCpu) },
        this: { wallS: r3(t.wall), cpuS: r3(t.cpu + t.serverCpu) },
        gatWallS: r3(gatWall(i)),
        thisOverBaseWall: r3(t.wall / b.wall),
      };
    }),
  };
  if (argv.includes('--json')) console.log(JSON.stringify(result, null, 2));
  else {
    const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');
    console.log(
      `GAT-format study, ${JOBS} scenarios, ${ROUNDS} alternating rounds, load ${result.load[0]}-${result.load[1]}`,
    );
    console.log('| side | wall s | CPU s (CLI) | dev server CPU s | CLI + server | / GAT batch pf (paired) |');
    console.log('|---|---|---|---|---|---|');
    for (const [name, s, g] of [
      ['base', result.base, result.baseOverGatBatchPf],
      ['this', result.this, result.thisOverGatBatchPf],
    ] as const)
      console.log(`| ${name} | ${f(s.wallS)} | ${f(s.cpuS)} | ${f(s.serverCpuS)} | ${f(s.cpuAndServerS)} | ${f(g)} |`);
    if (gatRuns.length) {
      const g = result.gatBatchPf as { wallS: number; cpuS: number };
      console.log(`GAT batch pf: wall ${f(g.wallS)} s, CPU ${f(g.cpuS)} s`);
    }
    console.log(
      `this / base, medians of the per-round ratios: wall ${f(result.thisOverBase.wall)}, CPU (CLI + server) ${f(result.thisOverBase.cpuAndServer)}`,
    );
  }
}

main();
