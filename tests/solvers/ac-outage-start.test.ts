/**
 * The DC-moved start of an outage (ac-outage-start.ts) reads h = (Bf theta)_k from Bf's row
 * pairs instead of forming the whole LODF column: its angles equal, bit for bit, the base
 * solution's plus the LODF column's theta (makeLODF.ts lodfColumn) times P_k, on every
 * outage of case118 and case1354pegase; bridges give no start.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork } from '../../src/grid/network';
import { elementStatus } from '../../src/solvers/bustypes';
import { ybusAssembly } from '../../src/solvers/ybus-assembly';
import { solvePfAc } from '../../src/solvers/pf-ac';
import { prepareDcPf } from '../../src/solvers/pf-dc';
import { ptdfWorkspace } from '../../src/solvers/makePTDF';
import { bridges, lodfColumn } from '../../src/solvers/makeLODF';
import { OutageStarts } from '../../src/solvers/ac-outage-start';
import { casePath } from '../helpers/cases';

describe.each(['case118', 'case1354pegase'])('%s', (name) => {
  it('moves the base angles by the LODF theta times P_k, bit for bit', () => {
    const net = readCaseFile(casePath(name));
    const sol = solvePfAc(net);
    const base = { vm: sol.bus.vm, vaDeg: sol.bus.vaDeg };
    const st = elementStatus(net);
    const adm = ybusAssembly(net, st).adm;
    const dc = prepareDcPf(cloneNetwork(net));
    if (!dc.ok) throw new Error('no DC model');
    const ws = ptdfWorkspace(dc.model, net.bus.n);
    const br = bridges(net.bus.n, st.f, st.t, st.branchOn);
    const theta = new Float64Array(net.bus.n),
      column = new Float64Array(net.branch.n);
    const starts = new OutageStarts(net.branch.status.slice());
    let compared = 0;
    for (let k = 0; k < net.branch.n; k++) {
      if (!st.branchOn[k]) continue;
      const on = st.branchOn.slice();
      on[k] = 0;
      const got = starts.startFor(net, on, base, adm);
      if (br[k]) {
        expect(got).toBeNull();
        continue;
      }
      const { h } = lodfColumn(ws, k, false, theta, column);
      if (!(Math.abs(1 - h) > 1e-8)) {
        expect(got).toBeNull();
        continue;
      }
      if (!got) throw new Error(`no start for branch row ${k + 1}`);
      // P_k = Re(V_f conj(I_f)) of the base solution, in degrees per p.u. as startFor uses it
      const f = st.f[k];
      const d = Math.PI / 180;
      const [vf, af, vt, at] = [base.vm[f], base.vaDeg[f] * d, base.vm[st.t[k]], base.vaDeg[st.t[k]] * d];
      const [vfr, vfi, vtr, vti] = [vf * Math.cos(af), vf * Math.sin(af), vt * Math.cos(at), vt * Math.sin(at)];
      const ifr = adm.Yff.re[k] * vfr - adm.Yff.im[k] * vfi + adm.Yft.re[k] * vtr - adm.Yft.im[k] * vti;
      const ifi = adm.Yff.re[k] * vfi + adm.Yff.im[k] * vfr + adm.Yft.re[k] * vti + adm.Yft.im[k] * vtr;
      const s = ((vfr * ifr + vfi * ifi) * 180) / Math.PI;
      for (let i = 0; i < net.bus.n; i++) {
        const want = base.vaDeg[i] + theta[i] * s;
        if (!Object.is(got.vaDeg[i], want)) throw new Error(`branch ${k + 1} bus ${i}: ${got.vaDeg[i]} vs ${want}`);
      }
      expect(got.vm).toBe(base.vm);
      compared++;
    }
    expect(compared).toBeGreaterThan(100);
  });
});
