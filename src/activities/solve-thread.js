// Entry of a solve-pool worker thread. Threads do not inherit the parent's TypeScript loader,
// so register tsx here, then hand each task to the chunk runner.
require('tsx/cjs/api').register();
const { runChunk } = require('./chunk-runner.ts');
const { prepareSolvers } = require('../solvers/solve.ts');

module.exports = async function solveChunkInThread(input) {
  await prepareSolvers(input.task);
  return runChunk(input);
};
