/**
 * Parquet writers side by side on the tables one part of a case118 batch writes (bus, branch,
 * gen, summary and the part's job records; bench/parquet-write-tables.ts): each candidate
 * writes every table, candidates alternate within a round, and each table's median over the
 * rounds is reported with the median CPU time of a whole part, the file sizes and the ratio to
 * hyparquet-writer as gridbatch used it before (bench/parquet-write-candidates.ts). The CPU the
 * part's solves took (cold, one solve per job) is printed for scale.
 *
 *   npm run bench:parquet -- [--task pf_dc|pf_ac] [--jobs 1000] [--rounds 7] [--json]
 *   PARQUET_WASM_DIR=/folder/with/node_modules/parquet-wasm npx tsx bench/parquet-write.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BEFORE,
  gridbatchWriter,
  hyparquetBeforeFlat,
  hyparquetWriter,
  loadParquetWasm,
  parquetWasmWriter,
  type Writer,
} from './parquet-write-candidates';
import { partTables } from './parquet-write-tables';

interface Args {
  task: 'pf_dc' | 'pf_ac';
  jobs: number;
  rounds: number;
  json: boolean;
}

function parseArgs(argv: string[]): Args {
  const a: Args = { task: 'pf_dc', jobs: 1000, rounds: 7, json: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    if (k === '--json') a.json = true;
    else if (k === '--task') a.task = argv[++i] === 'pf_ac' ? 'pf_ac' : 'pf_dc';
    else if (k === '--jobs') a.jobs = Number(argv[++i]);
    else if (k === '--rounds') a.rounds = Number(argv[++i]);
    else throw new Error(`unknown argument ${k}`);
  }
  return a;
}

function candidates(): { name: string; write: Writer }[] {
  const list: { name: string; write: Writer }[] = [
    { name: 'hyparquet before (snappy, stats all, dict trial, 1 MB pages, copy)', write: hyparquetWriter(BEFORE) },
    { name: 'hyparquet uncompressed', write: hyparquetWriter({ ...BEFORE, codec: 'UNCOMPRESSED' }) },
    { name: 'hyparquet stats none', write: hyparquetWriter({ ...BEFORE, statistics: 'none' }) },
    { name: 'hyparquet stats keys', write: hyparquetWriter({ ...BEFORE, statistics: 'keys' }) },
    { name: 'hyparquet PLAIN doubles', write: hyparquetWriter({ ...BEFORE, encoding: 'by-type' }) },
    { name: 'hyparquet no copy', write: hyparquetWriter({ ...BEFORE, copy: false }) },
    { name: 'hyparquet one page per chunk', write: hyparquetWriter({ ...BEFORE, pageSize: 0 }) },
    {
      name: 'hyparquet stats keys + PLAIN doubles + no copy + one page (snappy)',
      write: hyparquetWriter({ codec: 'SNAPPY', statistics: 'keys', encoding: 'by-type', copy: false, pageSize: 0 }),
    },
    {
      name: 'hyparquet stats keys + PLAIN doubles + no copy + one page (uncompressed)',
      write: hyparquetWriter({
        codec: 'UNCOMPRESSED',
        statistics: 'keys',
        encoding: 'by-type',
        copy: false,
        pageSize: 0,
      }),
    },
    {
      name: 'hyparquet stats keys + PLAIN doubles and ints + no copy + one page',
      write: hyparquetWriter({
        codec: 'SNAPPY',
        statistics: 'keys',
        encoding: 'plain-numbers',
        copy: false,
        pageSize: 0,
      }),
    },
    { name: 'hyparquet as gridbatch used it until the flat writer', write: hyparquetBeforeFlat },
    { name: 'gridbatch now: flat writer (src/io/parquet-stream.ts)', write: gridbatchWriter },
  ];
  const pw = loadParquetWasm();
  if (pw) {
    list.push({ name: 'parquet-wasm snappy, stats all', write: parquetWasmWriter(pw, 'SNAPPY', false) });
    list.push({ name: 'parquet-wasm snappy, stats keys', write: parquetWasmWriter(pw, 'SNAPPY', true) });
  }
  return list;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const args = parseArgs(process.argv.slice(2));
  const { tables, solveCpuMs } = partTables(args.task, args.jobs);
  const list = candidates();
  const dir = mkdtempSync(join(tmpdir(), 'parquet-write-'));
  const ms = list.map(() => tables.map(() => [] as number[]));
  const cpu = list.map(() => [] as number[]);
  const bytes = list.map(() => tables.map(() => 0));
  try {
    for (let r = 0; r < args.rounds + 1; r++) {
      list.forEach((c, k) => {
        const c0 = process.cpuUsage();
        tables.forEach((t, i) => {
          const path = join(dir, `${k}-${t.name}.parquet`);
          const t0 = performance.now();
          c.write(path, t.columns);
          const dt = performance.now() - t0;
          if (r > 0) ms[k][i].push(dt); // round 0 warms the JIT
          bytes[k][i] = statSync(path).size;
        });
        const u = process.cpuUsage(c0);
        if (r > 0) cpu[k].push((u.user + u.system) / 1000);
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const rows = list.map((c, k) => {
    const perTable = Object.fromEntries(tables.map((t, i) => [t.name, median(ms[k][i])]));
    const total = tables.reduce((s, _, i) => s + median(ms[k][i]), 0);
    return {
      writer: c.name,
      ms: perTable,
      total_ms: total,
      cpu_ms: median(cpu[k]),
      mb: bytes[k].reduce((s, b) => s + b, 0) / 1e6,
    };
  });
  const base = rows[0].total_ms;
  const out = {
    task: args.task,
    jobs: args.jobs,
    rounds: args.rounds,
    solve_cpu_ms: solveCpuMs,
    rows_per_table: Object.fromEntries(tables.map((t) => [t.name, t.columns[0].data.length])),
    load_average: loadavg().map((l) => Math.round(l * 100) / 100),
    writers: rows.map((r) => ({ ...r, ratio_to_before: r.total_ms / base })),
  };
  if (args.json) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `${args.task}, ${args.jobs} case118 jobs a part (rows ${JSON.stringify(out.rows_per_table)}), median of ${args.rounds} rounds, load ${out.load_average.join(' ')}`,
  );
  console.log(`the part's solves (one cold solve a job, for scale): ${solveCpuMs.toFixed(0)} ms CPU`);
  const names = tables.map((t) => t.name);
  console.log(['writer'.padEnd(70), ...names.map((n) => n.padStart(8)), 'total', '  cpu', '   MB', 'ratio'].join(' '));
  for (const r of out.writers)
    console.log(
      [
        r.writer.padEnd(70),
        ...names.map((n) => r.ms[n].toFixed(1).padStart(8)),
        r.total_ms.toFixed(0).padStart(5),
        r.cpu_ms.toFixed(0).padStart(5),
        r.mb.toFixed(2).padStart(5),
        r.ratio_to_before.toFixed(2).padStart(5),
      ].join(' '),
    );
}

main();
