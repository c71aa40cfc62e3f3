/**
 * The OPFData layout exactly as DeepMind released it (arXiv 2406.07234) and PyTorch Geometric's
 * OPFDataset reads it: one JSON per sample,
 *
 *   grid.nodes     bus [base_kv, bus_type, vmin, vmax], generator [mbase, pg, pmin, pmax, qg, qmin,
 *                  qmax, vg, c2, c1, c0], load [pd, qd], shunt [bs, gs]
 *   grid.edges     ac_line {senders, receivers, features [angmin, angmax, b_fr, b_to, br_r, br_x,
 *                  rate_a, rate_b, rate_c]}, transformer {.. [angmin, angmax, br_r, br_x, rate_a,
 *                  rate_b, rate_c, tap, shift, b_fr, b_to]}, generator_link / load_link /
 *                  shunt_link {senders: element, receivers: bus}
 *   grid.context   [[[baseMVA]]]
 *   solution       nodes bus [va, vm], generator [pg, qg]; edges ac_line / transformer [pt, qt, pf, qf]
 *   metadata       objective ($/h; for pf_ac the cost of the solved dispatch), plus gridbatch's keys
 *
 * per unit on baseMVA, angles in radians, costs with P in p.u. (PowerModels' convention), in
 * OPFData's release layout under root = <out>/features/opfdata-json:
 *   dataset_release_1/<case>/raw/<case>_<g>.tar.gz                      the group archives
 *   dataset_release_1/<case>/raw/gridopt-dataset-tmp/dataset_release_1/<case>/group_<g>/example_<i>.json
 * so `OPFDataset(root, case_name=<case>, num_groups=G)` finds its raw files and never downloads.
 * OPFDataset splits by the number i in the file name (first 90% of 15,000 x G train, next 5%
 * val, last 5% test): each split's samples are numbered inside its own range, so PyG's split is
 * ours (splits.ts).
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic';
import { elementStatus } from '../solvers/bustypes';
import { Network } from '../grid/network';
import { cellNum } from '../io/read-results';
import { isTransformer, quadraticCost, tapRatio } from './network-features';
import { generationCost } from '../solvers/gencost';
import { JobGraph } from './job-graph';
import { Split } from './splits';
import { TarGzWriter } from './tar-gz';

export const OPFDATA_RELEASE = 'dataset_release_1';
export const OPFDATA_GROUP_SIZE = 15_000;

/** PyG's OPFDataset: index ranges of each split for G groups. */
export function splitRanges(groups: number): Record<Split, [number, number]> {
  const train = Math.floor(OPFDATA_GROUP_SIZE * groups * 0.9);
  const val = train + Math.floor(OPFDATA_GROUP_SIZE * groups * 0.05);
  return { train: [0, train], validation: [train, val], test: [val, OPFDATA_GROUP_SIZE * groups] };
}

/** Fewest groups whose split ranges hold the given number of samples per split. */
export function groupsFor(counts: Record<Split, number>): number {
  let g = 1;
  const fits = (n: number) => {
    const r = splitRanges(n);
    return (['train', 'validation', 'test'] as Split[]).every((s) => counts[s] <= r[s][1] - r[s][0]);
  };
  while (!fits(g)) g++;
  return g;
}

const RAD = Math.PI / 180;
/** A JSON number that reads back as a float (1.0, not 1): torch.tensor then makes float tensors. */
const f = (v: number): string => (Number.isInteger(v) ? v.toFixed(1) : Number.isFinite(v) ? String(v) : 'null');
const rows = (r: number[][]): string => `[${r.map((x) => `[${x.map(f).join(',')}]`).join(',')}]`;
const ints = (v: number[]): string => `[${v.join(',')}]`;
const edges = (s: number[], r: number[], feats?: number[][]): string =>
  `{"senders":${ints(s)},"receivers":${ints(r)}${feats ? `,"features":${rows(feats)}` : ''}}`;

/** The OPFData JSON of one complete AC sample (see samples.ts: isCompleteAcSample). */
export function opfDataJson(j: JobGraph, meta: Record<string, string | number | null>): string {
  const net: Network = j.net,
    base = net.baseMVA,
    b = net.bus,
    st = elementStatus(net);
  const bus: number[][] = [],
    busY: number[][] = [],
    load: number[][] = [],
    shunt: number[][] = [];
  const loadLink: [number[], number[]] = [[], []],
    shuntLink: [number[], number[]] = [[], []];
  for (let i = 0; i < b.n; i++) {
    const r = j.bus.get(b.busI[i]);
    bus.push([b.baseKV[i], b.type[i], b.Vmin[i], b.Vmax[i]]);
    busY.push([(cellNum(r, 'va_deg') as number) * RAD, cellNum(r, 'vm_pu') as number]);
    if (b.Pd[i] !== 0 || b.Qd[i] !== 0) {
      loadLink[0].push(load.length);
      loadLink[1].push(i);
      load.push([b.Pd[i] / base, b.Qd[i] / base]);
    }
    if (b.Gs[i] !== 0 || b.Bs[i] !== 0) {
      shuntLink[0].push(shunt.length);
      shuntLink[1].push(i);
      shunt.push([b.Bs[i] / base, b.Gs[i] / base]);
    }
  }
  const g = net.gen,
    gen: number[][] = [],
    genY: number[][] = [],
    genLink: [number[], number[]] = [[], []];
  const pgMw: (number | null)[] = [];
  for (let k = 0; k < g.n; k++) {
    const r = j.gen.get(k + 1);
    pgMw.push(cellNum(r, 'pg_mw'));
    if (!st.genOn[k]) continue;
    const [c2, c1, c0] = quadraticCost(net.gencost[k]);
    genLink[0].push(gen.length);
    genLink[1].push(st.genBus[k]);
    gen.push([
      g.mBase[k],
      g.Pg[k] / base,
      g.Pmin[k] / base,
      g.Pmax[k] / base,
      g.Qg[k] / base,
      g.Qmin[k] / base,
      g.Qmax[k] / base,
      g.Vg[k],
      c2 * base * base,
      c1 * base,
      c0,
    ]);
    genY.push([(cellNum(r, 'pg_mw') as number) / base, (cellNum(r, 'qg_mvar') as number) / base]);
  }
  const br = net.branch;
  const line = { s: [] as number[], r: [] as number[], x: [] as number[][], y: [] as number[][] };
  const trafo = { s: [] as number[], r: [] as number[], x: [] as number[][], y: [] as number[][] };
  for (let l = 0; l < br.n; l++) {
    if (!st.branchOn[l]) continue;
    const r = j.branch.get(l + 1);
    const y = ['pt_mw', 'qt_mvar', 'pf_mw', 'qf_mvar'].map((c) => (cellNum(r, c) as number) / base);
    const [amin, amax, half] = [br.angmin[l] * RAD, br.angmax[l] * RAD, br.b[l] / 2];
    const [ra, rb, rc] = [br.rateA[l] / base, br.rateB[l] / base, br.rateC[l] / base];
    const e = isTransformer(net, l) ? trafo : line;
    e.s.push(st.f[l]);
    e.r.push(st.t[l]);
    e.y.push(y);
    e.x.push(
      e === trafo
        ? [amin, amax, br.r[l], br.x[l], ra, rb, rc, tapRatio(net, l), br.angle[l] * RAD, half, half]
        : [amin, amax, half, half, br.r[l], br.x[l], ra, rb, rc],
    );
  }
  const objective = j.objective ?? generationCost(net, pgMw);
  const nodes = `{"bus":${rows(bus)},"generator":${rows(gen)},"load":${rows(load)},"shunt":${rows(shunt)}}`;
  const gridEdges =
    `{"ac_line":${edges(line.s, line.r, line.x)},"transformer":${edges(trafo.s, trafo.r, trafo.x)},` +
    `"generator_link":${edges(genLink[0], genLink[1])},"load_link":${edges(loadLink[0], loadLink[1])},"shunt_link":${edges(shuntLink[0], shuntLink[1])}}`;
  const solution = `{"nodes":{"bus":${rows(busY)},"generator":${rows(genY)}},"edges":{"ac_line":${edges(line.s, line.r, line.y)},"transformer":${edges(trafo.s, trafo.r, trafo.y)}}}`;
  const extra = Object.entries(meta)
    .map(([k, v]) => `,${JSON.stringify(k)}:${JSON.stringify(v)}`)
    .join('');
  const metadata = `{"objective":${f(objective)}${extra}}`;
  return `{"grid":{"nodes":${nodes},"edges":${gridEdges},"context":[[[${f(base)}]]]},"solution":${solution},"metadata":${metadata}}`;
}

export class OpfDataJsonWriter {
  private readonly next: Record<Split, number>;
  private readonly archives: TarGzWriter[] = [];
  readonly counts: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  readonly rawDir: string;

  /** `capacity`: at most this many samples per split (sets the number of groups). */
  constructor(
    readonly root: string,
    readonly caseName: string,
    capacity: Record<Split, number>,
  ) {
    rmSync(root, { recursive: true, force: true }); // a rerun rewrites the release (and drops PyG's processed files)
    this.groups = groupsFor(capacity);
    const r = splitRanges(this.groups);
    this.next = { train: r.train[0], validation: r.validation[0], test: r.test[0] };
    this.rawDir = join(root, OPFDATA_RELEASE, caseName, 'raw');
    for (let g = 0; g < this.groups; g++) {
      mkdirSync(this.groupDir(g), { recursive: true });
      this.archives.push(new TarGzWriter(join(this.rawDir, `${caseName}_${g}.tar.gz`)));
    }
  }

  readonly groups: number;

  private entry(g: number): string {
    return `gridopt-dataset-tmp/${OPFDATA_RELEASE}/${this.caseName}/group_${g}`;
  }

  groupDir(g: number): string {
    return join(this.rawDir, this.entry(g));
  }

  /** Writes one sample; returns its example number (the i of example_<i>.json). */
  add(j: JobGraph, meta: Record<string, string | number | null>): number {
    const i = this.next[j.split]++;
    this.counts[j.split]++;
    const g = Math.floor(i / OPFDATA_GROUP_SIZE);
    const json = opfDataJson(j, { ...meta, example: i });
    writeFileAtomic(join(this.groupDir(g), `example_${i}.json`), json);
    this.archives[g].add(`${this.entry(g)}/example_${i}.json`, json);
    return i;
  }

  close(): void {
    for (const a of this.archives) a.close();
  }
}
