/**
 * The sparse LU backends a numerics suite runs on: the TypeScript LU always, KLU too where it is
 * installed (with CI=true it must be: tests/helpers/requirements.ts). `useLuBackend` pins
 * GRIDBATCH_LU for the describe block it is called in.
 */
import { skipGroup } from './requirements';

export type TestedLu = 'ts' | 'klu';

export function luBackends(where: string): TestedLu[] {
  return skipGroup('klu', `${where} (KLU backend)`) ? ['ts'] : ['ts', 'klu'];
}

export function useLuBackend(backend: TestedLu): void {
  let before: string | undefined;
  beforeAll(() => {
    before = process.env.GRIDBATCH_LU;
    process.env.GRIDBATCH_LU = backend;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.GRIDBATCH_LU;
    else process.env.GRIDBATCH_LU = before;
  });
}
