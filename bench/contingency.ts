/**
 * N-1 and time series, gridbatch side by side with lightsim2grid (when importable): per case,
 *   cold: solvePfAc from the case voltages (status, Ybus, ordering, factorization, Newton);
 *   ts:   a prepared solver over load levels (all loads times 1 + 0.05 sin(2 pi k / levels)),
 *         each level warm-started from the previous one, ms per power flow;
 *   n1:   a prepared solver over single-branch outages that keep the network connected (the
 *         first --n1-max in file order), each the base network viewed with one branch status 0
 *         (its own status column, every other column shared), as a batch job gets it
 *         (src/scenarios/network-draft.ts), ms per contingency.
 * Warm-up, equal on both sides: as many untimed cold solves as timed ones (100 on cases under
 * 1,000 buses, 20 under 5,000, else 5) before the timed ones, and each ts / n1 loop run untimed
 * (8 times under 1,000 buses, 2 under 5,000, else once) right before the timed run on a fresh
 * prepared solver / lightsim2grid object; before the timed rounds, one untimed round of every side.
 * gridbatch runs with the TypeScript LU and, when libklu is loadable, with KLU; the sides
 * alternate within each round (--rounds, default 3) and the table shows medians over rounds and
 * gridbatch / lightsim2grid ratios. Newton-Raphson to --tol (1e-8) in at most 10 iterations, no
 * reactive limits, one thread. Load average is printed with the table (the machine may be shared).
 * --clock cpu times both sides by process CPU time instead of wall time (Node's
 * process.cpuUsage, Python's time.process_time): on a loaded machine wall times mostly measure
 * waiting for a core, CPU times far less so.
 *
 * `npm run bench:contingency` runs it with plain node (scripts/run-node.cjs), as the CLI and the
 * workers run: under tsx every typed-array loop of the process runs 11-16% slower (see there).
 *
 *   node scripts/run-node.cjs bench/contingency.ts [--cases case118,case1354pegase,case9241pegase]
 *     [--rounds 3] [--n1-max 500] [--levels 96] [--clock wall|cpu] [--no-compare] [--json]
 */
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { prepareAcPf, solvePfAc } from '../src/solvers/pf-ac';
import type { SolveOptions } from '../src/solvers/solution';
import { loadKlu } from '../src/solvers/sparse/klu-native';
import { haveLightsim, runLightsim } from './lightsim2grid';
import { connectedOutages } from './contingency-outages';
import { branchOutageView } from '../src/scenarios/network-draft';

interface Args {
  dir: string;
  cases: string[];
  rounds: number;
  n1Max: number;
  levels: number;
  compare: boolean;
  json: boolean;
  tol: number;
  clock: 'wall' | 'cpu';
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    dir: process.env.CASES_DIR ?? resolve(__dirname, '..', 'tests', 'fixtures', 'cases'),
    cases: ['case118', 'case1354pegase', 'case9241pegase'],
    rounds: 3,
    n1Max: 500,
    levels: 96,
    compare: true,
    json: false,
    tol: 1e-8,
    clock: 'wall',
  };
  for (let i = 0; i < argv.length; i++) {
    const v = argv[i + 1];
    switch (argv[i]) {
      case '--dir':
        a.dir = v;
        i++;
        break;
      case '--cases':
        a.cases = v.split(',');
        i++;
        break;
      case '--rounds':
        a.rounds = Number(v);
        i++;
        break;
      case '--n1-max':
        a.n1Max = Number(v);
        i++;
        break;
      case '--levels':
        a.levels = Number(v);
        i++;
        break;
      case '--tol':
        a.tol = Number(v);
        i++;
        break;
      case '--clock':
        if (v !== 'wall' && v !== 'cpu') throw new Error(`--clock must be wall or cpu, got ${v}`);
        a.clock = v;
        i++;
        break;
      case '--no-compare':
        a.compare = false;
        break;
      case '--json':
        a.json = true;
        break;
      default:
        throw new Error(`unknown option ${argv[i]}`);
    }
  }
  return a;
}

const median = (xs: number[]) => {
  const s = xs.slice().sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function levelsOf(n: number): number[] {
  return Array.from({ length: n }, (_, k) => 1 + 0.05 * Math.sin((2 * Math.PI * k) / n));
}

interface Ours {
  coldMs: number;
  tsMsPerPf: number;
  tsConverged: number;
  n1MsPerCase: number;
  n1Converged: number;
  vm: Float64Array;
  tsLastVm: Float64Array;
  its: number;
}

/** Milliseconds on the chosen clock (process CPU time: user + system of all threads). */
function clockOf(kind: 'wall' | 'cpu'): () => number {
  if (kind === 'wall') return () => performance.now();
  return () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
}

function runOurs(
  net: Network,
  levels: number[],
  outages: number[],
  tol: number,
  coldRepeats: number,
  clock: 'wall' | 'cpu' = 'wall',
  warmRuns = 1,
): Ours {
  const opts = { tol, maxIt: 10 };
  const now = clockOf(clock);
  const cold: number[] = [];
  let base = solvePfAc(net, opts);
  for (let k = 1; k < coldRepeats; k++) base = solvePfAc(net, opts); // warm-up, untimed
  for (let k = 0; k < coldRepeats; k++) {
    const t = now();
    base = solvePfAc(net, opts);
    cold.push(now() - t);
  }
  // each loop runs warmRuns times untimed (warm-up: JIT, caches), then timed on a fresh prepared
  // solver, as the lightsim2grid side runs each of its loops before timing a fresh object
  let ts = timeSeries(net, levels, opts, base.bus.vm, now);
  for (let w = 0; w < warmRuns; w++) ts = timeSeries(net, levels, opts, base.bus.vm, now);
  let n1 = nMinus1(net, outages, opts, now);
  for (let w = 0; w < warmRuns; w++) n1 = nMinus1(net, outages, opts, now);
  return {
    coldMs: median(cold),
    tsMsPerPf: ts.ms,
    tsConverged: ts.ok,
    n1MsPerCase: n1.ms,
    n1Converged: n1.ok,
    vm: base.bus.vm,
    tsLastVm: ts.last,
    its: base.iterations,
  };
}

/** Time series: one prepared solver, loads scaled per level, warm start from the previous level. */
function timeSeries(
  net: Network,
  levels: number[],
  opts: SolveOptions,
  baseVm: Float64Array,
  now: () => number,
): { ms: number; ok: number; last: Float64Array } {
  const slice = cloneNetwork(net);
  const t = now();
  const ts = prepareAcPf(slice);
  let start: { vm: Float64Array; vaDeg: Float64Array } | undefined;
  let ok = 0;
  let last = baseVm;
  for (const f of levels) {
    for (let i = 0; i < net.bus.n; i++) {
      slice.bus.Pd[i] = net.bus.Pd[i] * f;
      slice.bus.Qd[i] = net.bus.Qd[i] * f;
    }
    const s = ts.solve(slice, { ...opts, start });
    if (s.converged) {
      ok++;
      start = { vm: s.bus.vm, vaDeg: s.bus.vaDeg };
      last = s.bus.vm;
    }
  }
  return { ms: (now() - t) / levels.length, ok, last };
}

/** N-1: one prepared solver, per contingency the base viewed with one branch out (as a batch job has). */
function nMinus1(net: Network, outages: number[], opts: SolveOptions, now: () => number): { ms: number; ok: number } {
  const t = now();
  const n1 = prepareAcPf(net);
  let ok = 0;
  for (const l of outages) {
    // the job network a branch-outage scenario gets (applyScenario -> outage-view.ts)
    if (n1.solve(branchOutageView(net, [l]), opts).converged) ok++;
  }
  return { ms: (now() - t) / Math.max(1, outages.length), ok };
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return NaN;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

interface Row {
  case: string;
  workload: string;
  count: number;
  lightsimMs: number | null;
  tsLuMs: number;
  kluMs: number | null;
  ratioTs: number | null;
  ratioKlu: number | null;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const haveKlu = loadKlu() !== null;
  const compare = args.compare && haveLightsim();
  const load0 = loadavg();
  const rows: Row[] = [];
  const notes: string[] = [];
  let lsVersion = '';
  for (const name of args.cases) {
    const path = join(args.dir, `${name}.m`);
    const net = readCaseFile(path);
    const outages = connectedOutages(net, args.n1Max);
    const levels = levelsOf(args.levels);
    const coldRepeats = net.bus.n > 5000 ? 5 : net.bus.n > 1000 ? 20 : 100;
    // untimed runs of each loop before the timed one, on every side: enough for V8 to have
    // optimized the loops (case118's loops take ~10-40 ms, the first few run before that)
    const warmRuns = net.bus.n > 5000 ? 1 : net.bus.n > 1000 ? 2 : 8;
    const vmStart = Array.from(net.bus.Vm),
      vaStartDeg = Array.from(net.bus.Va);
    for (let g = 0; g < net.gen.n; g++)
      if (net.gen.status[g] > 0) vmStart[net.busIndex.get(net.gen.bus[g]) as number] = net.gen.Vg[g];
    const per: Record<'ts' | 'klu' | 'ls', { cold: number[]; ts: number[]; n1: number[] }> = {
      ts: { cold: [], ts: [], n1: [] },
      klu: { cold: [], ts: [], n1: [] },
      ls: { cold: [], ts: [], n1: [] },
    };
    const sides: ('ts' | 'klu' | 'ls')[] = [
      'ts',
      ...(haveKlu ? ['klu' as const] : []),
      ...(compare ? ['ls' as const] : []),
    ];
    let ours: Ours | null = null;
    let ls: ReturnType<typeof runLightsim> = null;
    // round 0 is an untimed warm-up round of every side (the JIT state of our sides outlives a
    // round; the first timed round would otherwise favour whichever side runs later)
    for (let r = 0; r <= args.rounds; r++) {
      const order = r % 2 === 1 ? sides : sides.slice().reverse();
      const timed = r > 0;
      for (const side of order) {
        process.stderr.write(`${name} round ${timed ? r : 'warm-up'} ${side}...\n`);
        if (side === 'ls') {
          const res = runLightsim({
            path,
            vmStart,
            vaStartDeg,
            levels,
            outages,
            tol: args.tol,
            maxIt: 10,
            coldRepeats,
            warmRuns,
            clock: args.clock,
            branchF: Array.from(net.branch.fbus, (b) => net.busIndex.get(b) as number),
            branchT: Array.from(net.branch.tbus, (b) => net.busIndex.get(b) as number),
          });
          if (!res || !timed) continue;
          ls = res;
          lsVersion = res.version;
          per.ls.cold.push(res.coldMs);
          if (res.tsMsPerPf !== undefined) per.ls.ts.push(res.tsMsPerPf);
          if (res.n1MsPerCase !== undefined) per.ls.n1.push(res.n1MsPerCase);
        } else {
          process.env.GRIDBATCH_LU = side;
          const run = runOurs(net, levels, outages, args.tol, coldRepeats, args.clock, warmRuns);
          if (!timed) continue;
          ours = run;
          per[side].cold.push(ours.coldMs);
          per[side].ts.push(ours.tsMsPerPf);
          per[side].n1.push(ours.n1MsPerCase);
        }
      }
    }
    delete process.env.GRIDBATCH_LU;
    if (ours && ls) {
      notes.push(
        `${name}: base Vm max diff ${maxDiff(ours.vm, ls.vm).toExponential(1)} p.u., cold iterations ${ours.its} (lightsim2grid ${ls.coldIts ?? '?'}); last level Vm ${maxDiff(ours.tsLastVm, ls.tsLastVm ?? []).toExponential(1)}; ` +
          `time series converged ${ours.tsConverged}/${levels.length} (lightsim2grid ${ls.tsConverged}); N-1 converged ${ours.n1Converged}/${outages.length} (lightsim2grid ${ls.n1Converged}/${ls.n1Mapped})`,
      );
    } else if (ours) {
      notes.push(
        `${name}: time series converged ${ours.tsConverged}/${levels.length}; N-1 converged ${ours.n1Converged}/${outages.length}`,
      );
    }
    const add = (workload: string, key: 'cold' | 'ts' | 'n1', count: number) => {
      const lsMs = per.ls[key].length ? median(per.ls[key]) : null;
      const tsMs = median(per.ts[key]);
      const kluMs = per.klu[key].length ? median(per.klu[key]) : null;
      rows.push({
        case: name,
        workload,
        count,
        lightsimMs: lsMs,
        tsLuMs: tsMs,
        kluMs,
        ratioTs: lsMs ? tsMs / lsMs : null,
        ratioKlu: lsMs && kluMs !== null ? kluMs / lsMs : null,
      });
    };
    add('cold solve', 'cold', 1);
    add(`time series, per PF (${levels.length} levels, warm)`, 'ts', levels.length);
    add(`N-1 per contingency (${outages.length} connected outages)`, 'n1', outages.length);
  }
  const load1 = loadavg();
  const loadNote = `load average ${load0.map((x) => x.toFixed(1)).join(' ')} at start, ${load1.map((x) => x.toFixed(1)).join(' ')} at end`;
  if (args.json) {
    console.log(
      JSON.stringify({
        node: process.version,
        lightsim2grid: lsVersion || null,
        klu: haveKlu,
        rounds: args.rounds,
        clock: args.clock,
        load: { start: load0, end: load1 },
        rows,
        notes,
      }),
    );
    return;
  }
  const f = (x: number | null) => (x === null ? '-' : x < 1 ? x.toFixed(3) : x < 10 ? x.toFixed(2) : x.toFixed(1));
  console.log(
    `N-1 and time series, median of ${args.rounds} alternating rounds, ${args.clock === 'cpu' ? 'process CPU time' : 'wall time'}; node ${process.version}; lightsim2grid ${lsVersion || 'not run'}; ${loadNote}`,
  );
  console.log(
    '| case | workload | lightsim2grid ms | gridbatch TS LU ms | ratio (TS LU) | gridbatch KLU ms | ratio (KLU) |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of rows)
    console.log(
      `| ${r.case} | ${r.workload} | ${f(r.lightsimMs)} | ${f(r.tsLuMs)} | ${f(r.ratioTs)} | ${f(r.kluMs)} | ${f(r.ratioKlu)} |`,
    );
  for (const n of notes) console.log(`- ${n}`);
}

main();
