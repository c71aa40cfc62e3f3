/**
 * Draft -> ResolvedScenario: defaults filled in (a scenario's value replaces the default; tags and
 * metadata replaced whole, as in GAT), outage and generator ids checked against the grid and made
 * canonical, islanding detected (memoised per outage set), content hash computed.
 */
import { SpecContext } from './context';
import { Draft } from './draft';
import { resolveElementId } from './grid-ids';
import { scenarioHash } from './hash';
import { describeCutOff } from './islands';
import { ScenarioFields } from './schema';
import { KeyPath } from './source';
import { DispatchOverride, Outage, ResolvedScenario } from './types';

interface ResolvedFields {
  outages: Outage[];
  overrides: DispatchOverride[];
}

export class Resolver {
  private readonly fieldCache = new WeakMap<object, ResolvedFields>();
  private readonly islandMemo = new Map<string, string | undefined>();
  private islanded = 0;
  private islandExample?: string;
  private renewableUsed = false;
  private costUsed = false;

  constructor(private readonly ctx: SpecContext) {}

  resolve(d: Draft): ResolvedScenario {
    const ctx = this.ctx;
    const f = d.fields;
    const rf = this.fields(f, d.entryPath);
    let outages = rf.outages;
    if (d.extraOutages?.length) {
      const have = new Set(outages.map(key));
      outages = [...outages, ...d.extraOutages.filter((o) => !have.has(key(o)))];
    }
    for (const o of rf.overrides) {
      if (o.must_run && outages.some((x) => x.type === 'gen' && x.id === o.resource_id)) {
        throw ctx.error(
          d.entryPath,
          `${d.label}: gen ${o.resource_id} is both out of service (outages) and must_run (dispatch_overrides)`,
        );
      }
    }
    const renewableScale = d.renewableScale ?? f.renewable_scale ?? ctx.renewableScale;
    if (renewableScale !== 1) this.renewableUsed = true;
    if (rf.overrides.some((o) => o.cost_multiplier !== undefined)) this.costUsed = true;
    let metadata = f.metadata ?? ctx.metadata;
    if (d.generatorInfo && !('generator' in metadata)) metadata = { ...metadata, generator: d.generatorInfo };
    const s: ResolvedScenario = {
      scenarioId: d.id,
      description: d.description ?? f.description ?? '',
      tags: f.tags ?? ctx.tags,
      outages,
      loadScale: d.loadScale ?? f.load_scale ?? ctx.loadScale,
      renewableScale,
      dispatchOverrides: rf.overrides,
      ...(d.loadFactors ? { loadFactors: d.loadFactors } : {}),
      ...(d.mlPerturbation ?? {}),
      timeSlices: d.slices,
      weight: f.weight ?? ctx.weight,
      metadata,
      hash: '',
    };
    s.hash = scenarioHash(s);
    const islanding = this.islanding(outages);
    if (islanding) {
      s.islanding = islanding;
      if (this.islanded++ === 0) this.islandExample = `${d.id}: ${islanding}`;
    }
    return s;
  }

  /** Warnings about the whole study, once all scenarios are resolved. */
  finish(total: number): void {
    const { ctx } = this;
    if (this.islanded) {
      const what =
        ctx.spec.islands === 'fail'
          ? 'their jobs will fail (islands: fail)'
          : `their islands without a reference bus are de-energized and the load they carry is reported as lost (islands: ${ctx.spec.islands})`;
      ctx.warnings.push(
        `${this.islanded} of ${total} scenario(s) split the network; ${what} (e.g. ${this.islandExample})`,
      );
    }
    if (this.renewableUsed) {
      const fuel = ctx.net.genFuel;
      if (!fuel)
        ctx.warnings.push(
          "renewable_scale is not 1 but the case has no genfuel: it scales Pg and Pmax of every generator (GAT's behaviour)",
        );
      else if (!fuel.some(isRenewableFuel))
        ctx.warnings.push(
          'renewable_scale is not 1 but no generator has a wind/solar/pv/renewable genfuel: it has no effect',
        );
    }
    if (this.costUsed && ctx.net.gencost.length === 0)
      ctx.warnings.push('cost_multiplier is given but the case has no gencost: it has no effect');
  }

  private islanding(outages: Outage[]): string | undefined {
    // gen outages never change the topology: key on branch and bus outages only
    const k = outages
      .filter((o) => o.type !== 'gen')
      .map(key)
      .sort()
      .join(',');
    if (this.islandMemo.has(k)) return this.islandMemo.get(k);
    const net = this.ctx.net;
    const branches = new Set<number>();
    const buses = new Set<number>();
    for (const o of outages) {
      if (o.type === 'branch') branches.add(Number(o.id) - 1);
      else if (o.type === 'bus') buses.add(net.busIndex.get(Number(o.id)) as number);
    }
    const r = this.ctx.islands.check(branches, buses);
    const msg = r.ok
      ? undefined
      : `${k ? 'the outages split the network' : 'the base network is already split'}: ${describeCutOff(r.cutOff)}`;
    this.islandMemo.set(k, msg);
    return msg;
  }

  private fields(f: ScenarioFields, path: KeyPath): ResolvedFields {
    const cached = this.fieldCache.get(f);
    if (cached) return cached;
    const ctx = this.ctx;
    const net = ctx.net;
    const outages: Outage[] = [];
    const seen = new Map<string, number>();
    (f.outages ?? []).forEach((o, j) => {
      const r = resolveElementId(net, o.type, o.id);
      if (!r.ok) throw ctx.error([...path, 'outages', j, 'id'], `unknown outage id: ${r.reason}`);
      const out: Outage = { type: o.type, id: r.id };
      const prev = seen.get(key(out));
      if (prev !== undefined)
        throw ctx.error([...path, 'outages', j], `${o.type} ${r.id} is already listed at outages[${prev}]`);
      seen.set(key(out), j);
      outages.push(out);
    });
    const overrides: DispatchOverride[] = [];
    const seenGen = new Map<string, number>();
    (f.dispatch_overrides ?? []).forEach((o, j) => {
      const p: KeyPath = [...path, 'dispatch_overrides', j];
      const r = resolveElementId(net, 'gen', o.resource_id);
      if (!r.ok) throw ctx.error([...p, 'resource_id'], `unknown resource_id: ${r.reason}`);
      const prev = seenGen.get(r.id);
      if (prev !== undefined)
        throw ctx.error(
          [...p, 'resource_id'],
          `gen ${r.id} already has an override at dispatch_overrides[${prev}]; merge them`,
        );
      seenGen.set(r.id, j);
      const pmax = o.p_max_mw ?? net.gen.Pmax[r.row];
      const pmin = o.p_min_mw ?? net.gen.Pmin[r.row];
      if (pmin > pmax) {
        throw ctx.error(
          p,
          `gen ${r.id}: p_min_mw ${pmin} would exceed p_max_mw ${pmax}${o.p_max_mw == null ? ' (the case value)' : ''}`,
        );
      }
      const d: DispatchOverride = { resource_id: r.id };
      if (o.p_max_mw != null) d.p_max_mw = o.p_max_mw;
      if (o.p_min_mw != null) d.p_min_mw = o.p_min_mw;
      if (o.must_run != null) d.must_run = o.must_run;
      if (o.cost_multiplier != null) d.cost_multiplier = o.cost_multiplier;
      overrides.push(d);
    });
    const rf = { outages, overrides };
    this.fieldCache.set(f, rf);
    return rf;
  }
}

function key(o: Outage): string {
  return `${o.type}:${o.id}`;
}

/** Fuel names that renewable_scale applies to (case-insensitive). */
export function isRenewableFuel(fuel: string): boolean {
  return /(^|[^a-z])(wind|solar|pv|renewable)/i.test(fuel);
}
