/**
 * Where the warm AC power-flow paths spend their time (issue [10]): runs bench:contingency's
 * N-1 loop (a prepared solver, the base viewed with one branch out per outage) or time-series loop (load levels,
 * warm starts) many times under V8's sampling profiler (node:inspector, in process) and prints
 * each listed function's inclusive share of the profiled time, plus the top self times.
 * Inclusive shares overlap (newtonpf contains fillJacobian); names are those of the functions
 * (functions V8 inlined may not show, and `solve` is both the prepared solver's and the LU's).
 * Native KLU calls show as self time under one koffi function name (whichever was bound last,
 * e.g. klu_free_numeric or klu_analyze_given), not under the C function actually called.
 *
 *   node scripts/run-node.cjs bench/pf-warm-profile.ts [--case case118] [--loop n1|ts] [--loops 150]
 *     [--lu klu|ts] [--top 12] [--lines 0]
 * --top: how many functions by self time; --lines: that many source lines by samples too.
 */
import { Session } from 'node:inspector';
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { prepareAcPf } from '../src/solvers/pf-ac';
import { connectedOutages } from './contingency-outages';
import { branchOutageView } from '../src/scenarios/network-draft';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const PHASES = [
  'solve',
  'newtonOnTopology',
  'newtonpf',
  'fillJacobian',
  'refactor',
  'busInjections',
  'polarToRect',
  'pfsoln',
  'branchFlowsByPairs',
  'shareQg',
  'startFor',
  'topologyOf',
  'fitsStructure',
  'branchOutageView',
  'solutionArrays',
  'startPoint',
  '(garbage collector)',
];

function arg(name: string, def: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : def;
}

function runLoop(net: Network, loop: string, outages: number[]): void {
  const opts = { tol: 1e-8, maxIt: 10 };
  if (loop === 'n1') {
    const n1 = prepareAcPf(net);
    for (const l of outages) n1.solve(branchOutageView(net, [l]), opts);
    return;
  }
  const slice = cloneNetwork(net);
  const ts = prepareAcPf(slice);
  let start: { vm: Float64Array; vaDeg: Float64Array } | undefined;
  for (let k = 0; k < 96; k++) {
    const f = 1 + 0.05 * Math.sin((2 * Math.PI * k) / 96);
    for (let i = 0; i < net.bus.n; i++) {
      slice.bus.Pd[i] = net.bus.Pd[i] * f;
      slice.bus.Qd[i] = net.bus.Qd[i] * f;
    }
    const s = ts.solve(slice, { ...opts, start });
    if (s.converged) start = { vm: s.bus.vm, vaDeg: s.bus.vaDeg };
  }
}

function post<T>(s: Session, method: string): Promise<T> {
  return new Promise((res, rej) => s.post(method, (err, out) => (err ? rej(err) : res(out as T))));
}

/** Inclusive and self time per function name, in shares of all samples. */
function shares(p: Profile): { incl: Map<string, number>; self: Map<string, number> } {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const t = new Map<number, number>();
  p.samples.forEach((s, i) => t.set(s, (t.get(s) ?? 0) + (p.timeDeltas[i] ?? 0)));
  let total = 0;
  const incl = new Map<string, number>(),
    self = new Map<string, number>();
  for (const [id, dt] of t) {
    total += dt;
    const own = byId.get(id)?.callFrame.functionName || '(anonymous)';
    self.set(own, (self.get(own) ?? 0) + dt);
    const seen = new Set<string>();
    for (let x: number | undefined = id; x !== undefined; x = parent.get(x)) {
      const name = byId.get(x)?.callFrame.functionName || '(anonymous)';
      if (seen.has(name)) continue;
      seen.add(name);
      incl.set(name, (incl.get(name) ?? 0) + dt);
    }
  }
  for (const m of [incl, self]) for (const [k, v] of m) m.set(k, v / total);
  return { incl, self };
}

/**
 * The `count` source lines with the most samples (function:file:line share), from the profile's
 * line ticks; lines are those of the bundle run-node.cjs builds (bench-build.tmp/).
 */
function topLines(p: Profile, count: number): string {
  const lines = new Map<string, number>();
  let total = 0;
  for (const n of p.nodes) {
    for (const pt of n.positionTicks ?? []) {
      const k = `${n.callFrame.functionName}:${n.callFrame.url.split('/').pop()}:${pt.line}`;
      lines.set(k, (lines.get(k) ?? 0) + pt.ticks);
      total += pt.ticks;
    }
  }
  return [...lines]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([k, v]) => `  ${k} ${((100 * v) / total).toFixed(1)}%`)
    .join('\n');
}

async function main(): Promise<void> {
  const name = arg('case', 'case118');
  const loop = arg('loop', 'n1');
  const loops = Number(arg('loops', '150'));
  process.env.GRIDBATCH_LU = arg('lu', 'klu');
  const net = readCaseFile(join(resolve(__dirname, '..', 'tests', 'fixtures', 'cases'), `${name}.m`));
  const outages = connectedOutages(net, 500);
  for (let k = 0; k < 8; k++) runLoop(net, loop, outages); // warm-up, not profiled
  const s = new Session();
  s.connect();
  await post(s, 'Profiler.enable');
  await post(s, 'Profiler.start');
  const t = performance.now();
  for (let k = 0; k < loops; k++) runLoop(net, loop, outages);
  const ms = performance.now() - t;
  const { profile } = await post<{ profile: Profile }>(s, 'Profiler.stop');
  s.disconnect();
  const per = loop === 'n1' ? outages.length : 96;
  console.log(
    `${name} ${loop} ${process.env.GRIDBATCH_LU}: ${loops} loops, ${((1000 * ms) / (loops * per)).toFixed(1)} us wall per ${loop === 'n1' ? 'outage' : 'PF'} (profiler on); load average ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}`,
  );
  const { incl, self } = shares(profile);
  const pct = (x: number | undefined) => `${(100 * (x ?? 0)).toFixed(1)}%`;
  console.log('inclusive: ' + PHASES.map((p) => `${p} ${pct(incl.get(p))}`).join(', '));
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, Number(arg('top', '12')));
  const lineCount = Number(arg('lines', '0'));
  if (lineCount > 0) console.log(topLines(profile, lineCount));
  console.log('top self: ' + top.map(([k, v]) => `${k} ${pct(v)}`).join(', '));
}

void main();
