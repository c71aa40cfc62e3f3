// Entry of a solve-pool worker thread. Threads do not inherit the parent's TypeScript loader,
// so register tsx here, then hand each task to the chunk runner.
require('tsx/cjs/api').register();
const { runChunk } = require('./chunk-runner.ts');

module.exports = function solveChunkInThread(input) {
  return runChunk(input);
};
