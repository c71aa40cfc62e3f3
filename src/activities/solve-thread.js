// Entry of a solve-pool worker thread. Threads do not inherit the parent's TypeScript loader: in
// the sources (src/) register tsx here; in the prebuilt copy (dist/src/, scripts/build-dist.cjs)
// the modules beside this file are JavaScript already. Then hand each task to the chunk runner.
// The CLI's V8 code cache (bin/compile-cache.cjs, its variant for threads) when the CLI runs one
// (GRIDBATCH_COMPILE_CACHE set by bin/gridbatch.cjs) and this is the prebuilt copy under <root>/dist.
const { existsSync } = require('node:fs');
const { join } = require('node:path');
let compileCache = { flush: () => undefined };
if (!existsSync(join(__dirname, 'chunk-runner.js'))) {
  require('tsx/cjs/api').register();
} else if (process.env.GRIDBATCH_COMPILE_CACHE && process.env.GRIDBATCH_COMPILE_CACHE !== 'off') {
  const root = join(__dirname, '..', '..', '..');
  const cacheModule = join(root, 'bin', 'compile-cache.cjs');
  if (existsSync(cacheModule)) compileCache = require(cacheModule).installCompileCache(root, 'thread');
  // apache-arrow, zod, yaml... from one prebuilt file each, as on the CLI's main thread
  const vendorModule = join(root, 'bin', 'vendor-modules.cjs');
  if (existsSync(vendorModule)) require(vendorModule).installVendorModules(join(__dirname, '..', '..', 'vendor'), root);
}
const { mark } = require('../cli/timings');
mark('thread-start');
// writes the modules compiled so far (their functions that ran included) once, after the first
// task, before its result: piscina's idle thread waits in Atomics.wait, so a callback scheduled for
// later may never run before the pool terminates it. Only a run with a stale cache pays for it.
let flushed = false;
function flushCompileCache() {
  if (flushed) return;
  flushed = true;
  compileCache.flush();
}
const { runChunkInLayout, runPart } = require('./part-runner');
const { prepareSolvers } = require('../solvers/solve');
const { userFixable } = require('../io/output-errors');
const { isInputError } = require('../errors');
const { layout } = require('../io/layout');
// apache-arrow (the grid's Arrow copy) loads lazily on the main thread; here, at thread start,
// off the path of the first materialize or chunk
require('../io/grid-arrow');
mark('thread-loaded');
let tasks = 0;

// `input`: a chunk (ChunkInput), or a part of the bucket layout ({ refs, stop }: part-runner.ts)
module.exports = async function solveChunkInThread(input) {
  const ref = input.refs ? input.refs[0] : input;
  const k = ++tasks;
  mark(`thread-solve${k}-start`);
  await prepareSolvers(ref.task);
  try {
    return input.refs ? runPart(input) : runChunkInLayout(input);
  } catch (e) {
    // An error the user must fix (bad input, disk full, permissions) crosses the thread boundary as a value:
    // an Error's name and code do not survive the copy, and the activity must tell it apart.
    // (a thrown InputError arrived as a plain Error and was retried like a transient one)
    if (isInputError(e)) return { inputError: e.message };
    // a cancel (the chunk's stop flag, solvers/stop.ts) ends the chunk; the thread stays alive
    if (e && e.name === 'SolveStopped') return { cancelled: e.message };
    const fixable = userFixable(e, layout.resultsRoot(ref.outDir, ref.task));
    if (fixable) return { outputError: fixable.message };
    throw e;
  } finally {
    flushCompileCache();
    mark(`thread-solve${k}-end`);
  }
};

// `fn(outDir, opts)` of a gridbatch module (materialize, the batch manifest) on a thread that is
// already warm. Errors come back as values: a thrown InputError would lose its name in transit.
module.exports.callModule = async function callModule({ module, fn, outDir, opts }) {
  mark(`thread-${fn}-start`);
  try {
    return { result: await require(module)[fn](outDir, opts) };
  } catch (e) {
    return { error: { name: e && e.name, message: String((e && e.message) || e) } };
  } finally {
    mark(`thread-${fn}-end`);
  }
};

// a step of a small study's warm-up (thread-warmup.ts); a failed warm-up only costs its time
module.exports.warmStudy = async function warmStudy(step) {
  try {
    await prepareSolvers(step.task);
    const n = await require('./thread-warmup').warmStudy(step);
    mark(`thread-warm-${typeof step.step === 'string' ? step.step : step.step.from}-end`);
    return n;
  } catch {
    return -1;
  }
};

// a no-op task: submitted while no thread is ready, it makes the pool start one (solve-pool.ts warmSolvePool)
module.exports.warm = async function warm() {
  return true;
};
