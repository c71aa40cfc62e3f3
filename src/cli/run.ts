/**
 * Running the command line: parse the arguments, run the command, map errors to exit codes
 * (0 ok, 1 some jobs failed, 2 bad input or usage, 3 operational error). client.ts's main and
 * the tests go through the same code, so a test run in-process sees exactly what a user sees;
 * with `capture: true` what the command prints is collected instead of written.
 */
import { format } from 'node:util';
import { Command, CommanderError } from 'commander';
import { EXIT, reportError } from './exit';

/** Builds the commander program; each action hands its result (exit code or promise of one) to `run`. */
export type ProgramBuilder = (run: (p: Promise<number> | number) => void) => Command;

export interface CliResult {
  code: number;
  /** what was printed (only with `capture: true`; empty otherwise) */
  stdout: string;
  stderr: string;
}

/**
 * Runs one command. `argv` holds the user's arguments only (e.g. `['solve', 'case.m', '--out', 'o']`).
 * Never throws: every error becomes a message on stderr and an exit code.
 */
export async function runCli(
  argv: readonly string[],
  build: ProgramBuilder,
  opts: { capture?: boolean } = {},
): Promise<CliResult> {
  const cap = opts.capture ? captureOutput() : undefined;
  try {
    const code = await execute(argv, build);
    return { code, stdout: cap?.stdout() ?? '', stderr: cap?.stderr() ?? '' };
  } finally {
    cap?.restore();
  }
}

async function execute(argv: readonly string[], build: ProgramBuilder): Promise<number> {
  let pending: Promise<number> | undefined;
  try {
    build((p) => {
      pending = Promise.resolve(p);
    }).parse([...argv], { from: 'user' });
  } catch (e) {
    // commander has printed its own message (usage errors) or the help / version text
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.OK : EXIT.BAD_INPUT;
    return reportError(e);
  }
  if (!pending) return EXIT.OK;
  try {
    return await pending;
  } catch (e) {
    return reportError(e);
  }
}

type Write = typeof process.stdout.write;

/** Redirects console.* and process.stdout/stderr.write into strings until restore(). */
function captureOutput(): { stdout(): string; stderr(): string; restore(): void } {
  const out: string[] = [];
  const err: string[] = [];
  const saved = {
    outWrite: process.stdout.write,
    errWrite: process.stderr.write,
    log: console.log,
    info: console.info,
    warn: console.warn,
    error: console.error,
  };
  const writer = (sink: string[]): Write =>
    ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      sink.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      const cb = rest.find((r) => typeof r === 'function') as (() => void) | undefined;
      if (cb) process.nextTick(cb);
      return true;
    }) as Write;
  process.stdout.write = writer(out);
  process.stderr.write = writer(err);
  console.log = (...a: unknown[]) => {
    out.push(`${format(...a)}\n`);
  };
  console.info = console.log;
  console.warn = (...a: unknown[]) => {
    err.push(`${format(...a)}\n`);
  };
  console.error = console.warn;
  return {
    stdout: () => out.join(''),
    stderr: () => err.join(''),
    restore: () => {
      process.stdout.write = saved.outWrite;
      process.stderr.write = saved.errWrite;
      Object.assign(console, { log: saved.log, info: saved.info, warn: saved.warn, error: saved.error });
    },
  };
}
