/**
 * This checkout's AC power flow against another checkout's (e.g. a worktree at main), both
 * loaded in one process and run alternately (A B B A ...), process CPU time: per round, each
 * side runs bench:contingency's loops once per LU backend (GRIDBATCH_LU=klu|ts):
 *   cold: --cold-repeats solvePfAc calls from the case voltages, ms per solve;
 *   ts:   a prepared solver over 96 load levels, each warm-started from the previous one, ms per PF;
 *   n1:   a prepared solver over the connected single-branch outages (the base viewed with one
 *         branch out, as a batch job gets it), ms per contingency.
 * A side's time in a round is the mean of --reps runs of the loop. Every loop runs --warm times
 * untimed per side before the rounds (JIT). Prints per backend and
 * loop the medians over rounds and the median of the per-round ratios this / other, with the
 * load average. The other checkout needs its own node_modules (or a link to these) and its
 * WebAssembly kernels built (wasm/build). Its solver is bundled with esbuild into its own
 * bench-build.tmp/ (as scripts/run-node.cjs bundles a benchmark, so that its package root, and with
 * it its kernels, resolve to that checkout) and loaded from there: the script runs under plain
 * node (run-node.cjs), where both sides run without tsx's handicap.
 *
 *   node scripts/run-node.cjs bench/pf-warm-ab.ts --other ../wt-main [--cases case118] [--rounds 15]
 *     [--warm 8] [--lu klu,ts] [--loops cold,ts,n1] [--cold-repeats 100] [--n1-max 500] [--reps 5]
 */
import { mkdirSync, rmdirSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { BuildOptions, buildSync } from 'esbuild';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { BUNDLE_OPTIONS } = require('../scripts/run-node.cjs') as { BUNDLE_OPTIONS: object };
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { branchOutageView } from '../src/scenarios/network-draft';
import type { Solution, SolveOptions } from '../src/solvers/solution';
import { connectedOutages } from './contingency-outages';

interface PfModule {
  prepareAcPf(net: Network): { solve(net: Network, opts?: SolveOptions): Solution };
  solvePfAc(net: Network, opts?: SolveOptions): Solution;
}

const argv = process.argv.slice(2);
const opt = (k: string, d: string): string => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const other = opt('--other', '');
if (!other) throw new Error('--other <path of the checkout to compare with> is required');
const cases = opt('--cases', 'case118').split(',');
const rounds = Number(opt('--rounds', '15'));
const warm = Number(opt('--warm', '8'));
const lus = opt('--lu', 'klu,ts').split(',');
const loops = opt('--loops', 'cold,ts,n1').split(',');
const coldRepeats = Number(opt('--cold-repeats', '100'));
const n1Max = Number(opt('--n1-max', '500'));
const reps = Number(opt('--reps', '5'));
const dir = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
const opts = { tol: 1e-8, maxIt: 10 };

const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]): number => {
  const s = xs.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

function coldLoop(pf: PfModule, net: Network): number {
  const t = cpuMs();
  for (let k = 0; k < coldRepeats; k++) pf.solvePfAc(net, opts);
  return (cpuMs() - t) / coldRepeats;
}

function tsLoop(pf: PfModule, net: Network): number {
  const slice = cloneNetwork(net);
  const t = cpuMs();
  const ts = pf.prepareAcPf(slice);
  let start: SolveOptions['start'];
  const levels = 96;
  for (let k = 0; k < levels; k++) {
    const f = 1 + 0.05 * Math.sin((2 * Math.PI * k) / levels);
    for (let i = 0; i < net.bus.n; i++) {
      slice.bus.Pd[i] = net.bus.Pd[i] * f;
      slice.bus.Qd[i] = net.bus.Qd[i] * f;
    }
    const s = ts.solve(slice, { ...opts, start });
    if (!s.converged) throw new Error(`level ${k} did not converge`);
    start = { vm: s.bus.vm, vaDeg: s.bus.vaDeg };
  }
  return (cpuMs() - t) / levels;
}

function n1Loop(pf: PfModule, net: Network, outages: number[]): number {
  const t = cpuMs();
  const n1 = pf.prepareAcPf(net);
  for (const l of outages) n1.solve(branchOutageView(net, [l]), opts);
  return (cpuMs() - t) / outages.length;
}

/** The other checkout's pf-ac.ts, bundled into its bench-build.tmp/ and loaded (the bundle removed after). */
function otherSolver(root: string): PfModule {
  const dir = join(root, 'bench-build.tmp');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `pf-ac-other-${process.pid}.js`);
  buildSync({ entryPoints: [join(root, 'src', 'solvers', 'pf-ac.ts')], outfile, ...(BUNDLE_OPTIONS as BuildOptions) });
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(outfile) as PfModule;
  } finally {
    rmSync(outfile, { force: true });
    try {
      rmdirSync(dir); // when no other run is using it
    } catch {
      // another run's bundle is still there
    }
  }
}

async function main(): Promise<void> {
  const mine = (await import('../src/solvers/pf-ac')) as PfModule;
  const theirs = otherSolver(resolve(other));
  const sides: [string, PfModule][] = [
    ['this', mine],
    ['other', theirs],
  ];
  const load0 = loadavg();
  const lines: string[] = [];
  for (const name of cases) {
    const net = readCaseFile(join(dir, `${name}.m`));
    const outages = connectedOutages(net, n1Max);
    const run = (pf: PfModule, loop: string): number =>
      loop === 'cold' ? coldLoop(pf, net) : loop === 'ts' ? tsLoop(pf, net) : n1Loop(pf, net, outages);
    for (const lu of lus) {
      process.env.GRIDBATCH_LU = lu;
      for (const loop of loops) {
        for (let w = 0; w < warm; w++) for (const [, pf] of sides) run(pf, loop);
        const ms: Record<string, number[]> = { this: [], other: [] };
        const ratios: number[] = [];
        for (let r = 0; r < rounds; r++) {
          const order = r % 2 ? sides.slice().reverse() : sides;
          const t: Record<string, number> = {};
          for (const [side, pf] of order) {
            let sum = 0;
            for (let k = 0; k < reps; k++) sum += run(pf, loop);
            t[side] = sum / reps;
          }
          ms.this.push(t.this);
          ms.other.push(t.other);
          ratios.push(t.this / t.other);
        }
        const f = (x: number) => x.toFixed(4);
        const line =
          `${name} ${lu} ${loop}: median this ${f(median(ms.this))} / other ${f(median(ms.other))} ms, ` +
          `min ${f(Math.min(...ms.this))} / ${f(Math.min(...ms.other))} ms; this/other: median of rounds ` +
          `${median(ratios).toFixed(3)} (range ${Math.min(...ratios).toFixed(2)}-${Math.max(...ratios).toFixed(2)}), ` +
          `of minima ${(Math.min(...ms.this) / Math.min(...ms.other)).toFixed(3)}`;
        console.log(line);
        lines.push(line);
      }
    }
  }
  const la = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  console.log(
    `${rounds} alternating rounds, process CPU time; load average ${la(load0)} at start, ${la(loadavg())} at end`,
  );
}

void main();
