/**
 * A V8 code cache for the CLI's CommonJS modules (dist/ and node_modules), the Node 20 stand-in
 * for Node 22's module.enableCompileCache(): compiling the ~1,000 modules `start-batch` loads
 * took about a third of its start-up CPU, most of it V8 parsing the same unchanged files again.
 *
 * Each module is compiled as a vm.Script with its cached data when there is some for exactly
 * this content (sha1 of the source, checked on every load: an edited file is compiled afresh);
 * at exit the scripts compiled without a usable cache, and the ones whose functions ran since,
 * are serialized (createCachedData after running includes the lazily compiled functions) into
 * one file, written atomically (temp file + rename), so concurrent CLIs never read half a cache.
 * A cache V8 rejects (another Node version or V8 flags) is rebuilt, never trusted.
 *
 * Where: GRIDBATCH_COMPILE_CACHE (a file path), default .state/compile-cache-<node version>.bin
 * in the package root; GRIDBATCH_COMPILE_CACHE=off turns it off. Main thread only (threads
 * load their own modules). Plain CommonJS: it runs before any module it caches.
 */
'use strict';
const Module = require('node:module');
const vm = require('node:vm');
const { createHash } = require('node:crypto');
const { mkdirSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { threadId } = require('node:worker_threads');

const MAGIC = 'gridbatch-compile-cache-1';

/** modules compiled from the cache (hits) and without it (misses: none, stale or rejected) */
const stats = { hits: 0, misses: 0 };

/** { path: { sha, data: Buffer } } from the cache file, or {} when it is missing or unreadable. */
function readCache(file) {
  let buf;
  try {
    buf = readFileSync(file);
  } catch {
    return {};
  }
  try {
    // layout: u32 header length, JSON header [[path, sha, offset, length]...], then the data
    const headerLength = buf.readUInt32LE(0);
    const header = JSON.parse(buf.toString('utf8', 4, 4 + headerLength));
    if (header.magic !== MAGIC || header.node !== process.version) return {};
    const base = 4 + headerLength;
    const out = {};
    for (const [path, sha, offset, length] of header.entries)
      out[path] = { sha, data: buf.subarray(base + offset, base + offset + length) };
    return out;
  } catch {
    return {};
  }
}

function writeCache(file, entries) {
  const list = [];
  const datas = [];
  let offset = 0;
  for (const [path, e] of Object.entries(entries)) {
    list.push([path, e.sha, offset, e.data.length]);
    datas.push(e.data);
    offset += e.data.length;
  }
  const header = Buffer.from(JSON.stringify({ magic: MAGIC, node: process.version, entries: list }));
  const len = Buffer.alloc(4);
  len.writeUInt32LE(header.length, 0);
  mkdirSync(dirname(file), { recursive: true });
  // per process and thread: two solve threads of one CLI may flush at the same moment
  const tmp = `${file}.tmp-${process.pid}-${threadId}`;
  writeFileSync(tmp, Buffer.concat([len, header, ...datas]));
  renameSync(tmp, file);
}

/**
 * Installs the cache for the modules this process (or thread) loads from now on; no-op when off.
 * `role` names the cache file's variant: the CLI's main thread ('main', flushed at exit) or a
 * solve thread ('thread', which calls the returned flush after its first task: a terminated
 * thread never sees 'exit'). The resolved file is left in GRIDBATCH_COMPILE_CACHE for the threads.
 */
function installCompileCache(root, role = 'main') {
  const setting = process.env.GRIDBATCH_COMPILE_CACHE;
  if (setting === 'off' || typeof Module.prototype._compile !== 'function') return { flush: () => undefined };
  const base = setting || join(root, '.state', `compile-cache-${process.version}.bin`);
  if (!setting) process.env.GRIDBATCH_COMPILE_CACHE = base;
  const file = role === 'main' ? base : `${base}.${role}`;
  const cache = readCache(file);
  /** scripts to serialize at the next flush: the ones compiled without a usable cache */
  const fresh = new Map();
  const originalCompile = Module.prototype._compile;

  Module.prototype._compile = function compileCached(content, filename) {
    // ES modules, JSON and anything odd go the ordinary way
    if (!filename.endsWith('.js') && !filename.endsWith('.cjs')) return originalCompile.call(this, content, filename);
    const sha = createHash('sha1').update(content).digest('base64');
    const hit = cache[filename];
    const cachedData = hit && hit.sha === sha ? hit.data : undefined;
    let script;
    try {
      script = new vm.Script(Module.wrap(content), {
        filename,
        cachedData,
        // import() inside a cached module resolves as it would in an ordinary one
        importModuleDynamically: vm.constants?.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      return originalCompile.call(this, content, filename);
    }
    if (!cachedData || script.cachedDataRejected) {
      stats.misses++;
      fresh.set(filename, { script, sha });
    } else stats.hits++;
    const fn = script.runInThisContext({ displayErrors: true });
    const mod = this;
    const require = function require(id) {
      return mod.require(id);
    };
    require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
    require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
    require.main = process.mainModule;
    require.extensions = Module._extensions;
    require.cache = Module._cache;
    return fn.call(mod.exports, mod.exports, require, mod, filename, dirname(filename));
  };

  const flush = () => {
    if (fresh.size === 0) return;
    // merged with the file as it is now: another process or thread may have added modules meanwhile
    const entries = { ...readCache(file) };
    for (const [path, { script, sha }] of fresh) {
      try {
        entries[path] = { sha, data: script.createCachedData() };
      } catch {
        delete entries[path];
      }
    }
    fresh.clear();
    try {
      writeCache(file, entries);
    } catch {
      // a cache that cannot be written only costs the next start its compile time
    }
  };
  if (role === 'main') process.once('exit', flush);
  return { flush };
}

/** How many modules this process compiled from the cache and without it. */
function compileCacheStats() {
  return { ...stats };
}

module.exports = { installCompileCache, compileCacheStats };
