/**
 * Job networks as full clones (cloneNetwork, before src/scenarios/network-draft.ts) against
 * copy-on-write drafts, on a prepared AC solver, alternating in one process, process CPU time
 * per job, medians over loops:
 *   n1: per connected single-branch outage, the base with that branch out (branchOutageView);
 *   ts: per load level (96, all loads times 1 + 0.05 sin(2 pi k / 96)), the network a
 *       scenario with that loadScale gets from applyScenario, warm-started from the previous level.
 *
 *   npx tsx bench/network-draft-ab.ts [--cases case118,case1354pegase] [--loops 15] [--n1-max 500]
 */
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { prepareAcPf } from '../src/solvers/pf-ac';
import { branchOutageView } from '../src/scenarios/network-draft';
import { applyScenario } from '../src/scenarios';
import { plainScenario } from '../src/scenarios/plain-scenario';
import type { ResolvedScenario } from '../src/scenarios/types';
import type { SolveOptions } from '../src/solvers/solution';
import { connectedOutages } from './contingency-outages';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const dir = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const scenario = (loadScale: number): ResolvedScenario => plainScenario({ loadScale });

/** The time series loop: ms per level. */
function tsLoop(net: Network, draft: boolean): number {
  const opts = { tol: 1e-8, maxIt: 10 };
  const t = cpuMs();
  const ts = prepareAcPf(net);
  let start: SolveOptions['start'];
  const levels = 96;
  for (let k = 0; k < levels; k++) {
    const f = 1 + 0.05 * Math.sin((2 * Math.PI * k) / levels);
    let c: Network;
    if (draft) c = applyScenario(net, scenario(f), null);
    else {
      c = cloneNetwork(net);
      for (let i = 0; i < c.bus.n; i++) {
        c.bus.Pd[i] *= f;
        c.bus.Qd[i] *= f;
      }
    }
    const s = ts.solve(c, { ...opts, start });
    if (s.converged) start = { vm: s.bus.vm, vaDeg: s.bus.vaDeg };
  }
  return (cpuMs() - t) / levels;
}

function loop(net: Network, outages: number[], view: boolean): number {
  const opts = { tol: 1e-8, maxIt: 10 };
  const t = cpuMs();
  const n1 = prepareAcPf(net);
  for (const l of outages) {
    let c: Network;
    if (view) c = branchOutageView(net, [l]);
    else {
      c = cloneNetwork(net);
      c.branch.status[l] = 0;
    }
    n1.solve(c, opts);
  }
  return (cpuMs() - t) / outages.length;
}

const la = () =>
  loadavg()
    .map((x) => x.toFixed(1))
    .join(' ');
console.log(`load average ${la()}`);
for (const name of opt('--cases', 'case118,case1354pegase').split(',')) {
  const net = readCaseFile(join(dir, `${name}.m`));
  const outages = connectedOutages(net, Number(opt('--n1-max', '500')));
  const loops = Number(opt('--loops', '15'));
  const warm = net.bus.n > 1000 ? 2 : 8;
  const kinds: [string, (draft: boolean) => number][] = [
    ['N-1', (d) => loop(net, outages, d)],
    ['time series', (d) => tsLoop(net, d)],
  ];
  for (const [what, run] of kinds) {
    for (let w = 0; w < warm; w++) (run(w % 2 === 0), run(w % 2 === 1));
    const a: number[] = [],
      b: number[] = [];
    for (let k = 0; k < loops; k++) {
      if (k % 2) {
        b.push(run(true));
        a.push(run(false));
      } else {
        a.push(run(false));
        b.push(run(true));
      }
    }
    const x = median(a),
      y = median(b);
    const n = what === 'N-1' ? `${outages.length} outages` : '96 levels';
    console.log(
      `${name} ${what} (${n}), ms per job: clone ${x.toFixed(3)}, draft ${y.toFixed(3)} (${(y / x).toFixed(2)})`,
    );
  }
}
console.log(`load average ${la()}`);
