import { solveOpfAc } from '/work/main/src/solvers/opf';
import { cloneNetwork } from '/work/main/src/solvers/network';
import { readCaseFile } from '/work/main/src/solvers/matpower-case';
const base = readCaseFile('/work/shared/cases/pglib_opf_case14_ieee.m');
for (const f of [1.0, 1.1, 1.2, 1.3, 1.6, 3]) {
  const net = cloneNetwork(base);
  for (let i = 0; i < net.bus.n; i++) { net.bus.Pd[i] *= f; net.bus.Qd[i] *= f; }
  const s = solveOpfAc(net);
  let pmax = 0, pd = 0; for (let g = 0; g < net.gen.n; g++) if (net.gen.status[g] > 0) pmax += net.gen.Pmax[g]; for (let i = 0; i < net.bus.n; i++) pd += net.bus.Pd[i];
  console.log(f, s.converged, s.error, 'Pd', pd.toFixed(0), 'Pmax', pmax);
}
