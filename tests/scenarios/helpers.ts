import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { InputError, isInputError } from '../../src/errors';

export const FIXTURES = resolve(__dirname, '../fixtures/specs');
export const CASE14 = join(FIXTURES, 'case14.m');
export const CASE118 = join(FIXTURES, 'case118.m');

/** A fresh temp folder per call; files are written into it. */
export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gridbatch-spec-'));
}

export function writeSpec(dir: string, name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** Runs fn, expects an InputError, returns it. */
export function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (isInputError(e)) return e as InputError;
    throw e;
  }
  throw new Error('expected an InputError, nothing was thrown');
}

/** The YAML header every inline test spec starts with (grid: the case14 fixture). */
export function head(extra = ''): string {
  return `version: 1\ngrid_file: ${JSON.stringify(CASE14)}\n${extra}`;
}
