/**
 * The dataset card beside the features: <out>/features/croissant.json, a Croissant 1.0
 * (MLCommons) JSON-LD description of every layout present (files, record sets with their
 * fields, the train / validation / test splits), with the provenance an ML team needs: the spec's
 * sha256, the split seed, the grid and its licence, the gridbatch version. And README.md, the
 * same for people. Rewritten after every featurize run, from the layouts' features.json files.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { layout as outLayout } from '../io/layout';
import { featureLayout } from './layout';
import { SplitOptions } from './splits';

interface Col {
  name: string;
  type: string;
}
interface LayoutMeta {
  layout: string;
  task: string;
  batch_id: string;
  split?: SplitOptions;
  graphs?: number;
  samples?: Record<string, number>;
  tables?: Record<string, Col[]>;
  case?: string;
  groups?: number;
  incomplete?: number;
  failed_file?: string;
}

const FAILED_COLS: Col[] = ['graph_id:INT32', 'job_id', 'scenario_id', 'time', 'split', 'status', 'error'].map((c) => {
  const [name, type] = c.split(':');
  return { name, type: type ?? 'STRING' };
});

/** keep_failed: the dataset layout's list of jobs without a sample. */
function failedSet(kind: string, m: LayoutMeta, files: object[], sets: object[]): void {
  if (!m.failed_file) return;
  const id = kind.replace(/-/g, '_');
  files.push(
    fileSet(
      `${kind}-failed-files`,
      `${kind}/${m.failed_file}`,
      PARQUET,
      `${kind}: jobs without a sample (status failed: no solution; incomplete: de-energized buses)`,
    ),
  );
  sets.push(
    recordSet(
      `${id}_failed`,
      `${kind}: failed and incomplete jobs as labelled rows (keep_failed)`,
      `${kind}-failed-files`,
      FAILED_COLS,
    ),
  );
}
interface RunRecord {
  batch_id: string;
  task: string;
  gridbatch_version: string;
  inputs: { role: string; source: string; sha256: string }[];
}

const DATA_TYPE: Record<string, string> = {
  DOUBLE: 'sc:Float',
  INT32: 'sc:Integer',
  INT64: 'sc:Integer',
  STRING: 'sc:Text',
  BOOLEAN: 'sc:Boolean',
};
const CROISSANT_CONTEXT = {
  '@language': 'en',
  '@vocab': 'https://schema.org/',
  citeAs: 'cr:citeAs',
  column: 'cr:column',
  conformsTo: 'dct:conformsTo',
  cr: 'http://mlcommons.org/croissant/',
  rai: 'http://mlcommons.org/croissant/RAI/',
  data: { '@id': 'cr:data', '@type': '@json' },
  dataType: { '@id': 'cr:dataType', '@type': '@vocab' },
  dct: 'http://purl.org/dc/terms/',
  examples: { '@id': 'cr:examples', '@type': '@json' },
  extract: 'cr:extract',
  field: 'cr:field',
  fileProperty: 'cr:fileProperty',
  fileObject: 'cr:fileObject',
  fileSet: 'cr:fileSet',
  format: 'cr:format',
  includes: 'cr:includes',
  isLiveDataset: 'cr:isLiveDataset',
  jsonPath: 'cr:jsonPath',
  key: 'cr:key',
  md5: 'cr:md5',
  parentField: 'cr:parentField',
  path: 'cr:path',
  recordSet: 'cr:recordSet',
  references: 'cr:references',
  regex: 'cr:regex',
  repeated: 'cr:repeated',
  replace: 'cr:replace',
  sc: 'https://schema.org/',
  separator: 'cr:separator',
  source: 'cr:source',
  subField: 'cr:subField',
  transform: 'cr:transform',
  samplingRate: 'cr:samplingRate',
  equivalentProperty: 'cr:equivalentProperty',
};

/** The licence of a grid from its file name: pglib-opf's data licence, or MATPOWER's case files. */
export function gridLicence(gridFile: string): { url: string; text: string } {
  const f = basename(gridFile);
  if (/^pglib_opf_/i.test(f))
    return {
      url: 'https://creativecommons.org/licenses/by/4.0/',
      text: 'CC BY 4.0 (pglib-opf data licence; see LICENSE-pglib-opf)',
    };
  if (/^case\d+\w*\.m$/i.test(f)) {
    return {
      url: 'https://github.com/MATPOWER/matpower/blob/master/LICENSE',
      text: "MATPOWER's case files (not covered by MATPOWER's BSD licence; see its LICENSE and the case file's header)",
    };
  }
  return {
    url: 'https://spdx.org/licenses/NOASSERTION.html',
    text: `not known to gridbatch for ${f}: see the grid's source`,
  };
}

function readJson<T>(path: string): T | undefined {
  return existsSync(path) ? (JSON.parse(readFileSync(path, 'utf8')) as T) : undefined;
}

function recordSet(id: string, description: string, fileSet: string, cols: Col[], jsonPath = false): object {
  return {
    '@type': 'cr:RecordSet',
    '@id': id,
    name: id,
    description,
    field: cols.map((c) => ({
      '@type': 'cr:Field',
      '@id': `${id}/${c.name}`,
      name: c.name,
      dataType: DATA_TYPE[c.type] ?? 'sc:Text',
      source: {
        fileSet: { '@id': fileSet },
        extract: jsonPath ? { jsonPath: `$.metadata.${c.name}` } : { column: c.name },
      },
      ...(c.name === 'split' ? { references: { field: { '@id': 'splits/name' } } } : {}),
    })),
  };
}

function fileSet(id: string, includes: string, format: string, description: string): object {
  return { '@type': 'cr:FileSet', '@id': id, name: id, description, encodingFormat: format, includes };
}

const PARQUET = 'application/x-parquet';

/** Distribution and record sets of every layout found under <out>/features. */
function layoutsOf(outDir: string): { metas: LayoutMeta[]; files: object[]; sets: object[] } {
  const metas: LayoutMeta[] = [],
    files: object[] = [],
    sets: object[] = [];
  for (const kind of ['gnn', 'opfdata'] as const) {
    const m = readJson<LayoutMeta>(featureLayout.meta(outDir, kind));
    if (!m?.tables) continue;
    metas.push(m);
    for (const [t, cols] of Object.entries(m.tables)) {
      files.push(
        fileSet(
          `${kind}-${t}-files`,
          `${kind}/${t}/*.parquet`,
          PARQUET,
          `${kind} layout, table ${t}: one part per scenario`,
        ),
      );
      sets.push(
        recordSet(`${kind}_${t}`, `${kind} layout, table ${t} (docs/featurize.md)`, `${kind}-${t}-files`, cols),
      );
    }
  }
  const g = readJson<LayoutMeta>(join(outDir, 'features', 'gridfm', 'features.json'));
  if (g?.tables && g.case) {
    metas.push(g);
    for (const [t, cols] of Object.entries(g.tables)) {
      files.push(
        fileSet(
          `gridfm-${t}-files`,
          `gridfm/${g.case}/raw/${t}.parquet/*/*.parquet`,
          PARQUET,
          `gridfm-datakit ${t}, Hive-partitioned by scenario_partition (200 scenarios each)`,
        ),
      );
      sets.push(recordSet(`gridfm_${t}`, `gridfm-datakit layout, ${t}`, `gridfm-${t}-files`, cols));
    }
    failedSet('gridfm', g, files, sets);
  }
  const o = readJson<LayoutMeta>(join(featureLayout.opfdataJsonRoot(outDir), 'features.json'));
  if (o?.case) {
    metas.push(o);
    const tmp = `opfdata-json/dataset_release_1/${o.case}/raw/gridopt-dataset-tmp/dataset_release_1/${o.case}`;
    files.push(
      fileSet(
        'opfdata-json-examples',
        `${tmp}/*/example_*.json`,
        'application/json',
        'OPFData JSON, one sample per file (grid, solution, metadata)',
      ),
    );
    files.push(
      fileSet(
        'opfdata-json-archives',
        `opfdata-json/dataset_release_1/${o.case}/raw/*.tar.gz`,
        'application/gzip',
        'the same files as OPFData release archives, one per group',
      ),
    );
    sets.push(
      recordSet(
        'opfdata_json_metadata',
        'metadata of each OPFData JSON sample',
        'opfdata-json-examples',
        [
          { name: 'objective', type: 'DOUBLE' },
          { name: 'graph_id', type: 'INT32' },
          { name: 'scenario_id', type: 'STRING' },
          { name: 'time', type: 'STRING' },
          { name: 'split', type: 'STRING' },
        ],
        true,
      ),
    );
    failedSet('opfdata-json', o, files, sets);
  }
  return { metas, files, sets };
}

/** Writes <out>/features/croissant.json and README.md; returns the card. */
export function writeDatasetCard(outDir: string): object {
  const rec = readJson<RunRecord>(outLayout.runRecord(outDir));
  if (!rec) throw new Error(`no run_record.json in ${outDir}`);
  const spec = rec.inputs.find((i) => i.role === 'spec'),
    grid = rec.inputs.find((i) => i.role === 'grid');
  const licence = gridLicence(grid?.source ?? '');
  const { metas, files, sets } = layoutsOf(outDir);
  const seeds = [...new Set(metas.map((m) => JSON.stringify(m.split ?? null)))];
  const split = metas[0]?.split;
  const provenance =
    `spec sha256 ${spec?.sha256 ?? 'unknown'}; grid ${basename(grid?.source ?? '?')} (sha256 ${grid?.sha256 ?? '?'}); ` +
    `task ${rec.task}; split seed ${split?.seed ?? '?'} ratios ${split?.ratios.join('/') ?? '?'} of scenarios; gridbatch ${rec.gridbatch_version}`;
  const card = {
    '@context': CROISSANT_CONTEXT,
    '@type': 'sc:Dataset',
    name: `gridbatch-${rec.batch_id}`.replace(/[^A-Za-z0-9_.-]/g, '_'),
    description:
      `Power-flow / OPF samples (${rec.task}) generated by gridbatch for batch ${rec.batch_id}, one sample per solved job ` +
      `(scenario x time slice). Layouts: ${metas.map((m) => m.layout).join(', ') || 'none'}. Splits: train / validation / test by scenario ` +
      `(every time slice of a scenario in one split). ${provenance}.` +
      (seeds.length > 1 ? " Layouts were written with different split settings: see each layout's features.json." : ''),
    conformsTo: 'http://mlcommons.org/croissant/1.0',
    license: licence.url,
    creditText: licence.text,
    url: `file://${join(outDir, 'features')}`,
    version: '1.0.0',
    datePublished: new Date().toISOString().slice(0, 10),
    citeAs: `gridbatch ${rec.gridbatch_version}, batch ${rec.batch_id} (spec sha256 ${spec?.sha256 ?? 'unknown'})`,
    isBasedOn: grid?.source ?? 'unknown grid',
    keywords: [
      'power flow',
      'optimal power flow',
      'graph neural networks',
      `spec-sha256:${spec?.sha256 ?? 'unknown'}`,
      `split-seed:${split?.seed ?? 'unknown'}`,
      `gridbatch:${rec.gridbatch_version}`,
    ],
    distribution: files,
    recordSet: [
      {
        '@type': 'cr:RecordSet',
        '@id': 'splits',
        name: 'splits',
        description: 'train / validation / test, assigned per scenario by seed',
        dataType: 'cr:Split',
        key: { '@id': 'splits/name' },
        field: [
          { '@type': 'cr:Field', '@id': 'splits/name', name: 'name', dataType: 'sc:Text' },
          { '@type': 'cr:Field', '@id': 'splits/url', name: 'url', dataType: 'sc:URL' },
        ],
        data: [
          { 'splits/name': 'train', 'splits/url': 'cr:TrainingSplit' },
          { 'splits/name': 'validation', 'splits/url': 'cr:ValidationSplit' },
          { 'splits/name': 'test', 'splits/url': 'cr:TestSplit' },
        ],
      },
      ...sets,
    ],
  };
  writeJsonAtomic(featureLayout.card(outDir), card);
  writeFileAtomic(featureLayout.readme(outDir), readme(rec, metas, provenance, licence.text));
  return card;
}

function readme(rec: RunRecord, metas: LayoutMeta[], provenance: string, licence: string): string {
  const lines = [
    `# Features of batch ${rec.batch_id} (${rec.task})`,
    '',
    'Generated by gridbatch: one sample per solved job (scenario x time slice). Machine-readable card: `croissant.json` (Croissant 1.0).',
    '',
    `Provenance: ${provenance}.`,
    '',
    `Grid licence: ${licence}.`,
    '',
    'Splits: `train` / `validation` / `test` assigned per scenario (every time slice of a scenario in one split), deterministic for the seed; `featurize --split-seed N --split-ratios a,b,c` rewrites them.',
    '',
    '| layout | folder | load with |',
    '|---|---|---|',
  ];
  for (const m of metas) {
    if (m.layout === 'gnn')
      lines.push('| gnn | `gnn/{nodes,edges,graphs}` | `pyarrow.parquet.read_table` (docs/featurize.md) |');
    if (m.layout === 'opfdata') lines.push('| opfdata tables | `opfdata/<type>` | `pyarrow.parquet.read_table` |');
    if (m.layout === 'opfdata-json') {
      lines.push(
        `| OPFData JSON | \`opfdata-json\` | \`torch_geometric.datasets.OPFDataset("opfdata-json", split="train", case_name="${m.case}", num_groups=${m.groups})\` (val / test: split="val" / "test") |`,
      );
    }
    if (m.layout === 'gridfm') {
      lines.push(
        `| gridfm-datakit | \`gridfm/${m.case}/raw\` | \`gridfm_datakit.validation.validate_generated_data({t: f"gridfm/${m.case}/raw/{t}.parquet" for t in ["bus_data", "gen_data", "branch_data", "y_bus_data", "runtime_data"]}, mode, 100.0)\`; pandas \`read_parquet\` |`,
      );
    }
  }
  const counts = metas.map(
    (m) =>
      `${m.layout}: ${
        m.samples
          ? Object.entries(m.samples)
              .map(([k, v]) => `${k} ${v}`)
              .join(', ')
          : `${m.graphs ?? 0} graphs`
      }` + (m.incomplete ? ` (${m.incomplete} solved jobs left out: de-energized buses)` : ''),
  );
  lines.push('', 'Samples: ' + (counts.join('; ') || 'none') + '.', '');
  return lines.join('\n');
}
