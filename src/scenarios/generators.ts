/**
 * Generators: lists of scenarios described by a rule instead of one by one.
 * - n_minus_1: one scenario per in-service branch and/or generator (filtered), that element out;
 * - load_perturbation: PGLearn-style samples, loadScale = global factor ~ U[lo, hi] and one
 *   factor per load ~ U[1 - noise, 1 + noise] (loads = buses with Pd or Qd not 0), seeded;
 * - cartesian: every combination of the given load_scale / renewable_scale values;
 * - n_minus_k, random_outages: every k-set of filtered elements, or seeded random k-sets (n-minus-k.ts).
 * Ids come from `id_template` (see template.ts) or a default per type.
 */
import { SpecContext } from './context';
import { Draft } from './draft';
import { describeElement, filterElements } from './element-filter';
import { base, idPath, templates } from './generator-parts';
import { nMinusK, randomOutages } from './n-minus-k';
import { mulberry32, sampleSeed, uniform } from './prng';
import { CartesianEntry, GeneratorEntry, LoadPerturbationEntry, NMinus1Entry } from './schema';
import { drawMlPerturbation } from './ml-perturbations';
import { KeyPath } from './source';
import { TemplateVars } from './template';

/** Most per-load factors one load_perturbation generator may hold in memory (about 8 bytes each, plus the manifest text). */
export const MAX_LOAD_FACTORS = 50_000_000;

export function expandGenerator(ctx: SpecContext, g: GeneratorEntry, gi: number, out: Draft[]): void {
  const path: KeyPath = ['generators', gi];
  switch (g.type) {
    case 'n_minus_1':
      return nMinus1(ctx, g, path, out);
    case 'load_perturbation':
      return perturbation(ctx, g, path, out);
    case 'cartesian':
      return cartesian(ctx, g, path, out);
    case 'n_minus_k':
      return nMinusK(ctx, g, path, out);
    case 'random_outages':
      return randomOutages(ctx, g, path, out);
  }
}

function nMinus1(ctx: SpecContext, g: NMinus1Entry, path: KeyPath, out: Draft[]): void {
  const slices = ctx.slicesFor(g, path);
  const { candidates, skippedOff } = filterElements(ctx, g.elements, g.filter, path);
  const t = templates(ctx, g, path, `${g.name ? '{name}_' : 'n-1_'}{type}_{id}`, ['type', 'id', 'from', 'to', 'bus']);
  let skippedIsland = 0,
    index = 0;
  const start = out.length;
  for (const c of candidates) {
    const { type, row: r, from, to } = c;
    if (type === 'branch' && g.exclude_islanding && !ctx.islands.check(new Set([r]), new Set()).ok) {
      skippedIsland++;
      continue;
    }
    const vars: TemplateVars = { name: g.name ?? 'n_minus_1', index, type, id: r + 1, from, to, bus: from };
    const what = describeElement(c);
    out.push({
      ...base(g, path, slices),
      id: t.id(vars),
      idPath: idPath(g, path),
      label: `generators[${path[1]}] (n_minus_1, ${what})`,
      extraOutages: [{ type, id: String(r + 1) }],
      description: t.desc ? t.desc(vars) : `N-1: ${what} out of service`,
      generatorInfo: { type: 'n_minus_1', index, element: type, row: r + 1 },
    });
    index++;
  }
  ctx.addJobs(out.length - start, slices.length, path);
  const name = `generators[${path[1]}] (n_minus_1${g.name ? ` '${g.name}'` : ''})`;
  if (skippedOff)
    ctx.warnings.push(`${name}: skipped ${skippedOff} element(s) already out of service in the base case`);
  if (skippedIsland)
    ctx.warnings.push(`${name}: skipped ${skippedIsland} branch outage(s) that island the network (exclude_islanding)`);
  if (out.length === start) ctx.warnings.push(`${name}: produced no scenarios (check elements and filter)`);
}

function perturbation(ctx: SpecContext, g: LoadPerturbationEntry, path: KeyPath, out: Draft[]): void {
  const slices = ctx.slicesFor(g, path);
  if (g.load_scale != null)
    throw ctx.error(
      [...path, 'load_scale'],
      'load_perturbation sets load_scale itself (the global factor); remove load_scale here',
    );
  ctx.addJobs(g.samples, slices.length, [...path, 'samples']);
  const net = ctx.net;
  const loadBuses: string[] = [];
  for (let i = 0; i < net.bus.n; i++)
    if (net.bus.Pd[i] !== 0 || net.bus.Qd[i] !== 0) loadBuses.push(String(net.bus.busI[i]));
  if (g.samples * loadBuses.length > MAX_LOAD_FACTORS) {
    throw ctx.error(
      [...path, 'samples'],
      `${g.samples} samples x ${loadBuses.length} loads = ${g.samples * loadBuses.length} load factors, over the limit of ${MAX_LOAD_FACTORS.toLocaleString('en-US')} (memory): split the study or draw fewer samples`,
    );
  }
  if (loadBuses.length === 0)
    ctx.warnings.push(
      `generators[${path[1]}] (load_perturbation): the grid has no loads; only the global factor varies`,
    );
  const width = Math.max(1, String(g.samples - 1).length);
  const t = templates(ctx, g, path, `${g.name ? '{name}' : 'sample'}_{index|zfill:${width}}`, ['seed', 'load_scale']);
  const [lo, hi] = g.global_range;
  const noise = g.local_noise ?? 0;
  const shared = base(g, path, slices);
  const ip = idPath(g, path);
  for (let k = 0; k < g.samples; k++) {
    const rng = mulberry32(sampleSeed(g.seed, k));
    const global = uniform(rng, lo, hi);
    const factors: Record<string, number> = {};
    for (const b of loadBuses) factors[b] = uniform(rng, 1 - noise, 1 + noise);
    const ml =
      g.cost_perturbation || g.admittance_perturbation
        ? drawMlPerturbation(net, rng, g.cost_perturbation, g.admittance_perturbation?.sigma)
        : undefined;
    const vars: TemplateVars = { name: g.name ?? 'load_perturbation', index: k, seed: g.seed, load_scale: global };
    out.push({
      ...shared,
      id: t.id(vars),
      idPath: ip,
      label: `generators[${path[1]}] (load_perturbation, sample ${k})`,
      loadScale: global,
      loadFactors: factors,
      ...(ml ? { mlPerturbation: ml } : {}),
      description: t.desc
        ? t.desc(vars)
        : `load perturbation sample ${k} (seed ${g.seed}): global factor ${global.toFixed(4)}, local noise ${noise}`,
      generatorInfo: { type: 'load_perturbation', index: k, seed: g.seed },
    });
  }
}

function cartesian(ctx: SpecContext, g: CartesianEntry, path: KeyPath, out: Draft[]): void {
  const slices = ctx.slicesFor(g, path);
  const ls = g.factors.load_scale ?? undefined;
  const rs = g.factors.renewable_scale ?? undefined;
  if (ls && g.load_scale != null)
    throw ctx.error([...path, 'load_scale'], 'load_scale is already a factor of this cartesian generator');
  if (rs && g.renewable_scale != null)
    throw ctx.error([...path, 'renewable_scale'], 'renewable_scale is already a factor of this cartesian generator');
  const lsList = ls ?? [g.load_scale ?? ctx.loadScale];
  const rsList = rs ?? [g.renewable_scale ?? ctx.renewableScale];
  ctx.addJobs(lsList.length * rsList.length, slices.length, [...path, 'factors']);
  const parts = [...(ls ? ['ls={load_scale}'] : []), ...(rs ? ['rs={renewable_scale}'] : [])];
  const t = templates(ctx, g, path, `${g.name ? '{name}_' : ''}${parts.join('_')}`, ['load_scale', 'renewable_scale']);
  const shared = base(g, path, slices);
  const ip = idPath(g, path);
  let index = 0;
  for (const l of lsList) {
    for (const r of rsList) {
      const vars: TemplateVars = { name: g.name ?? 'cartesian', index, load_scale: l, renewable_scale: r };
      const what = [...(ls ? [`load_scale=${l}`] : []), ...(rs ? [`renewable_scale=${r}`] : [])].join(', ');
      out.push({
        ...shared,
        id: t.id(vars),
        idPath: ip,
        label: `generators[${path[1]}] (cartesian, ${what})`,
        loadScale: l,
        renewableScale: r,
        description: t.desc ? t.desc(vars) : what,
        generatorInfo: { type: 'cartesian', index },
      });
      index++;
    }
  }
}
