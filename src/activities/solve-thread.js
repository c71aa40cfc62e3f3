// Entry of a solve-pool worker thread. Threads do not inherit the parent's TypeScript loader: in
// the sources (src/) register tsx here; in the prebuilt copy (dist/src/, scripts/build-dist.cjs)
// the modules beside this file are JavaScript already. Then hand each task to the chunk runner.
if (!require('node:fs').existsSync(require('node:path').join(__dirname, 'chunk-runner.js'))) {
  require('tsx/cjs/api').register();
}
const { runChunkInLayout, runPart } = require('./part-runner');
const { prepareSolvers } = require('../solvers/solve');
const { userFixable } = require('../io/output-errors');
const { isInputError } = require('../errors');
const { layout } = require('../io/layout');
// apache-arrow (the grid's Arrow copy) loads lazily on the main thread; here, at thread start,
// off the path of the first materialize or chunk
require('../io/grid-arrow');

// `input`: a chunk (ChunkInput), or a part of the bucket layout ({ refs, stop }: part-runner.ts)
module.exports = async function solveChunkInThread(input) {
  const ref = input.refs ? input.refs[0] : input;
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
  }
};

// `fn(outDir, opts)` of a gridbatch module (materialize, the batch manifest) on a thread that is
// already warm. Errors come back as values: a thrown InputError would lose its name in transit.
module.exports.callModule = async function callModule({ module, fn, outDir, opts }) {
  try {
    return { result: await require(module)[fn](outDir, opts) };
  } catch (e) {
    return { error: { name: e && e.name, message: String((e && e.message) || e) } };
  }
};

// a no-op task: submitted while no thread is ready, it makes the pool start one (solve-pool.ts warmSolvePool)
module.exports.warm = async function warm() {
  return true;
};
