/**
 * Generated specs for the property tests: a plausible spec (every key of the schema can appear,
 * with values that make sense for case14 / case4fuel) and, most of the time, ONE corruption at a
 * random place in it: a value replaced by junk or by a value that is wrong there (negative,
 * NaN, unsafe id, unknown element, bad time or template), a key removed, an unknown key added.
 * About half the specs stay valid, so expansion and resolution run, not only the error paths.
 */
import fc from 'fast-check';

type Data = Record<string, unknown>;

const scale = fc.double({ min: 0, max: 3, noNaN: true });
/** the two hours the profile p.csv has (two spellings of 01:00; a list holds one of them) */
const time = fc.constantFrom('2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z');
const outage = fc.oneof(
  fc.record({
    type: fc.constant('branch'),
    id: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('3', 'branch:2', '1-2')),
  }),
  fc.record({ type: fc.constant('gen'), id: fc.oneof(fc.integer({ min: 1, max: 4 }), fc.constantFrom('3', 'gen:2')) }),
);
const id = fc.oneof(fc.constantFrom('peak', 'a', 'ok.1', 'n=1', 'x-y_z'), fc.integer({ min: 0, max: 20 }));
const template = fc.constantFrom('{name}_{index}', 'x{index|zfill:3}', 'g{name|slug}{index}');

const common = {
  description: fc.string({ maxLength: 8 }),
  tags: fc.array(fc.string({ maxLength: 3 }), { maxLength: 2 }),
  outages: fc.array(outage, { maxLength: 1 }),
  load_scale: scale,
  renewable_scale: scale,
  dispatch_overrides: fc.array(
    fc.record(
      { resource_id: fc.integer({ min: 1, max: 4 }), p_max_mw: fc.constantFrom(500, 1000), cost_multiplier: scale },
      { requiredKeys: ['resource_id'] },
    ),
    { maxLength: 1 },
  ),
  time_slices: fc.uniqueArray(time, { maxLength: 3 }),
  weight: scale,
  metadata: fc.dictionary(
    fc.string({ maxLength: 3 }),
    fc.oneof(fc.string({ maxLength: 3 }), fc.integer(), fc.boolean()),
    { maxKeys: 2 },
  ),
};

const scenario = fc.record({ scenario_id: id, ...common }, { requiredKeys: ['scenario_id'] });
const generator = fc.oneof(
  fc.record(
    {
      type: fc.constant('n_minus_1'),
      elements: fc.constantFrom(['branch'], ['gen'], ['branch', 'gen']),
      name: fc.constantFrom('n1', 'g'),
      filter: fc.record(
        { min_rate_a: scale, buses: fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 2 }) },
        { requiredKeys: [] },
      ),
      exclude_islanding: fc.boolean(),
      id_template: fc.oneof(template, fc.constant('{name}-{type}-{id}')),
      ...common,
    },
    { requiredKeys: ['type', 'elements'] },
  ),
  fc.record(
    {
      type: fc.constant('load_perturbation'),
      samples: fc.integer({ min: 1, max: 5 }),
      seed: fc.integer(),
      global_range: fc.constant([0.9, 1.1]),
      local_noise: fc.double({ min: 0, max: 1, noNaN: true }),
      name: fc.constantFrom('lp', 'p'),
      id_template: template,
      description: fc.string({ maxLength: 8 }),
    },
    { requiredKeys: ['type', 'samples', 'seed', 'global_range'] },
  ),
  fc.record(
    {
      type: fc.constant('cartesian'),
      factors: fc.record({ load_scale: fc.array(scale, { minLength: 1, maxLength: 3 }) }),
      name: fc.constantFrom('c', 'grid'),
      id_template: fc.constantFrom('{name}_{index}', 'c{index}'),
      weight: scale,
    },
    { requiredKeys: ['type', 'factors'] },
  ),
);

const plausible: fc.Arbitrary<Data> = fc.record(
  {
    version: fc.constant(1),
    grid_file: fc.constantFrom('../cases/case14.m', '../cases/case4fuel.m'),
    defaults: fc.record(
      {
        load_scale: scale,
        weight: scale,
        time_range: fc.constant({ start: '2025-01-01T00:00:00Z', end: '2025-01-01T02:00:00Z', step: '1h' }),
        tags: common.tags,
      },
      { requiredKeys: [] },
    ),
    scenarios: fc.uniqueArray(scenario, { minLength: 1, maxLength: 4, selector: (s) => String(s.scenario_id) }),
    generators: fc.array(generator, { maxLength: 2 }),
    include_base: fc.boolean(),
    profiles: fc.constantFrom({ file: 'p.csv', kind: 'multiplier' }, { file: 'p.csv' }),
  },
  { requiredKeys: ['grid_file', 'include_base'] },
);

/** Values that are wrong in most places of a spec. */
const wrong = fc.oneof(
  fc.constantFrom(
    -1,
    -0.5,
    Number.NaN,
    Infinity,
    0,
    999,
    2.5,
    '',
    'a/b',
    '..',
    '../x',
    'x y',
    'line',
    'bus',
    '{nope}',
    '{',
    'yesterday',
    '2025-02-30T00:00:00Z',
    '2025-01-01T05:00:00Z',
    'PT',
    '0s',
    'base',
    null,
    true,
    [],
    {},
    ['bus'],
    { x: 1 },
    '../cases',
    'nope.csv',
    'p.parquet',
    'n1-hourly.yaml',
    'gen.yaml',
  ),
  fc.integer({ min: -3, max: 30 }),
  fc.double(),
  fc.string({ maxLength: 5 }),
);

type Corruption = { at: number; op: 'replace' | 'delete' | 'unknownKey'; value: unknown; key: string };
const corruption: fc.Arbitrary<Corruption> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('replace', 'replace', 'replace', 'delete', 'unknownKey'),
  value: wrong,
  key: fc.constantFrom('reason', 'scenario', 'loadscale', '__proto__', 'type', 'extends', 'id'),
});

/** Every container (object or array) in `d` with the keys / indexes it holds, in document order. */
function slots(d: unknown, out: { parent: Data | unknown[]; key: string | number }[] = []): typeof out {
  if (Array.isArray(d))
    d.forEach((v, i) => {
      out.push({ parent: d, key: i });
      slots(v, out);
    });
  else if (d !== null && typeof d === 'object')
    for (const [k, v] of Object.entries(d)) {
      out.push({ parent: d as Data, key: k });
      slots(v, out);
    }
  return out;
}

function corrupt(spec: Data, c: Corruption): Data {
  const copy = JSON.parse(JSON.stringify(spec)) as Data;
  const all = slots(copy);
  if (all.length === 0) return copy;
  const { parent, key } = all[c.at % all.length];
  if (c.op === 'replace') (parent as Record<string | number, unknown>)[key] = c.value;
  else if (c.op === 'delete') {
    if (Array.isArray(parent)) parent.splice(key as number, 1);
    else delete parent[key as string];
  } else if (!Array.isArray(parent)) parent[c.key] = c.value;
  return copy;
}

/** A plausible spec with, three times in four, one corruption. */
export function specObject(): fc.Arbitrary<Data> {
  return fc.tuple(plausible, fc.option(corruption, { freq: 4 })).map(([s, c]) => (c ? corrupt(s, c) : s));
}
