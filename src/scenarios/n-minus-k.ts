/**
 * Multiple-outage generators:
 * - n_minus_k: every set of k filtered elements (exhaustive N-k; k = 2 is the planner's N-2), in
 *   lexicographic order of the elements (branches, then generators, each in file order);
 * - random_outages: seeded random outage sets as gridfm-datakit draws them: sample s gets its own
 *   stream (seed, s); k is drawn with probability k_probabilities[k-1], then k distinct elements
 *   uniformly. A set drawn before (in any order) is dropped, so every scenario is a distinct outage
 *   set; sample ids keep their sample number, so a sample's id and outages never depend on `samples`.
 * Both may drop sets that island the network (exclude_islanding); otherwise the island rule of
 * the study applies when they run. The counts are reported as notes (shown by `validate`).
 */
import { SpecContext } from './context';
import { Draft } from './draft';
import { Candidate, describeElement, filterElements } from './element-filter';
import { base, idPath, templates } from './generator-parts';
import { mulberry32, Rng, sampleSeed } from './prng';
import { MAX_OUTAGE_SETS, NMinusKEntry, RandomOutagesEntry } from './schema';
import { KeyPath } from './source';
import { TemplateVars } from './template';

/** C(n, k) as a float (exact below 2^53). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

const TEMPLATE_VARS = ['k', 'elements', 'ids'];

function setVars(set: Candidate[]): { elements: string; ids: string } {
  return { elements: set.map((c) => `${c.type}_${c.row + 1}`).join('_'), ids: set.map((c) => c.row + 1).join('_') };
}

function islands(ctx: SpecContext, set: Candidate[]): boolean {
  const branches = new Set(set.filter((c) => c.type === 'branch').map((c) => c.row));
  return branches.size > 0 && !ctx.islands.check(branches, new Set()).ok;
}

function draft(
  g: NMinusKEntry | RandomOutagesEntry,
  path: KeyPath,
  slices: string[],
  id: string,
  label: string,
  set: Candidate[],
  description: string,
  info: Record<string, string | number>,
): Draft {
  return {
    ...base(g, path, slices),
    id,
    idPath: idPath(g, path),
    label,
    extraOutages: set.map((c) => ({ type: c.type, id: String(c.row + 1) })),
    description,
    generatorInfo: { ...info, k: set.length, elements: set.map((c) => `${c.type}:${c.row + 1}`).join(',') },
  };
}

export function nMinusK(ctx: SpecContext, g: NMinusKEntry, path: KeyPath, out: Draft[]): void {
  const slices = ctx.slicesFor(g, path);
  const { candidates, skippedOff } = filterElements(ctx, g.elements, g.filter, path);
  const n = candidates.length,
    k = g.k;
  const total = binomial(n, k);
  const name = `generators[${path[1]}] (n_minus_k k=${k}${g.name ? ` '${g.name}'` : ''})`;
  if (total > MAX_OUTAGE_SETS) {
    throw ctx.error(
      [...path, 'k'],
      `${n} elements taken ${k} at a time make ${total.toLocaleString('en-US')} outage sets, over the limit of ${MAX_OUTAGE_SETS.toLocaleString('en-US')}: narrow the filter or use random_outages`,
    );
  }
  ctx.addJobs(total, slices.length, path);
  const t = templates(ctx, g, path, `${g.name ? '{name}' : 'n-{k}'}_{elements}`, TEMPLATE_VARS);
  const idx = Array.from({ length: k }, (_, i) => i);
  let index = 0,
    skippedIsland = 0;
  while (k <= n) {
    const set = idx.map((i) => candidates[i]);
    if (g.exclude_islanding && islands(ctx, set)) skippedIsland++;
    else {
      const vars: TemplateVars = { name: g.name ?? 'n_minus_k', index, k, ...setVars(set) };
      const what = set.map(describeElement).join(', ');
      out.push(
        draft(
          g,
          path,
          slices,
          t.id(vars),
          `${name}, ${what}`,
          set,
          t.desc ? t.desc(vars) : `N-${k}: ${what} out of service`,
          { type: 'n_minus_k', index },
        ),
      );
      index++;
    }
    // next combination in lexicographic order
    let i = k - 1;
    while (i >= 0 && idx[i] === n - k + i) i--;
    if (i < 0) break;
    idx[i]++;
    for (let j = i + 1; j < k; j++) idx[j] = idx[j - 1] + 1;
  }
  ctx.notes.push(
    `${name}: ${index.toLocaleString('en-US')} outage set(s) of ${k} over ${n} element(s)${skippedIsland ? `, ${skippedIsland} islanding set(s) dropped (exclude_islanding)` : ''}`,
  );
  if (skippedOff)
    ctx.warnings.push(`${name}: skipped ${skippedOff} element(s) already out of service in the base case`);
  if (index === 0) ctx.warnings.push(`${name}: produced no scenarios (${n} element(s) pass the filter, k is ${k})`);
}

/** k distinct indices in [0, n), uniformly (rejection for small k, partial Fisher-Yates otherwise), ascending. */
function pick(rng: Rng, n: number, k: number): number[] {
  if (k * 2 <= n) {
    const s = new Set<number>();
    while (s.size < k) s.add(Math.floor(rng() * n));
    return [...s].sort((a, b) => a - b);
  }
  const a = Array.from({ length: n }, (_, i) => i);
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k).sort((x, y) => x - y);
}

export function randomOutages(ctx: SpecContext, g: RandomOutagesEntry, path: KeyPath, out: Draft[]): void {
  const slices = ctx.slicesFor(g, path);
  const { candidates, skippedOff } = filterElements(ctx, g.elements, g.filter, path);
  const n = candidates.length;
  const probs = g.k_probabilities;
  const kMax = probs.reduce((m, p, i) => (p > 0 ? i + 1 : m), 0);
  if (kMax > n)
    throw ctx.error(
      [...path, 'k_probabilities'],
      `k = ${kMax} has a probability above 0 but only ${n} element(s) pass the filter`,
    );
  const name = `generators[${path[1]}] (random_outages${g.name ? ` '${g.name}'` : ''})`;
  const width = Math.max(1, String(g.samples - 1).length);
  const t = templates(ctx, g, path, `${g.name ? '{name}' : 'outages'}_{index|zfill:${width}}`, [
    ...TEMPLATE_VARS,
    'seed',
  ]);
  const seen = new Set<string>();
  const perK = new Array<number>(probs.length).fill(0);
  let duplicates = 0,
    skippedIsland = 0;
  const start = out.length;
  for (let s = 0; s < g.samples; s++) {
    const rng = mulberry32(sampleSeed(g.seed, s));
    const u = rng();
    let k = 1,
      acc = probs[0];
    while (u >= acc && k < kMax) acc += probs[k++];
    const set = pick(rng, n, k).map((i) => candidates[i]);
    const key = set.map((c) => `${c.type}${c.row}`).join(',');
    if (seen.has(key)) {
      duplicates++;
      continue;
    }
    seen.add(key);
    if (g.exclude_islanding && islands(ctx, set)) {
      skippedIsland++;
      continue;
    }
    perK[k - 1]++;
    const vars: TemplateVars = { name: g.name ?? 'random_outages', index: s, k, seed: g.seed, ...setVars(set) };
    const what = set.map(describeElement).join(', ');
    out.push(
      draft(
        g,
        path,
        slices,
        t.id(vars),
        `${name}, sample ${s}`,
        set,
        t.desc ? t.desc(vars) : `random N-${k} (seed ${g.seed}, sample ${s}): ${what} out of service`,
        { type: 'random_outages', index: s, seed: g.seed },
      ),
    );
  }
  ctx.addJobs(out.length - start, slices.length, [...path, 'samples']);
  const byK = perK
    .map((c, i) => (c ? `${c} with k=${i + 1}` : ''))
    .filter(Boolean)
    .join(', ');
  ctx.notes.push(
    `${name}: ${out.length - start} distinct outage set(s) from ${g.samples} draw(s) over ${n} element(s) (${byK || 'none'}); ${duplicates} repeated draw(s) dropped${skippedIsland ? `, ${skippedIsland} islanding set(s) dropped (exclude_islanding)` : ''}`,
  );
  if (skippedOff)
    ctx.warnings.push(`${name}: skipped ${skippedOff} element(s) already out of service in the base case`);
}
