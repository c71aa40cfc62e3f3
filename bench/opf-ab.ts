/**
 * One AC OPF (solveOpfAc) per fresh process, two or more sides alternating: checkouts (a root
 * with src/ and node_modules, e.g. `git archive <commit> | tar -x -C DIR` with node_modules
 * linked in) and environments (GRIDBATCH_LU, GRIDBATCH_LU_KERNEL, ...). Reported per side: the
 * median over the rounds of the solve's process CPU time (case parsing excluded) and wall time,
 * the iterations and objective (which must agree), and the load average before and after.
 *
 *   npx tsx bench/opf-ab.ts --case case9241pegase --rounds 3 \
 *     --side main=/tmp/main,GRIDBATCH_LU=ts --side this=.,GRIDBATCH_LU=ts [--json]
 *
 * A side is `name=ROOT[,KEY=VALUE...]`; ROOT "." is this checkout.
 */
import { execFileSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';

interface Run {
  cpu_ms: number;
  wall_ms: number;
  iterations: number;
  objective: number;
  converged: boolean;
}

interface Side {
  name: string;
  root: string;
  env: Record<string, string>;
  runs: Run[];
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** In the child: parse the case, then time one solveOpfAc. */
function child(root: string, caseName: string): Run {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { readCaseFile } = require(join(root, 'src', 'grid', 'matpower-case')) as {
    readCaseFile(path: string): unknown;
  };
  const { solveOpfAc } = require(join(root, 'src', 'solvers', 'opf')) as {
    solveOpfAc(net: unknown): { iterations: number; objective: number | null; converged: boolean };
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
  const net = readCaseFile(join(root, 'tests', 'fixtures', 'cases', `${caseName}.m`));
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const s = solveOpfAc(net);
  const wall = performance.now() - t0;
  const u = process.cpuUsage(c0);
  return {
    cpu_ms: (u.user + u.system) / 1000,
    wall_ms: wall,
    iterations: s.iterations,
    objective: s.objective ?? NaN,
    converged: s.converged,
  };
}

function parseSide(spec: string): Side {
  const [head, ...kv] = spec.split(',');
  const eq = head.indexOf('=');
  if (eq < 1) throw new Error(`--side ${spec}: expected name=ROOT[,KEY=VALUE...]`);
  const root = head.slice(eq + 1);
  const env: Record<string, string> = {};
  for (const p of kv) {
    const i = p.indexOf('=');
    if (i < 1) throw new Error(`--side ${spec}: ${p} is not KEY=VALUE`);
    env[p.slice(0, i)] = p.slice(i + 1);
  }
  return { name: head.slice(0, eq), root: root === '.' ? resolve(__dirname, '..') : resolve(root), env, runs: [] };
}

function main(): void {
  const argv = process.argv.slice(2);
  if (argv[0] === '--child') {
    process.stdout.write(JSON.stringify(child(argv[1], argv[2])));
    return;
  }
  const opt = (k: string, d: string) => (argv.includes(k) ? argv[argv.indexOf(k) + 1] : d);
  const caseName = opt('--case', 'case9241pegase');
  const rounds = Number(opt('--rounds', '3'));
  const sides = argv.flatMap((a, i) => (a === '--side' ? [parseSide(argv[i + 1])] : []));
  if (sides.length < 1) throw new Error('usage: --side name=ROOT[,KEY=VALUE...] (one or more)');
  const load0 = loadavg();
  for (let r = 0; r < rounds; r++)
    for (const s of r % 2 ? [...sides].reverse() : sides) {
      const out = execFileSync(process.execPath, [...process.execArgv, __filename, '--child', s.root, caseName], {
        encoding: 'utf8',
        env: { ...process.env, ...s.env },
        maxBuffer: 1 << 24,
      });
      s.runs.push(JSON.parse(out.trim().split('\n').pop() ?? '') as Run);
      if (!argv.includes('--json'))
        console.error(
          `round ${r + 1} ${s.name}: ${s.runs[s.runs.length - 1].cpu_ms.toFixed(0)} ms CPU (load ${loadavg()[0].toFixed(2)})`,
        );
    }
  const round2 = (xs: number[]) => xs.map((l) => Math.round(l * 100) / 100);
  const rows = sides.map((s) => ({
    side: s.name,
    root: s.root,
    env: s.env,
    cpu_ms: median(s.runs.map((x) => x.cpu_ms)),
    wall_ms: median(s.runs.map((x) => x.wall_ms)),
    cpu_all_ms: s.runs.map((x) => Math.round(x.cpu_ms)),
    iterations: [...new Set(s.runs.map((x) => x.iterations))],
    objective: [...new Set(s.runs.map((x) => x.objective))],
    converged: s.runs.every((x) => x.converged),
  }));
  const out = { case: caseName, rounds, load_before: round2(load0), load_after: round2(loadavg()), rows };
  if (argv.includes('--json')) {
    console.log(JSON.stringify(out, null, 2));
    return;
  }
  console.log(
    `solveOpfAc ${caseName}, one solve a fresh process, sides alternating, median of ${rounds}; load ${out.load_before.join(' ')} -> ${out.load_after.join(' ')}`,
  );
  for (const r of rows)
    console.log(
      `${r.side.padEnd(8)} ${(r.cpu_ms / 1000).toFixed(2).padStart(7)} s CPU  ${(r.wall_ms / 1000).toFixed(2).padStart(7)} s wall  runs ${r.cpu_all_ms.map((x) => (x / 1000).toFixed(2)).join(' ')}  its ${r.iterations.join('/')}  f ${r.objective.join(' / ')}${r.converged ? '' : '  NOT CONVERGED'}  ${JSON.stringify(r.env)}`,
    );
  for (const r of rows.slice(1))
    console.log(`${rows[0].side} / ${r.side}: ${(rows[0].cpu_ms / r.cpu_ms).toFixed(2)}x CPU`);
}

main();
