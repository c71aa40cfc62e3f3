/**
 * AC power-flow benchmark: median wall time per solve for every MATPOWER case in the cases
 * folder, with iteration counts, for
 *   - solvePfAc (everything from the Network: status, Ybus, ordering, Newton, pfsoln),
 *   - a prepared solver re-solving the same topology (Ybus, Jacobian pattern, LU ordering
 *     and pivot sequence cached), cold start,
 *   - the same, warm-started from the previous solution with loads scaled by 1%,
 * and, side by side when installed, pandapower's runpp (Newton-Raphson, tolerance set to
 * MATPOWER's 1e-8 p.u.) and MATPOWER's runpf on Octave. Nothing of theirs is committed:
 * both are detected at run time.
 *
 *   npm run bench:pf -- [--cases case9,case9241pegase] [--min-ms 1500] [--no-compare] [--lu ts|klu] [--json]
 *   CASES_DIR=/path/to/cases npm run bench:pf
 * (plain node on an esbuild bundle, scripts/run-node.cjs, as the CLI runs from dist/)
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { prepareAcPf, solvePfAc } from '../src/solvers/pf-ac';
import { defaultLuBackend } from '../src/solvers/sparse/lu-backend';
import { matpowerPrelude, matpowerVersion, runOctave } from './matpower-octave';
import { haveLightsim, runLightsim } from './lightsim2grid';

interface Args {
  cases: string[] | null;
  minMs: number;
  compare: boolean;
  dir: string;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = {
    cases: null,
    minMs: 1500,
    compare: true,
    json: false,
    dir: resolve(process.env.CASES_DIR ?? join(__dirname, '..', 'tests', 'fixtures', 'cases')),
  };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--cases') a.cases = argv[++i].split(',');
    else if (argv[i] === '--min-ms') a.minMs = Number(argv[++i]);
    else if (argv[i] === '--no-compare') a.compare = false;
    else if (argv[i] === '--json') a.json = true;
    else if (argv[i] === '--lu') process.env.GRIDBATCH_LU = argv[++i];
    else if (argv[i] === '--dir') a.dir = resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  return a;
}

/** Runs f at least 5 times and for at least minMs (at most 200 times); median ms. */
function medianMs(f: () => number, minMs: number): number {
  const ts: number[] = [];
  const t0 = performance.now();
  while (ts.length < 5 || (performance.now() - t0 < minMs && ts.length < 200)) ts.push(f());
  ts.sort((x, y) => x - y);
  return ts[Math.floor(ts.length / 2)];
}

interface Row {
  name: string;
  nb: number;
  converged: boolean;
  its: number;
  full: number;
  prepared: number;
  warm: number;
  warmIts: number;
  pp?: { ms: number; its: number; converged: boolean };
  /** lightsim2grid cold solve (fresh solver, case start), median ms */
  ls?: number;
  mp?: { ms: number; its: number; converged: boolean };
}

function benchCase(name: string, net: Network, minMs: number): Row {
  // warm up the JIT on this case as long as the timed loop runs (as lightsim2grid's side gets as
  // many untimed cold solves as timed ones): after a single solve the TS LU's kernels still run
  // unoptimized, case118 then took ~9 ms per solve instead of ~0.3 (loaded machine)
  medianMs(() => solvePfAc(net).solveMs, minMs);
  const first = solvePfAc(net);
  const full = medianMs(() => solvePfAc(net).solveMs, minMs);
  const prep = prepareAcPf(net);
  prep.solve(net);
  const prepared = medianMs(() => prep.solve(net).solveMs, minMs);
  // time series: +1% load, warm start from the base solution
  const slice = cloneNetwork(net);
  for (let i = 0; i < slice.bus.n; i++) {
    slice.bus.Pd[i] *= 1.01;
    slice.bus.Qd[i] *= 1.01;
  }
  const start = first.converged ? { vm: first.bus.vm, vaDeg: first.bus.vaDeg } : undefined;
  let warmIts = 0;
  const warm = medianMs(() => {
    const s = prep.solve(slice, { start });
    warmIts = s.iterations;
    return s.solveMs;
  }, minMs);
  return { name, nb: net.bus.n, converged: first.converged, its: first.iterations, full, prepared, warm, warmIts };
}

/** MATPOWER ppc matrices of a Network, for the comparison runs. */
function ppc(net: Network): Record<string, unknown> {
  const rows = (n: number, cols: Float64Array[]) => Array.from({ length: n }, (_, i) => cols.map((c) => c[i]));
  const { bus: b, gen: g, branch: l } = net;
  return {
    baseMVA: net.baseMVA,
    bus: rows(b.n, [b.busI, b.type, b.Pd, b.Qd, b.Gs, b.Bs, b.area, b.Vm, b.Va, b.baseKV, b.zone, b.Vmax, b.Vmin]),
    gen: rows(g.n, [g.bus, g.Pg, g.Qg, g.Qmax, g.Qmin, g.Vg, g.mBase, g.status, g.Pmax, g.Pmin, ...g.extra]),
    branch: rows(l.n, [
      l.fbus,
      l.tbus,
      l.r,
      l.x,
      l.b,
      l.rateA,
      l.rateB,
      l.rateC,
      l.ratio,
      l.angle,
      l.status,
      l.angmin,
      l.angmax,
    ]),
  };
}

const PANDAPOWER_SCRIPT = String.raw`
import json, sys, time, warnings
warnings.filterwarnings("ignore")
import numpy as np
import pandapower as pp
from pandapower.converter.pypower import from_ppc
try:
    import numba  # noqa: F401
    have_numba = True
except ImportError:
    have_numba = False
cases = json.load(open(sys.argv[1]))
min_s = float(sys.argv[2])
out = {"version": pp.__version__, "numba": have_numba, "cases": {}}
for name, c in cases.items():
    ppc = {k: np.array(v, dtype=float) for k, v in c.items() if k != "baseMVA"}
    ppc["baseMVA"] = c["baseMVA"]
    ppc["version"] = "2"
    net = from_ppc(ppc, f_hz=50, validate_conversion=False)
    kw = dict(algorithm="nr", tolerance_mva=1e-8 * c["baseMVA"], max_iteration=10, trafo_model="pi", numba=have_numba)
    def run():
        t = time.perf_counter()
        try:
            pp.runpp(net, **kw)
            ok = True
        except Exception:
            ok = False
        return time.perf_counter() - t, ok
    run()
    ts = []
    t0 = time.perf_counter()
    while len(ts) < 5 or (time.perf_counter() - t0 < min_s and len(ts) < 200):
        dt, ok = run()
        ts.append(dt)
    its = int(net._ppc["iterations"]) if ok and net._ppc is not None and "iterations" in net._ppc else -1
    out["cases"][name] = {"ms": 1000 * float(np.median(ts)), "its": its, "converged": bool(ok)}
print(json.dumps(out))
`;

function havePandapower(): boolean {
  return spawnSync('python3', ['-c', 'import pandapower'], { stdio: 'ignore' }).status === 0;
}

function runPandapower(
  nets: Map<string, Network>,
  minMs: number,
): { version: string; numba: boolean; cases: Record<string, { ms: number; its: number; converged: boolean }> } | null {
  const dir = mkdtempSync(join(tmpdir(), 'gridbatch-bench-'));
  try {
    const data: Record<string, unknown> = {};
    for (const [name, net] of nets) data[name] = ppc(net);
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(data));
    writeFileSync(join(dir, 'pp_bench.py'), PANDAPOWER_SCRIPT);
    const r = spawnSync('python3', [join(dir, 'pp_bench.py'), join(dir, 'cases.json'), String(minMs / 1000)], {
      encoding: 'utf8',
      maxBuffer: 1 << 26,
    });
    if (r.status !== 0) {
      console.error(`pandapower run failed:\n${r.stderr}`);
      return null;
    }
    return JSON.parse(r.stdout.trim().split('\n').pop() as string);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function runMatpower(
  dir: string,
  names: string[],
  minMs: number,
): Record<string, { ms: number; its: number; converged: boolean }> {
  const out: Record<string, { ms: number; its: number; converged: boolean }> = {};
  const script = names
    .map(
      (n) => `
mpc = loadcase('${join(dir, n)}.m'); mpopt = mpoption('verbose', 0, 'out.all', 0);
r = runpf(mpc, mpopt); ts = []; t0 = tic;
while numel(ts) < 5 || (toc(t0) < ${minMs / 1000} && numel(ts) < 200)
  t = tic; r = runpf(mpc, mpopt); ts(end+1) = toc(t);
end
printf('MP %s %.6f %d %d\\n', '${n}', 1000*median(ts), r.iterations, r.success);`,
    )
    .join('\n');
  const r = runOctave(script);
  if (!r.ok) console.error(`MATPOWER run failed:\n${r.stderr.slice(-2000)}`);
  for (const line of r.stdout.split('\n')) {
    const m = /^MP (\S+) (\S+) (\d+) (\d)/.exec(line);
    if (m) out[m[1]] = { ms: Number(m[2]), its: Number(m[3]), converged: m[4] === '1' };
  }
  return out;
}

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const names = readdirSync(args.dir)
    .filter((f) => f.endsWith('.m'))
    .map((f) => f.replace(/\.m$/, ''))
    .filter((n) => !args.cases || args.cases.includes(n));
  const nets = new Map<string, Network>();
  for (const n of names) nets.set(n, readCaseFile(join(args.dir, `${n}.m`)));
  names.sort((a, b) => (nets.get(a) as Network).bus.n - (nets.get(b) as Network).bus.n || a.localeCompare(b));
  const rows: Row[] = [];
  const withLs = args.compare && haveLightsim();
  let lsInfo = '';
  for (const n of names) {
    process.stderr.write(`gridbatch ${n}...\n`);
    const net = nets.get(n) as Network;
    const row = benchCase(n, net, args.minMs);
    if (withLs) {
      // right after ours on the same case (same machine state); cold solves only
      const vmStart = Array.from(net.bus.Vm);
      for (let g = 0; g < net.gen.n; g++)
        if (net.gen.status[g] > 0) vmStart[net.busIndex.get(net.gen.bus[g]) as number] = net.gen.Vg[g];
      const ls = runLightsim({
        path: join(args.dir, `${n}.m`),
        vmStart,
        vaStartDeg: Array.from(net.bus.Va),
        levels: [],
        outages: [],
        tol: 1e-8,
        maxIt: 10,
        coldRepeats: net.bus.n > 5000 ? 9 : 41,
        branchF: [],
        branchT: [],
      });
      if (ls && ls.vm.length === net.bus.n) {
        row.ls = ls.coldMs;
        lsInfo = `lightsim2grid ${ls.version} (cold, fresh solver per solve)`;
      }
    }
    rows.push(row);
  }
  let ppInfo = '';
  if (args.compare && havePandapower()) {
    process.stderr.write('pandapower...\n');
    const pp = runPandapower(nets, args.minMs);
    if (pp) {
      ppInfo = `pandapower ${pp.version}${pp.numba ? ' with numba' : ' without numba'}`;
      for (const r of rows) r.pp = pp.cases[r.name];
    }
  }
  let mpInfo = '';
  if (args.compare && matpowerPrelude() !== null) {
    process.stderr.write('MATPOWER (Octave)...\n');
    const mp = runMatpower(args.dir, names, args.minMs);
    mpInfo = `${matpowerVersion()} runpf (side by side)`;
    for (const r of rows) r.mp = mp[r.name];
  }
  if (args.json) {
    console.log(
      JSON.stringify({
        lu: defaultLuBackend(),
        node: process.version,
        load: loadavg(),
        lightsim2grid: lsInfo || null,
        pandapower: ppInfo || null,
        matpower: mpInfo || null,
        rows,
      }),
    );
    return;
  }
  const f = (x: number | undefined) => (x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1));
  const cmp = (o: { ms: number; its: number; converged: boolean } | undefined, ours: number) =>
    o
      ? [f(o.ms), `${o.converged ? o.its : 'fail'}`, o.converged ? `${(o.ms / ours).toFixed(1)}x` : '-']
      : ['-', '-', '-'];
  const head = ['case', 'buses', 'its', 'solvePfAc ms', 'prepared ms', 'warm +1% ms (its)'];
  if (lsInfo) head.push('lightsim2grid ms', 'ours / ls');
  if (ppInfo) head.push('pandapower ms', 'pp its', 'pp / ours');
  if (mpInfo) head.push('MATPOWER ms', 'mp its', 'mp / ours');
  const lines = [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const r of rows) {
    const cells = [
      r.name,
      String(r.nb),
      r.converged ? String(r.its) : `${r.its} (no conv.)`,
      f(r.full),
      f(r.prepared),
      `${f(r.warm)} (${r.warmIts})`,
    ];
    if (lsInfo) cells.push(f(r.ls), r.ls ? `${(r.full / r.ls).toFixed(2)}` : '-');
    if (ppInfo) cells.push(...cmp(r.pp, r.full));
    if (mpInfo) cells.push(...cmp(r.mp, r.full));
    lines.push(`| ${cells.join(' | ')} |`);
  }
  console.log(
    `AC power flow, median ms per solve; LU backend ${defaultLuBackend()}; node ${process.version}; load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}${lsInfo ? `; ${lsInfo}` : ''}${ppInfo ? `; ${ppInfo}` : ''}${mpInfo ? `; ${mpInfo}` : ''}`,
  );
  console.log(lines.join('\n'));
}

main();
