/**
 * An N-1 loop on a prepared AC solver with each job's network a full clone (cloneNetwork, the
 * path before src/scenarios/network-draft.ts) against a view of the base with one branch out,
 * alternating in one process, process CPU time per outage, medians over loops.
 *
 *   npx tsx bench/outage-view-ab.ts [--cases case118,case1354pegase] [--loops 15] [--n1-max 500]
 */
import { join, resolve } from 'node:path';
import { loadavg } from 'node:os';
import { readCaseFile } from '../src/grid/matpower-case';
import { cloneNetwork, Network } from '../src/grid/network';
import { prepareAcPf } from '../src/solvers/pf-ac';
import { branchOutageView } from '../src/scenarios/network-draft';
import { connectedOutages } from './contingency-outages';

const argv = process.argv.slice(2);
const opt = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
const dir = resolve(__dirname, '..', 'tests', 'fixtures', 'cases');
const median = (xs: number[]) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

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
  for (let w = 0; w < warm; w++) (loop(net, outages, w % 2 === 0), loop(net, outages, w % 2 === 1));
  const a: number[] = [],
    b: number[] = [];
  for (let k = 0; k < loops; k++) {
    if (k % 2) {
      b.push(loop(net, outages, true));
      a.push(loop(net, outages, false));
    } else {
      a.push(loop(net, outages, false));
      b.push(loop(net, outages, true));
    }
  }
  const x = median(a),
    y = median(b);
  console.log(
    `${name}: ${outages.length} outages, ms per outage: clone ${x.toFixed(3)}, view ${y.toFixed(3)} (${(y / x).toFixed(2)})`,
  );
}
console.log(`load average ${la()}`);
