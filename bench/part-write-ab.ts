/**
 * A part of the bucket layout as a solve thread runs it (src/activities/part-runner.ts runPart:
 * solve 250 one-slice scenarios, build the bus / branch / gen / summary tables, write them and
 * the job records), this checkout against another one (`--base`, for example `git archive
 * <commit> | tar -x -C DIR` with node_modules linked in), alternating in fresh processes: the
 * first part of a process is cold (its code has never run, as in a fresh solve thread), the
 * next ones warm. Reported: medians over the rounds of the CPU ms of the cold part and of the
 * median warm part, the ratio base / this, and the load average.
 *
 *   npx tsx bench/part-write-ab.ts --study DIR --base DIR [--parts 4] [--rounds 5] [--json]
 *
 * --study is a materialized study of at least parts x 250 one-slice scenarios (the GAT-format
 * pair of bench:batch leaves them under $GRIDBATCH_BENCH_DIR/gat-1000/scenarios-0); each side
 * works on its own copy of it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const JOBS_A_PART = 250;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

interface Manifest {
  scenarios: { scenarioId: string }[];
}

/** In the child: `parts` parts through `root`'s runPart; CPU ms of each. */
function child(root: string, study: string, parts: number): number[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runPart } = require(join(root, 'src', 'activities', 'part-runner')) as {
    runPart(input: { refs: object[] }): { total: { ok: number } };
  };
  const m = JSON.parse(readFileSync(join(study, 'scenario_manifest.json'), 'utf8')) as Manifest;
  const cpu: number[] = [];
  for (let p = 0; p < parts; p++) {
    const refs = m.scenarios.slice(p * JOBS_A_PART, (p + 1) * JOBS_A_PART).map((s, k) => ({
      outDir: study,
      task: 'pf_dc',
      scenarioIndex: p * JOBS_A_PART + k,
      scenarioId: s.scenarioId,
      chunk: 0,
      sliceStart: 0,
      sliceEnd: 1,
    }));
    const c0 = process.cpuUsage();
    const r = runPart({ refs });
    const u = process.cpuUsage(c0);
    if (r.total.ok !== refs.length) throw new Error(`part ${p}: ${r.total.ok} of ${refs.length} ok`);
    cpu.push((u.user + u.system) / 1000);
  }
  return cpu;
}

/** A copy of the study for one side, its paths rewritten to the copy. */
function studyCopy(study: string, name: string): string {
  const to = join(tmpdir(), `part-write-ab-${process.pid}-${name}`);
  rmSync(to, { recursive: true, force: true });
  cpSync(study, to, { recursive: true });
  for (const f of ['scenario_manifest.json', 'run_record.json']) {
    const p = join(to, f);
    try {
      writeFileSync(p, readFileSync(p, 'utf8').split(study).join(to));
    } catch {
      // a study without a run record
    }
  }
  return to;
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(child(argv[1], argv[2], Number(argv[3]))));
    return;
  }
  const opt = (k: string, d?: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  const study = resolve(opt('--study') ?? '');
  const base = resolve(opt('--base') ?? '');
  if (!opt('--study') || !opt('--base')) throw new Error('usage: --study DIR --base DIR');
  const parts = Number(opt('--parts', '4'));
  const rounds = Number(opt('--rounds', '5'));
  const sides = [
    { name: 'base', root: base },
    { name: 'this', root: resolve(__dirname, '..') },
  ].map((s) => ({ ...s, study: studyCopy(study, s.name), runs: [] as number[][] }));
  const load0 = loadavg();
  try {
    for (let r = 0; r < rounds; r++)
      for (const s of r % 2 ? [...sides].reverse() : sides) {
        // the parts' files are new in a run, as in a study's first run (a rename over an old file costs more)
        for (const d of ['results', 'jobs']) rmSync(join(s.study, d), { recursive: true, force: true });
        const out = execFileSync(
          process.execPath,
          [...process.execArgv, __filename, '--child', s.root, s.study, String(parts)],
          { encoding: 'utf8' },
        );
        s.runs.push(JSON.parse(out) as number[]);
      }
  } finally {
    for (const s of sides) rmSync(s.study, { recursive: true, force: true });
  }
  const rows = sides.map((s) => ({
    side: s.name,
    root: s.root,
    cold_ms: median(s.runs.map((r) => r[0])),
    warm_ms: median(s.runs.map((r) => median(r.slice(1)))),
    all_parts_ms: median(s.runs.map((r) => r.reduce((a, b) => a + b, 0))),
  }));
  const round2 = (xs: number[]) => xs.map((l) => Math.round(l * 100) / 100);
  const out = {
    parts,
    jobs_a_part: JOBS_A_PART,
    rounds,
    load_before: round2(load0),
    load_after: round2(loadavg()),
    rows,
  };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `runPart, ${parts} parts of ${JOBS_A_PART} one-slice pf_dc scenarios a process, fresh processes alternating, median of ${rounds}; load ${out.load_before.join(' ')} -> ${out.load_after.join(' ')}`,
  );
  for (const r of rows)
    console.log(
      `${r.side.padEnd(5)} cold part ${r.cold_ms.toFixed(0).padStart(5)} ms CPU, warm part ${r.warm_ms.toFixed(0).padStart(5)} ms, all ${r.all_parts_ms.toFixed(0).padStart(5)} ms  (${r.root})`,
    );
  const [a, b] = rows;
  console.log(
    `base / this: cold ${(a.cold_ms / b.cold_ms).toFixed(2)}x, warm ${(a.warm_ms / b.warm_ms).toFixed(2)}x, all parts ${(a.all_parts_ms / b.all_parts_ms).toFixed(2)}x`,
  );
}

main();
