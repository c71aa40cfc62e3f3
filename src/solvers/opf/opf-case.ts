/**
 * The in-service part of a network as MATPOWER's ext2int leaves it for opf_setup:
 * buses of type != NONE, generators on at in-service buses, branches on between in-service
 * buses, each renumbered 0..n-1 in file order. Reference buses follow bustypes.ts.
 */
import { bustypes, elementStatus, Status } from '../bustypes';
import { GenCostRow, Network } from '../../grid/network';

export interface OpfCase {
  net: Network;
  baseMVA: number;
  nb: number;
  ng: number;
  nl: number;
  /** internal index -> row of the case file */
  busRow: Int32Array;
  genRow: Int32Array;
  branchRow: Int32Array;
  /** internal bus of each internal generator / branch end */
  genBus: Int32Array;
  f: Int32Array;
  t: Int32Array;
  /** internal reference buses */
  refs: number[];
  status: Status;
  /** gencost rows of the internal generators: active, and reactive when the case has 2*ng rows */
  pcost: GenCostRow[];
  qcost: GenCostRow[] | null;
  /** bus numbers left out (out of service) */
  offBuses: number[];
}

export type OpfCaseResult = { ok: true; c: OpfCase } | { ok: false; error: string; offBuses: number[] };

export function opfCase(net: Network): OpfCaseResult {
  const status = elementStatus(net);
  const bt = bustypes(net, status);
  const offBuses: number[] = [];
  const busInt = new Int32Array(net.bus.n).fill(-1);
  const busRow: number[] = [];
  for (let i = 0; i < net.bus.n; i++) {
    if (status.busOn[i]) {
      busInt[i] = busRow.length;
      busRow.push(i);
    } else offBuses.push(net.bus.busI[i]);
  }
  const genRow: number[] = [];
  for (let g = 0; g < net.gen.n; g++) if (status.genOn[g]) genRow.push(g);
  const branchRow: number[] = [];
  for (let l = 0; l < net.branch.n; l++) if (status.branchOn[l]) branchRow.push(l);
  if (busRow.length === 0) return { ok: false, error: 'no bus in service', offBuses };
  if (genRow.length === 0) return { ok: false, error: 'no generator in service', offBuses };
  if (bt.ref.length === 0)
    return { ok: false, error: 'no reference bus: no REF or PV bus has an in-service generator', offBuses };
  const ngAll = net.gen.n;
  const gc = net.gencost;
  if (gc.length !== ngAll && gc.length !== 2 * ngAll) {
    return {
      ok: false,
      error: `OPF needs generator costs: gencost has ${gc.length} rows for ${ngAll} generators`,
      offBuses,
    };
  }
  return {
    ok: true,
    c: {
      net,
      baseMVA: net.baseMVA,
      nb: busRow.length,
      ng: genRow.length,
      nl: branchRow.length,
      busRow: Int32Array.from(busRow),
      genRow: Int32Array.from(genRow),
      branchRow: Int32Array.from(branchRow),
      genBus: Int32Array.from(genRow, (g) => busInt[status.genBus[g]]),
      f: Int32Array.from(branchRow, (l) => busInt[status.f[l]]),
      t: Int32Array.from(branchRow, (l) => busInt[status.t[l]]),
      refs: bt.ref.map((r) => busInt[r]),
      status,
      pcost: genRow.map((g) => gc[g]),
      qcost: gc.length === 2 * ngAll ? genRow.map((g) => gc[ngAll + g]) : null,
      offBuses,
    },
  };
}

/** col[rows[k]] for every k: a column of the case restricted to in-service rows. */
export function pick(col: Float64Array, rows: Int32Array): Float64Array {
  const out = new Float64Array(rows.length);
  for (let k = 0; k < rows.length; k++) out[k] = col[rows[k]];
  return out;
}
