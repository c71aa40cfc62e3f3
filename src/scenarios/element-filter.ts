/**
 * The elements an outage generator (n_minus_1, n_minus_k, random_outages) may take out: in-service
 * branches and/or generators of the base grid that pass the generator's filter.
 *
 * filter (all given conditions must hold):
 * - ids: explicit rows ("branch:3", "Branch 9-14", "gen:2"; a bare number when elements lists one type);
 * - buses: a branch with either end, a generator at one of these bus numbers;
 * - base_kv: a branch with either end, a generator at a bus of one of these voltage levels (kV);
 * - areas: likewise for bus areas;
 * - min_rate_a: branches rated at least this (MVA; rateA 0 = unlimited passes).
 */
import { BranchTable } from '../grid/network';
import { SpecContext } from './context';
import { resolveElementId } from './grid-ids';
import { ElementFilterEntry } from './schema';
import { KeyPath } from './source';

export type ElementType = 'branch' | 'gen';

export interface Candidate {
  type: ElementType;
  /** 0-based row of mpc.branch / mpc.gen */
  row: number;
  /** bus numbers at its ends (a generator: its bus twice) */
  from: number;
  to: number;
}

export interface FilteredElements {
  candidates: Candidate[];
  /** elements that passed the filter but are out of service in the base case */
  skippedOff: number;
}

export function filterElements(
  ctx: SpecContext,
  elements: ElementType[],
  filter: ElementFilterEntry | null | undefined,
  path: KeyPath,
): FilteredElements {
  const net = ctx.net;
  const f = filter ?? {};
  const idSets = explicitIds(ctx, elements, f, path);
  const buses = f.buses ? new Set(f.buses) : undefined;
  f.buses?.forEach((b, k) => {
    if (!net.busIndex.has(b)) throw ctx.error([...path, 'filter', 'buses', k], `bus ${b} is not in the grid`);
  });
  const kv = f.base_kv ? new Set(f.base_kv) : undefined;
  const areas = f.areas ? new Set(f.areas) : undefined;
  const at = (bus: number, set: Set<number>, col: Float64Array) => set.has(col[net.busIndex.get(bus) as number]);
  const busOk = (b: number) =>
    (!buses || buses.has(b)) && (!kv || at(b, kv, net.bus.baseKV)) && (!areas || at(b, areas, net.bus.area));
  const candidates: Candidate[] = [];
  let skippedOff = 0;
  for (const type of elements) {
    const rows = idSets.get(type);
    const n = type === 'branch' ? net.branch.n : net.gen.n;
    for (let r = 0; r < n; r++) {
      if (rows && !rows.has(r)) continue;
      if (type === 'branch') {
        const from = net.branch.fbus[r],
          to = net.branch.tbus[r];
        if (!endsPass(from, to, buses, kv, areas, (b, s, col) => at(b, s, col), net.bus.baseKV, net.bus.area)) continue;
        if (f.min_rate_a != null && !(rateA(net.branch, r) >= f.min_rate_a)) continue;
        if (net.branch.status[r] === 0) {
          skippedOff++;
          continue;
        }
        candidates.push({ type, row: r, from, to });
      } else {
        const bus = net.gen.bus[r];
        if (!busOk(bus)) continue;
        if (net.gen.status[r] === 0) {
          skippedOff++;
          continue;
        }
        candidates.push({ type, row: r, from: bus, to: bus });
      }
    }
  }
  return { candidates, skippedOff };
}

/** Each condition holds at one end or the other (a branch "at" a bus set touches it). */
function endsPass(
  from: number,
  to: number,
  buses: Set<number> | undefined,
  kv: Set<number> | undefined,
  areas: Set<number> | undefined,
  at: (b: number, s: Set<number>, col: Float64Array) => boolean,
  baseKV: Float64Array,
  area: Float64Array,
): boolean {
  if (buses && !buses.has(from) && !buses.has(to)) return false;
  if (kv && !at(from, kv, baseKV) && !at(to, kv, baseKV)) return false;
  if (areas && !at(from, areas, area) && !at(to, areas, area)) return false;
  return true;
}

function explicitIds(
  ctx: SpecContext,
  elements: ElementType[],
  f: ElementFilterEntry,
  path: KeyPath,
): Map<ElementType, Set<number>> {
  const idSets = new Map<ElementType, Set<number>>();
  if (!f.ids) return idSets;
  for (const type of elements) {
    const rows = new Set<number>();
    f.ids.forEach((raw, k) => {
      const s = String(raw).trim();
      const prefixed = /^(branch|gen|bus):/i.exec(s);
      const pairName = /[-_ ]/.test(s);
      if (prefixed?.[1].toLowerCase() === 'bus')
        throw ctx.error([...path, 'filter', 'ids', k], 'filter ids name branches or gens; use filter.buses for buses');
      if (!prefixed && !pairName && elements.length > 1) {
        throw ctx.error(
          [...path, 'filter', 'ids', k],
          `'${s}' could be a branch or a gen row: write "branch:${s}" or "gen:${s}" when elements lists both`,
        );
      }
      const idType = prefixed ? prefixed[1].toLowerCase() : pairName ? 'branch' : type;
      if (idType !== type) return;
      const r = resolveElementId(ctx.net, type, raw);
      if (!r.ok) throw ctx.error([...path, 'filter', 'ids', k], r.reason);
      rows.add(r.row);
    });
    idSets.set(type, rows);
  }
  return idSets;
}

/** rateA, with 0 meaning unlimited (MATPOWER). */
function rateA(br: BranchTable, r: number): number {
  return br.rateA[r] === 0 ? Infinity : br.rateA[r];
}

/** "branch 14 (7-8)" / "gen 3 (bus 2)" */
export function describeElement(c: Candidate): string {
  return c.type === 'branch' ? `branch ${c.row + 1} (${c.from}-${c.to})` : `gen ${c.row + 1} (bus ${c.from})`;
}
