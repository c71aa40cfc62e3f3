/**
 * The Temporal API's protobuf codecs from the last runs instead of generated afresh: protobufjs
 * (the copy @temporalio/proto loads) writes each message type's encode, decode, verify, fromObject,
 * toObject and constructor as JavaScript source the first time the type is used and compiles it
 * with new Function(); `start-batch` sets up ~75 types and ~340 constructors that way on its main
 * thread (DescribeNamespace, the eager workflow start, activations), ~60-90 ms of CPU on every
 * start, the same source each time.
 *
 * Here Type#setup and Type.generateConstructor take a type's functions from a cache module
 * (factories taking the scope the generated code sees: Writer / Reader, types, util, C) when it
 * holds them; a type it lacks is set up as always and its generated source is added to the module
 * at exit (written atomically, merged with the file as it is then). The module is loaded with
 * require, so the compile cache (bin/compile-cache.cjs) keeps its compiled code too.
 *
 * Never old code: the cache module carries a fingerprint of protobufjs's sources and the API's
 * definitions (@temporalio/proto's json-module.js): path, size, inode, mtime and ctime of each;
 * a module of another fingerprint is not used (and replaced at exit). Type#setup below does what
 * protobufjs's own does; it is installed only while protobufjs's setup is the one it copies
 * (SETUP_SHA1), so another protobufjs version runs its own code, uncached.
 *
 * Where: GRIDBATCH_PROTO_CODEC_CACHE (a file path), default .state/proto-codecs.js in the package
 * root; GRIDBATCH_PROTO_CODEC_CACHE=off turns it off. Main thread only. Plain CommonJS.
 */
'use strict';
const Module = require('node:module');
const { createHash } = require('node:crypto');
const { mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } = require('node:fs');
const { dirname, join } = require('node:path');
const { threadId } = require('node:worker_threads');

const MAGIC = 'gridbatch-proto-codecs-1';
/**
 * sha1 of protobufjs's Type.prototype.setup source (sourceSha1: the same in node_modules and in
 * the esbuild bundle of bin/vendor-modules.cjs) that patchType's setup reproduces (protobufjs 8.8)
 */
const SETUP_SHA1 = '8bdc886474aca1ef2b59114fbf996f5ac3a50e01';
/** each generated function's scope: the names its factory takes, in Type#setup's order */
const SCOPES = {
  encode: ['Writer', 'types', 'util'],
  decode: ['Reader', 'types', 'util', 'C'],
  verify: ['types', 'util'],
  fromObject: ['types', 'util', 'C'],
  toObject: ['types', 'util'],
  ctor: [],
};

/** codec functions taken from the cache and generated afresh (this process) */
const stats = { hits: 0, misses: 0 };

/** The protobufjs folder @temporalio/proto loads, or undefined when either does not resolve. */
function protobufDir(root) {
  try {
    const proto = dirname(require.resolve('@temporalio/proto/package.json', { paths: [root] }));
    return { protobuf: dirname(require.resolve('protobufjs/light', { paths: [proto] })), proto };
  } catch {
    return undefined;
  }
}

/** sha1 of the stat of protobufjs's sources and @temporalio/proto's definitions: changes with any of them. */
function fingerprint(dirs) {
  const files = [join(dirs.protobuf, 'package.json'), join(dirs.proto, 'package.json')];
  files.push(join(dirs.proto, 'protos', 'json-module.js'));
  for (const sub of ['src', join('src', 'util')])
    for (const f of readdirSync(join(dirs.protobuf, sub)).sort())
      if (f.endsWith('.js')) files.push(join(dirs.protobuf, sub, f));
  const h = createHash('sha1').update(MAGIC);
  for (const f of files) {
    const st = statSync(f, { bigint: true });
    h.update(`${f}\0${st.size}\0${st.ino}\0${st.mtimeNs}\0${st.ctimeNs}\0`);
  }
  return h.digest('hex');
}

/** { fullName: { kind: factory } } of the cache module when it is of `print`, else {}. */
function readCodecs(file, print) {
  let content;
  try {
    content = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  // its fingerprint is on the first line: a stale module is not even compiled
  if (!content.startsWith(`// ${MAGIC} ${print}\n`)) return {};
  try {
    const mod = require(file);
    return mod && typeof mod.types === 'object' ? mod.types : {};
  } catch {
    return {};
  }
}

/** The cache module's text: each type's factories as source. */
function moduleText(print, sources) {
  const lines = [`// ${MAGIC} ${print}`, "'use strict';", 'exports.types = {'];
  for (const [name, kinds] of Object.entries(sources)) {
    const fns = Object.entries(kinds).map(
      ([kind, src]) => `${kind}: function (${SCOPES[kind].join(', ')}) {\n  return ${src};\n}`,
    );
    lines.push(`${JSON.stringify(name)}: {\n${fns.join(',\n')}\n},`);
  }
  lines.push('};', '');
  return lines.join('\n');
}

/** The generated source a factory returns (`function (...) {\n  return <source>;\n}`). */
function returnedSource(factory) {
  const text = factory.toString();
  const start = text.indexOf('return ') + 'return '.length;
  return text.slice(start, text.lastIndexOf(';'));
}

/** sha1 of a function's source without comments and white space, `{ a: a }` written `{ a }` (as esbuild prints it). */
function sourceSha1(fn) {
  const text = fn
    .toString()
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\/\/[^\n]*/g, '')
    .replace(/\s+/g, '')
    .replace(/([{,])([\w$]+):\2(?=[,}])/g, '$1$2');
  return createHash('sha1').update(text).digest('hex');
}

/**
 * Installs the cached setup on the Type of protobufjs's light build `pb`, for the types of the
 * Temporal API's `root` only (another root on the same protobufjs is set up as always); returns the flush.
 */
function patchType(pb, root, codecs, print, file) {
  const { Type, Writer, Reader, util, wrappers } = pb;
  const originalSetup = Type.prototype.setup;
  const originalCtor = Type.generateConstructor;
  if (sourceSha1(originalSetup) !== SETUP_SHA1) return undefined;
  /** fullName -> { kind: generated source } of the types generated afresh */
  const fresh = new Map();
  const ctorMisses = [];

  Type.generateConstructor = function generateConstructor(mtype) {
    if (mtype.root !== root) return originalCtor.call(this, mtype);
    const hit = codecs[mtype.fullName];
    if (hit && hit.ctor) {
      stats.hits++;
      return () => hit.ctor();
    }
    stats.misses++;
    const gen = originalCtor.call(this, mtype);
    ctorMisses.push({ mtype, gen });
    return gen;
  };

  Type.prototype.setup = function setup() {
    if (this.root !== root) return originalSetup.call(this);
    const hit = codecs[this.fullName];
    const fullName = this.fullName;
    if (!hit || !hit.encode || wrappers[fullName]) {
      originalSetup.call(this);
      if (!wrappers[fullName]) {
        stats.misses++;
        const kinds = fresh.get(fullName) ?? {};
        for (const kind of ['encode', 'decode', 'verify', 'fromObject', 'toObject'])
          kinds[kind] = this[kind].toString();
        fresh.set(fullName, kinds);
      }
      return this;
    }
    stats.hits++;
    // protobufjs's Type#setup, with the generated functions from the cache
    if (root._needsRecursiveFeatureResolution) {
      const edition = root._edition || this._edition;
      if (edition) root._resolveFeaturesRecursive(edition);
    }
    const types = [];
    for (let i = 0; i < /* initializes */ this.fieldsArray.length; ++i)
      types.push(this._fieldsArray[i].resolve().resolvedType);
    this.encode = hit.encode(Writer, types, util);
    this.decode = hit.decode(Reader, types, util, this.ctor);
    this.verify = hit.verify(types, util);
    this.fromObject = hit.fromObject(types, util, this.ctor);
    this.toObject = hit.toObject(types, util);
    return this;
  };

  return () => {
    for (const { mtype, gen } of ctorMisses) {
      // the getter finished it at once: the constructor is the generated function
      const src = gen.toString();
      if (mtype._ctor && mtype._ctor.toString() === src) {
        const kinds = fresh.get(mtype.fullName) ?? {};
        kinds.ctor = src;
        fresh.set(mtype.fullName, kinds);
      }
    }
    ctorMisses.length = 0;
    if (fresh.size === 0) return;
    // merged with the module as it is now: another process may have added types meanwhile
    const sources = {};
    let onDisk = {};
    try {
      const text = readFileSync(file, 'utf8');
      if (text.startsWith(`// ${MAGIC} ${print}\n`)) {
        const m = { exports: {} };
        new Function('exports', 'module', text)(m.exports, m); // eslint-disable-line no-new-func
        onDisk = m.exports.types ?? {};
      }
    } catch {
      onDisk = {};
    }
    for (const source of [onDisk, codecs])
      for (const [name, kinds] of Object.entries(source))
        for (const [kind, factory] of Object.entries(kinds))
          if (kind in SCOPES) (sources[name] ??= {})[kind] = returnedSource(factory);
    for (const [name, kinds] of fresh) Object.assign((sources[name] ??= {}), kinds);
    fresh.clear();
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.tmp-${process.pid}-${threadId}`;
      writeFileSync(tmp, moduleText(print, sources));
      renameSync(tmp, file);
    } catch {
      // a cache that cannot be written only costs the next start its code generation
    }
  };
}

/**
 * Installs the cache for the protobufjs that @temporalio/proto loads, when its definitions
 * (protos/json-module.js) have loaded: codecs are set up on first use, never while loading.
 * Nothing is loaded here. No-op when off, when the packages do not resolve, or for another protobufjs.
 */
function installProtoCodecCache(root) {
  const setting = process.env.GRIDBATCH_PROTO_CODEC_CACHE;
  if (setting === 'off') return false;
  const dirs = protobufDir(root);
  if (!dirs) return false;
  const file = setting || join(root, '.state', 'proto-codecs.js');
  const definitions = join(dirs.proto, 'protos', 'json-module.js');
  const originalLoad = Module.prototype.load;
  Module.prototype.load = function load(filename) {
    originalLoad.apply(this, arguments);
    if (filename !== definitions) return;
    Module.prototype.load = originalLoad;
    let print;
    let pb;
    try {
      print = fingerprint(dirs);
      // the protobufjs instance the definitions were built with (node_modules or its vendored bundle)
      pb = this.require('protobufjs/light');
    } catch {
      return;
    }
    const flush = patchType(pb, this.exports, readCodecs(file, print), print, file);
    if (flush) process.once('exit', flush);
  };
  return true;
}

/** How many codec functions (per type: the setup's five, or a constructor) came from the cache and were generated. */
function protoCodecCacheStats() {
  return { ...stats };
}

module.exports = { installProtoCodecCache, protoCodecCacheStats };
