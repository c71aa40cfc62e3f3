/**
 * The report of a finished batch: KPIs per job and per scenario, the comparison with a
 * baseline, branch loadings and bus voltages, written to <out>/report/ as Parquet and CSV,
 * an Excel workbook and a self-contained HTML page. Every file has a fixed name and is written
 * atomically, so a retry replaces the report and never adds to it.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { layout } from '../io/layout';
import { openScenarioSource, scenariosOf } from '../io/scenario-source';
import { sweepTempFiles, writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { collectReportData } from './collect';
import { compareScenarios, resolveBaseline } from './compare';
import { reportHtml } from './html';
import { DEFAULT_SEVERITY_WEIGHTS, mostSevere, NO_WORST, rankContingencies, SeverityWeights } from './severity';
import {
  branchLoadingTable,
  busVoltageTable,
  comparisonTable,
  contingencyRankingTable,
  jobsTable,
  scenariosTable,
} from './tables';
import { writeTableCsv, writeTableParquet } from './write-tabular';
import { ReportTable } from './types';
import { SummaryItem, writeWorkbook } from './xlsx';

export const reportDir = (out: string): string => join(out, 'report');

export interface ReportOptions {
  /** baseline scenario id (default `base`, else the first scenario) */
  baseline?: string;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
  /** fixed timestamp for reproducible files (tests); default now */
  generatedAt?: string;
}

export interface ReportSummary {
  dir: string;
  baseline: string;
  note: string | null;
  scenarios: number;
  jobs: number;
  ok: number;
  failed: number;
  files: string[];
  /** the scenario ranked worst by severity; null when the first ones tie on every severity key */
  worst: string | null;
}

export async function buildReport(outDir: string, opts: ReportOptions = {}): Promise<ReportSummary> {
  if (existsSync(layout.scenarioManifest(outDir)))
    resolveBaseline(
      Array.from(scenariosOf(openScenarioSource(outDir)), (s) => s.scenarioId),
      opts.baseline,
    ); // fail fast (the manifest a page at a time, never whole)
  const data = await collectReportData(outDir, opts.onProgress, opts.signal);
  const weights: SeverityWeights = { ...DEFAULT_SEVERITY_WEIGHTS, ...(data.study.manifest.severity_weights ?? {}) };
  const ranking = rankContingencies(data.scenarios, data.jobs, data.study.scenarios(), weights);
  const cmp = compareScenarios(
    data.scenarios,
    data.jobs,
    new Map(ranking.map((r) => [r.scenario_id, r.rank])),
    opts.baseline,
  );
  const tables: ReportTable[] = [
    scenariosTable(data),
    comparisonTable(cmp),
    jobsTable(data, cmp),
    branchLoadingTable(data),
    busVoltageTable(data),
    contingencyRankingTable(ranking, weights),
  ];
  const dir = reportDir(outDir);
  sweepTempFiles(dir); // temporary files of an attempt killed mid-write
  const files: string[] = [];
  for (const t of tables) {
    writeTableParquet(join(dir, `${t.name}.parquet`), t);
    writeTableCsv(join(dir, `${t.name}.csv`), t);
    files.push(`${t.name}.parquet`, `${t.name}.csv`);
  }
  const generatedAt = opts.generatedAt ?? new Date().toISOString();
  const m = data.study.manifest;
  const ok = data.jobs.filter((j) => j.status === 'ok').length,
    failed = data.jobs.filter((j) => j.status === 'failed').length;
  const comp = tables[1];
  const worst = mostSevere(ranking);
  const summary: SummaryItem[] = [
    { label: 'batch', value: m.batch_id },
    { label: 'task', value: data.study.task },
    { label: 'grid', value: m.grid_file },
    { label: 'scenarios', value: m.num_scenarios, numFmt: '0' },
    { label: 'jobs', value: m.num_jobs, numFmt: '0' },
    { label: 'jobs solved', value: ok, numFmt: '0' },
    { label: 'jobs failed', value: failed, numFmt: '0' },
    { label: 'jobs not run', value: data.jobs.length - ok - failed, numFmt: '0' },
    { label: 'baseline scenario', value: cmp.baseline },
    ...(cmp.note ? [{ label: 'baseline note', value: cmp.note }] : []),
    { label: 'worst scenario (severity rank 1)', value: worst ?? NO_WORST },
    {
      label: 'most severe contingency (severity index)',
      value: worst !== null ? `${worst} (${ranking[0].severity_index.toFixed(2)})` : NO_WORST,
    },
    { label: 'generated', value: generatedAt },
  ];
  const top: ReportTable = { ...comp, title: 'Worst scenarios (by severity rank)', rows: comp.rows.slice(0, 10) };
  await writeWorkbook(join(dir, 'report.xlsx'), {
    title: `gridbatch report: ${m.batch_id}`,
    generatedAt,
    summary,
    top,
    tables,
  });
  files.push('report.xlsx');
  files.push('report.html', 'report.json');
  writeFileAtomic(join(dir, 'report.html'), reportHtml({ data, cmp, tables, generatedAt, files }));
  const result: ReportSummary = {
    dir,
    baseline: cmp.baseline,
    note: cmp.note,
    scenarios: data.scenarios.length,
    jobs: data.jobs.length,
    ok,
    failed,
    files,
    worst,
  };
  writeJsonAtomic(join(dir, 'report.json'), {
    format: 'gridbatch.report/1',
    batch_id: m.batch_id,
    task: data.study.task,
    generated_at: generatedAt,
    ...result,
    dir: undefined,
  });
  return result;
}
