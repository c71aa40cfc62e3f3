/**
 * Tests that need Python packages: run when python3 has them, skipped with a message when not,
 * and failed (not skipped) under CI=true, where .ci/run installs them.
 */
import { spawnSync } from 'node:child_process';

export function pythonHas(modules: string): { ok: boolean; why: string } {
  const r = spawnSync('python3', ['-c', `import ${modules}`], { encoding: 'utf8' });
  if (r.error) return { ok: false, why: 'python3 not found' };
  return r.status === 0 ? { ok: true, why: '' } : { ok: false, why: (r.stderr.trim().split('\n').pop() ?? '').slice(0, 200) };
}

export function gate(name: string, modules: string, install: string): typeof test {
  const p = pythonHas(modules);
  if (p.ok) return test;
  if (process.env.CI === 'true') {
    return ((title: string) => test(title, () => { throw new Error(`${name} needs ${modules} in python3 (${install}): ${p.why}`); })) as unknown as typeof test;
  }
  console.warn(`SKIPPED ${name}: python3 lacks ${modules} (${p.why}); ${install}. CI installs it.`);
  return test.skip;
}
