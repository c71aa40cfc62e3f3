/**
 * The Parquet writer of a part, cold and warm: each round starts a fresh process per candidate
 * (alternating), which solves one part's case118 jobs (bench/parquet-write-tables.ts: bus,
 * branch, gen, summary, job records), then writes the part's five tables once (cold: the
 * writer's code has never run in this V8 isolate, as in a fresh solve thread) and `--warm` more
 * times (warm: median). Reported: medians over the rounds of CPU ms (user + system) and wall ms
 * of a part, the ratio before / now, the bytes, and the load average.
 *
 *   npx tsx bench/parquet-write-cold.ts [--task pf_dc|pf_ac] [--jobs 250] [--rounds 7] [--warm 5] [--json]
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { hyparquetBeforeFlat, type Writer } from './parquet-write-candidates';
import { partTables } from './parquet-write-tables';
import { ParquetStream } from '../src/io/parquet-stream';

const CANDIDATES: Record<string, Writer> = {
  'hyparquet-writer (gridbatch before)': hyparquetBeforeFlat,
  'flat writer (gridbatch now)': (path, columns) => {
    const s = new ParquetStream(path, columns);
    s.write(columns);
    s.finish();
    return statSync(path).size;
  },
};
const NAMES = Object.keys(CANDIDATES);

interface Sample {
  coldCpu: number;
  coldWall: number;
  warmCpu: number;
  warmWall: number;
  bytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** In the child: one candidate's cold part and warm parts. */
function child(name: string, task: 'pf_dc' | 'pf_ac', jobs: number, warm: number): Sample {
  const { tables } = partTables(task, jobs);
  const write = CANDIDATES[name];
  const dir = mkdtempSync(join(tmpdir(), 'parquet-cold-'));
  try {
    const part = () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      let bytes = 0;
      for (const t of tables) bytes += write(join(dir, `${t.name}.parquet`), t.columns);
      const u = process.cpuUsage(c0);
      return { cpu: (u.user + u.system) / 1000, wall: performance.now() - t0, bytes };
    };
    const cold = part();
    const warms = Array.from({ length: warm }, part);
    return {
      coldCpu: cold.cpu,
      coldWall: cold.wall,
      warmCpu: median(warms.map((w) => w.cpu)),
      warmWall: median(warms.map((w) => w.wall)),
      bytes: cold.bytes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function main(): void {
  const argv = process.argv.slice(2);
  const opt = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  const task = opt('--task', 'pf_dc') === 'pf_ac' ? 'pf_ac' : 'pf_dc';
  const jobs = Number(opt('--jobs', '250'));
  const warm = Number(opt('--warm', '5'));
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(child(argv[1], task, jobs, warm)));
    return;
  }
  const rounds = Number(opt('--rounds', '7'));
  const load0 = loadavg();
  const samples = NAMES.map(() => [] as Sample[]);
  for (let r = 0; r < rounds; r++)
    NAMES.forEach((name, k) => {
      const out = execFileSync(
        process.execPath,
        [
          ...process.execArgv,
          __filename,
          '--child',
          name,
          '--task',
          task,
          '--jobs',
          String(jobs),
          '--warm',
          String(warm),
        ],
        { encoding: 'utf8' },
      );
      samples[k].push(JSON.parse(out) as Sample);
    });
  const rows = NAMES.map((name, k) => {
    const s = samples[k];
    return {
      writer: name,
      cold_cpu_ms: median(s.map((x) => x.coldCpu)),
      cold_wall_ms: median(s.map((x) => x.coldWall)),
      warm_cpu_ms: median(s.map((x) => x.warmCpu)),
      warm_wall_ms: median(s.map((x) => x.warmWall)),
      mb: s[0].bytes / 1e6,
    };
  });
  const round2 = (xs: number[]) => xs.map((l) => Math.round(l * 100) / 100);
  const out = { task, jobs, rounds, warm_parts: warm, load_before: round2(load0), load_after: round2(loadavg()), rows };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `${task}, one part of ${jobs} case118 jobs (5 tables), fresh process per candidate, alternating, median of ${rounds} rounds; load ${out.load_before.join(' ')} -> ${out.load_after.join(' ')}`,
  );
  console.log(['writer'.padEnd(38), 'cold cpu', 'cold wall', 'warm cpu', 'warm wall', '   MB'].join(' '));
  for (const r of rows)
    console.log(
      [
        r.writer.padEnd(38),
        r.cold_cpu_ms.toFixed(1).padStart(8),
        r.cold_wall_ms.toFixed(1).padStart(9),
        r.warm_cpu_ms.toFixed(1).padStart(8),
        r.warm_wall_ms.toFixed(1).padStart(9),
        r.mb.toFixed(3).padStart(6),
      ].join(' '),
    );
  const [a, b] = rows;
  console.log(
    `ratio before / now: cold cpu ${(a.cold_cpu_ms / b.cold_cpu_ms).toFixed(2)}x, warm cpu ${(a.warm_cpu_ms / b.warm_cpu_ms).toFixed(2)}x`,
  );
}

main();
