/**
 * Reading one spec file (YAML or JSON) into plain data, keeping the YAML node tree so that any
 * key path (e.g. scenarios[3].outages[0].type) can be mapped back to a line of that file.
 */
import { dirname, extname } from 'node:path';
import { Document, LineCounter, isAlias, isMap, isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';
import { InputError } from '../errors';
import { readTextFile } from '../grid/text-file';
import { cachedSpecData, specCacheKey, storeSpecData } from './spec-cache';

/** Largest spec file accepted. */
export const MAX_SPEC_BYTES = 10 * 1024 * 1024;
/** YAML aliases allowed per document (yaml's default; a billion-laughs file needs far more). */
export const MAX_ALIAS_COUNT = 100;

export type KeyPath = (string | number)[];

export interface SpecSource {
  /** absolute path */
  file: string;
  /** folder of the file: relative paths inside the spec are resolved against it */
  dir: string;
  /** the parsed document as plain JS data */
  data: unknown;
  /** 1-based line of the node at `path`, or of its nearest existing ancestor */
  lineOf(path: KeyPath): number | undefined;
  /** whether `path` exists in this document */
  has(path: KeyPath): boolean;
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** `scenarios[3].outages[0].type`; keys that are not identifiers are quoted: `metadata["a b"]`. */
export function formatPath(path: readonly (string | number | symbol)[]): string {
  let out = '';
  for (const step of path) {
    if (typeof step === 'number') out += `[${step}]`;
    else if (typeof step === 'symbol') out += `[${String(step)}]`;
    else if (IDENT.test(step)) out += out ? `.${step}` : step;
    else out += `[${JSON.stringify(step)}]`;
  }
  return out;
}

/** An InputError naming the spec file, the line of `path` in it, and the key path. */
export function specError(src: SpecSource, path: KeyPath, message: string): InputError {
  return new InputError(message, {
    file: src.file,
    line: src.lineOf(path),
    key: path.length ? formatPath(path) : undefined,
  });
}

export function readSpecSource(file: string): SpecSource {
  return parseSpecText(readTextFile(file, 'spec', MAX_SPEC_BYTES), file);
}

export function parseSpecText(text: string, file: string): SpecSource {
  if (text.trim() === '') throw new InputError('spec file is empty', { file, line: 1 });
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    throw new InputError('spec file contains NUL bytes (binary file?)', {
      file,
      line: text.slice(0, nul).split(/\r?\n/).length,
    });
  if (extname(file).toLowerCase() === '.json') checkJson(text, file);

  const cacheKey = specCacheKey(text, YAML_OPTIONS);
  const hit = cachedSpecData(cacheKey);
  // a hit is exactly what parsing gives; the node tree (line numbers of errors) is parsed when asked for
  let parsed: { doc: Document; lc: LineCounter } | undefined;
  const tree = () => (parsed ??= parseTree(text));
  const data = hit ? hit.data : toData(tree(), file);
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError('spec must be a mapping (key: value pairs) at the top level', { file, line: 1 });
  }
  if (!hit) storeSpecData(cacheKey, data);
  return {
    file,
    dir: dirname(file),
    data,
    lineOf: (path) => lineOf(tree().doc, tree().lc, path),
    has: (path) => hasPath(data, path),
  };
}

/** logLevel 'error': yaml must not print warnings (e.g. about collection keys) to the console */
const YAML_OPTIONS = {
  prettyErrors: true,
  uniqueKeys: true,
  version: '1.2',
  schema: 'core',
  logLevel: 'error',
} as const;

function parseTree(text: string): { doc: Document; lc: LineCounter } {
  const lc = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lc, ...YAML_OPTIONS }), lc };
}

function toData({ doc, lc }: { doc: Document; lc: LineCounter }, file: string): unknown {
  const err = doc.errors[0];
  if (err) {
    const line = err.linePos?.[0]?.line;
    const msg = tooDeep(firstLine(err.message).replace(/ at line \d+, column \d+:?$/, ''));
    throw new InputError(`invalid ${extname(file).toLowerCase() === '.json' ? 'JSON' : 'YAML'}: ${msg}`, {
      file,
      line,
    });
  }
  try {
    return doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    if (/alias/i.test(msg)) {
      throw new InputError(
        `too many YAML alias expansions (limit ${MAX_ALIAS_COUNT} per document; a "billion laughs" file?): ${firstLine(msg)}`,
        { file, line: firstAliasLine(doc, lc) },
      );
    }
    throw new InputError(`cannot read spec: ${firstLine(msg)}`, { file });
  }
}

/** Line of the first alias (`*name`) of the document, where expansion starts. */
function firstAliasLine(doc: Document, lc: LineCounter): number | undefined {
  let line: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      line = startLine(node, lc);
      return visit.BREAK;
    },
  });
  return line;
}

/** The parsers recurse per nesting level: a stack overflow means lists / mappings nested too deeply. */
function tooDeep(msg: string): string {
  return /Maximum call stack size exceeded/.test(msg)
    ? 'lists and mappings are nested too deeply (hundreds of levels)'
    : msg;
}

function firstLine(s: string): string {
  return s.split('\n')[0].trim();
}

/** JSON files must be strict JSON (YAML accepts more); report JSON.parse's position as a line. */
function checkJson(text: string, file: string): void {
  try {
    JSON.parse(text);
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    const pos = /position (\d+)/.exec(msg);
    const at = pos ? Number(pos[1]) : jsonErrorOffset(text);
    const line = text.slice(0, at).split(/\r?\n/).length;
    // drop V8's snippet of the text ('Unexpected token ']', ..."a"},]" is not valid JSON'): the line says where
    throw new InputError(`invalid JSON: ${tooDeep(msg.replace(/, (?:\.\.\.)?"[\s\S]*" is not valid JSON$/, ''))}`, {
      file,
      line,
    });
  }
}

/**
 * Where JSON.parse fails when its message gives no position (Node 20's "Unexpected token"): the
 * end of the longest prefix that is still the start of some valid JSON text (binary search).
 */
function jsonErrorOffset(text: string): number {
  const viable = (k: number) => {
    try {
      JSON.parse(text.slice(0, k));
      return true;
    } catch (e) {
      // the prefix ran out (the error is at its end), as opposed to going wrong inside it
      const m = (e as Error).message;
      const pos = /at position (\d+)/.exec(m);
      return /Unexpected end of JSON input/.test(m) || (pos !== null && Number(pos[1]) >= k);
    }
  };
  let lo = 0,
    hi = text.length; // viable(lo) holds (an empty prefix), viable(hi) does not
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (viable(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

function hasPath(data: unknown, path: KeyPath): boolean {
  let cur: unknown = data;
  for (const step of path) {
    if (cur === null || typeof cur !== 'object') return false;
    if (Array.isArray(cur)) {
      if (typeof step !== 'number' || step < 0 || step >= cur.length) return false;
      cur = cur[step];
    } else {
      if (!Object.prototype.hasOwnProperty.call(cur, String(step))) return false;
      cur = (cur as Record<string, unknown>)[String(step)];
    }
  }
  return true;
}

function lineOf(doc: Document, lc: LineCounter, path: KeyPath): number | undefined {
  let node: unknown = doc.contents;
  let line = startLine(node, lc) ?? 1;
  for (const step of path) {
    if (isAlias(node)) node = node.resolve(doc);
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(step));
      if (!pair) return line;
      line = startLine(pair.key, lc) ?? line;
      node = pair.value;
    } else if (isSeq(node) && typeof step === 'number') {
      const item = node.items[step];
      if (item === undefined) return line;
      line = startLine(item, lc) ?? line;
      node = item;
    } else {
      return line;
    }
  }
  return line;
}

function startLine(node: unknown, lc: LineCounter): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range ? lc.linePos(range[0]).line : undefined;
}
