/**
 * The zod schema of ONE spec file (a superset of GAT's `gat scenarios` spec). Every object is
 * strict, so a misspelt key is an error, not silently ignored. `null` is accepted wherever a value
 * is optional and means "not given" (serde's Option semantics; in an `extends` child it removes
 * the base file's value).
 */
import { z } from 'zod';
import { ISLAND_MODES } from '../solvers/islands';

/** Most samples one load_perturbation generator may draw (the job limit applies on top). */
export const MAX_SAMPLES = 1_000_000;

const opt = <T extends z.ZodType>(s: T) => s.nullish();

const finite = z.number({
  error: (i) => (i.input === undefined ? 'required' : `must be a finite number, got ${show(i.input)}`),
});
const nonNeg = finite.min(0, { error: 'must be >= 0' });
const intOrString = (what: string) =>
  z.union([z.string().min(1, { error: `${what} must not be empty` }), z.number().int().nonnegative()], {
    error: (i) =>
      i.input === undefined
        ? `${what} is required`
        : `${what} must be a string or a non-negative integer, got ${show(i.input)}`,
  });

function show(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'number') return String(v);
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  return typeof v === 'object' ? 'a mapping' : String(v);
}

/** Path (inside `v`) and value of the first part of `v` that is not JSON data, if any. */
function firstNonJson(
  v: unknown,
  path: (string | number)[],
): { path: (string | number)[]; value: unknown } | undefined {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return undefined;
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : { path, value: v };
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) {
      const bad = firstNonJson(v[i], [...path, i]);
      if (bad) return bad;
    }
    return undefined;
  }
  const proto = typeof v === 'object' ? Object.getPrototypeOf(v) : undefined;
  if (proto !== Object.prototype && proto !== null) return { path, value: v };
  for (const [k, x] of Object.entries(v as object)) {
    const bad = firstNonJson(x, [...path, k]);
    if (bad) return bad;
  }
  return undefined;
}

// z.json() reports a bare "Invalid input" (its union drops custom messages): check by hand
const metadata = z.record(z.string(), z.unknown()).superRefine((m, ctx) => {
  const bad = firstNonJson(m, []);
  if (bad) {
    const got =
      typeof bad.value === 'number'
        ? String(bad.value)
        : ((bad.value as object)?.constructor?.name ?? typeof bad.value);
    ctx.addIssue({
      code: 'custom',
      path: bad.path,
      message: `metadata values must be JSON data (strings, finite numbers, booleans, null, lists, mappings), got ${got}`,
    });
  }
});
const tags = z.array(z.string({ error: 'tags must be strings' }));
const timeSlices = z.array(z.string({ error: 'time slices must be RFC 3339 strings, e.g. "2025-01-01T12:00:00Z"' }));
export const TimeRangeSchema = z.strictObject({
  start: z.string({ error: 'start must be an RFC 3339 string' }),
  end: z.string({ error: 'end must be an RFC 3339 string' }),
  step: z.string({ error: 'step must be a duration such as "1h", "15m", "30s" or "1d"' }),
});

export const OutageSchema = z.strictObject({
  type: z.enum(['branch', 'gen', 'bus'], {
    error: (i) => `outage type must be branch, gen or bus, got ${show(i.input)}`,
  }),
  id: intOrString('outage id'),
});

export const DispatchOverrideSchema = z.strictObject({
  resource_id: intOrString('resource_id'),
  p_max_mw: opt(finite),
  p_min_mw: opt(finite),
  must_run: opt(z.boolean()),
  cost_multiplier: opt(nonNeg),
});

/** Fields a scenario, the defaults and a generator can all set. */
const scenarioFields = {
  description: opt(z.string()),
  tags: opt(tags),
  outages: opt(z.array(OutageSchema)),
  load_scale: opt(nonNeg),
  renewable_scale: opt(nonNeg),
  dispatch_overrides: opt(z.array(DispatchOverrideSchema)),
  time_slices: opt(timeSlices),
  time_range: opt(TimeRangeSchema),
  weight: opt(nonNeg),
  metadata: opt(metadata),
};

export const ScenarioSchema = z.strictObject({
  scenario_id: z.union([z.string(), z.number().int()], {
    error: (i) =>
      i.input === undefined ? 'scenario_id is required' : `scenario_id must be a string, got ${show(i.input)}`,
  }),
  ...scenarioFields,
});

export const DefaultsSchema = z.strictObject({
  load_scale: opt(nonNeg),
  renewable_scale: opt(nonNeg),
  weight: opt(nonNeg),
  time_slices: opt(timeSlices),
  time_range: opt(TimeRangeSchema),
  tags: opt(tags),
  metadata: opt(metadata),
});

/** Fields every generator accepts; they apply to every scenario it produces (templates allowed in description). */
const generatorCommon = {
  name: opt(z.string().min(1)),
  id_template: opt(z.string().min(1)),
  ...scenarioFields,
};

/** Which elements an outage generator takes out (see element-filter.ts); every given condition must hold. */
export const ElementFilterSchema = z.strictObject({
  ids: opt(z.array(intOrString('filter id'))),
  min_rate_a: opt(nonNeg),
  buses: opt(z.array(z.number().int().positive())),
  /** voltage levels (bus baseKV, kV): a branch with either end at one of them */
  base_kv: opt(z.array(nonNeg).min(1)),
  /** bus areas: a branch with either end in one of them */
  areas: opt(z.array(z.number().int())),
});

const outageElements = z
  .array(z.enum(['branch', 'gen'], { error: 'elements must be branch or gen' }))
  .min(1, { error: 'list at least one element type: [branch] or [gen]' });

/** Most outage sets one n_minus_k or random_outages generator may produce (the job limit applies on top). */
export const MAX_OUTAGE_SETS = 1_000_000;

export const NMinus1Schema = z.strictObject({
  type: z.literal('n_minus_1'),
  elements: outageElements,
  filter: opt(ElementFilterSchema),
  /** drop outages that island the network (as OPFData/PGLearn do for N-1 datasets) */
  exclude_islanding: opt(z.boolean()),
  ...generatorCommon,
});

/** Every set of k elements (exhaustive N-k over the filtered elements). */
export const NMinusKSchema = z.strictObject({
  type: z.literal('n_minus_k'),
  k: z
    .number()
    .int()
    .min(1, { error: 'k must be 1, 2 or 3' })
    .max(3, { error: 'k must be 1, 2 or 3 (exhaustive N-k grows as n^k; use random_outages for larger k)' }),
  elements: outageElements,
  filter: opt(ElementFilterSchema),
  /** drop outage sets that island the network */
  exclude_islanding: opt(z.boolean()),
  ...generatorCommon,
});

/**
 * Seeded random outage sets, as gridfm-datakit draws them: for each sample, k is drawn with
 * probability k_probabilities[k-1], then k distinct elements uniformly; repeated sets are dropped.
 */
export const RandomOutagesSchema = z.strictObject({
  type: z.literal('random_outages'),
  samples: z
    .number()
    .int()
    .min(1)
    .max(MAX_OUTAGE_SETS, { error: `samples must be <= ${MAX_OUTAGE_SETS}` }),
  seed: z.number().int({ error: 'seed must be an integer' }),
  k_probabilities: z
    .array(finite.min(0, { error: 'probabilities must be >= 0' }).max(1, { error: 'probabilities must be <= 1' }))
    .min(1, { error: 'give the probability of k = 1, 2, ...' })
    .refine((p) => Math.abs(p.reduce((a, b) => a + b, 0) - 1) < 1e-9, { error: 'k_probabilities must add up to 1' }),
  elements: outageElements,
  filter: opt(ElementFilterSchema),
  exclude_islanding: opt(z.boolean()),
  ...generatorCommon,
});

export const LoadPerturbationSchema = z.strictObject({
  type: z.literal('load_perturbation'),
  samples: z
    .number()
    .int()
    .min(1)
    .max(MAX_SAMPLES, { error: `samples must be <= ${MAX_SAMPLES}` }),
  seed: z.number().int({ error: 'seed must be an integer' }),
  global_range: z
    .tuple([nonNeg, nonNeg], { error: 'global_range must be [low, high]' })
    .refine(([lo, hi]) => lo <= hi, { error: 'global_range must be [low, high] with low <= high' }),
  local_noise: opt(finite.min(0).max(1, { error: 'local_noise must be between 0 and 1' })),
  /** generator cost perturbation per sample (ml-perturbations.ts): permute or scale the cost coefficients */
  cost_perturbation: opt(
    z
      .strictObject({
        type: z.enum(['permute', 'scale'], { error: 'cost_perturbation type must be permute or scale' }),
        sigma: opt(finite.min(0).max(1, { error: 'sigma must be between 0 and 1' })),
      })
      .refine((c) => c.type === 'permute' || c.sigma != null, { error: 'cost_perturbation {type: scale} needs sigma' }),
  ),
  /** branch admittance perturbation per sample: r and x scaled by U[1 - sigma, 1 + sigma] */
  admittance_perturbation: opt(
    z.strictObject({ sigma: finite.min(0).max(1, { error: 'sigma must be between 0 and 1' }) }),
  ),
  ...generatorCommon,
});

export const CartesianSchema = z.strictObject({
  type: z.literal('cartesian'),
  factors: z
    .strictObject({
      load_scale: opt(z.array(nonNeg).min(1)),
      renewable_scale: opt(z.array(nonNeg).min(1)),
    })
    .refine((f) => (f.load_scale?.length ?? 0) + (f.renewable_scale?.length ?? 0) > 0, {
      error: 'give at least one factor list (load_scale or renewable_scale)',
    }),
  ...generatorCommon,
});

export const GeneratorSchema = z.discriminatedUnion(
  'type',
  [NMinus1Schema, NMinusKSchema, RandomOutagesSchema, LoadPerturbationSchema, CartesianSchema],
  {
    error: (i) =>
      i.code === 'invalid_union'
        ? 'generator type must be n_minus_1, n_minus_k, random_outages, load_perturbation or cartesian'
        : undefined,
  },
);

export const ProfilesSchema = z.strictObject({
  file: z.string().min(1),
  kind: opt(z.enum(['multiplier', 'value'], { error: 'kind must be multiplier or value' })),
  /** loads / generators the profile leaves at their base values on purpose: `load:<bus>`, `gen:<row>`, optionally `:<field>` */
  at_base: opt(
    z.array(
      z.string().regex(/^(load|gen):\d+(:(p|q|pmax))?$/i, {
        error: 'at_base entries are load:<bus>, gen:<row>, optionally :p, :q or :pmax',
      }),
    ),
  ),
  /** a load or generator the profile does not cover (and at_base does not list) is an error, not a warning */
  strict: opt(z.boolean()),
});

export const SeveritySchema = z.strictObject({
  weights: opt(
    z.strictObject({
      loading: opt(nonNeg),
      overloads: opt(nonNeg),
      voltage: opt(nonNeg),
      load_lost: opt(nonNeg),
      failed: opt(nonNeg),
    }),
  ),
});

export const SpecFileSchema = z.strictObject({
  version: opt(z.literal(1, { error: 'version must be 1' })),
  extends: opt(z.string().min(1)),
  grid_file: opt(z.string().min(1)),
  defaults: opt(DefaultsSchema),
  scenarios: opt(z.array(ScenarioSchema)),
  generators: opt(z.array(GeneratorSchema)),
  include_base: opt(z.boolean()),
  profiles: opt(ProfilesSchema),
  /** weights of the contingency severity index (report ranking; see src/report/severity.ts) */
  severity: opt(SeveritySchema),
  /** a job whose outages split the network: de-energize islands without a reference bus (default), give each island with generation its own reference, or fail */
  islands: opt(
    z.enum(ISLAND_MODES, {
      error: (i) => `islands must be deenergize, slack_per_island or fail, got ${show(i.input)}`,
    }),
  ),
});

export type SpecFile = z.infer<typeof SpecFileSchema>;
export type ScenarioEntry = z.infer<typeof ScenarioSchema>;
export type Defaults = z.infer<typeof DefaultsSchema>;
export type GeneratorEntry = z.infer<typeof GeneratorSchema>;
export type NMinus1Entry = z.infer<typeof NMinus1Schema>;
export type NMinusKEntry = z.infer<typeof NMinusKSchema>;
export type RandomOutagesEntry = z.infer<typeof RandomOutagesSchema>;
export type ElementFilterEntry = z.infer<typeof ElementFilterSchema>;
export type LoadPerturbationEntry = z.infer<typeof LoadPerturbationSchema>;
export type CartesianEntry = z.infer<typeof CartesianSchema>;
export type OutageEntry = z.infer<typeof OutageSchema>;
export type DispatchOverrideEntry = z.infer<typeof DispatchOverrideSchema>;
export type TimeRangeEntry = z.infer<typeof TimeRangeSchema>;
/** Scenario-level fields shared by scenarios and generators. */
export type ScenarioFields = Omit<ScenarioEntry, 'scenario_id'>;
