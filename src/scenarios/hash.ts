/**
 * Content hash of a resolved scenario: sha256 (hex) of its canonical JSON, i.e. JSON with the keys
 * of every object sorted by UTF-16 code unit, no whitespace, `undefined` members left out, and the
 * fields `hash` and `islanding` excluded. Arrays keep their order.
 */
import { createHash } from 'node:crypto';
import { ResolvedScenario } from './types';

export function canonicalJson(value: unknown): string {
  return write(value);
}

/**
 * Sorted keys and their `"key":` prefixes, cached by the object's own key list: 100k perturbation
 * scenarios share one loadFactors key set, so it is sorted and quoted once instead of 100k times.
 */
interface Shape {
  own: string[];
  keys: string[];
  prefixes: string[];
}
/** shapes seen, by key count (a few per count: scenario, loadFactors, metadata, ... objects) */
const shapesByLength = new Map<number, Shape[]>();
const SHAPES_PER_LENGTH = 8;

function sameKeys(a: string[], b: string[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shapeOf(obj: Record<string, unknown>): Shape {
  const own = Object.keys(obj);
  let list = shapesByLength.get(own.length);
  if (list) {
    for (const sh of list) if (sameKeys(own, sh.own)) return sh;
  } else {
    list = [];
    shapesByLength.set(own.length, list);
  }
  const keys = own.slice().sort();
  const shape = { own, keys, prefixes: keys.map((k) => `${JSON.stringify(k)}:`) };
  if (list.length >= SHAPES_PER_LENGTH) list.pop();
  list.unshift(shape);
  return shape;
}

const isFinite = Number.isFinite; // module binding: global lookups are slow inside vm contexts (jest)

function num(v: number): string {
  if (!isFinite(v)) throw new Error(`cannot hash the non-finite number ${v}`);
  return '' + v; // the same text as JSON.stringify for finite numbers
}

function write(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      return num(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++)
          out += (i ? ',' : '') + (value[i] === undefined ? 'null' : write(value[i]));
        return `${out}]`;
      }
      const obj = value as Record<string, unknown>;
      const { keys, prefixes } = shapeOf(obj);
      let out = '{';
      let first = true;
      for (let i = 0; i < keys.length; i++) {
        const v = obj[keys[i]];
        if (v === undefined) continue;
        if (!first) out += ',';
        out += prefixes[i];
        out += typeof v === 'number' ? num(v) : write(v);
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new Error(`cannot hash a value of type ${typeof value}`);
  }
}

export function scenarioHash(
  s: Omit<ResolvedScenario, 'hash' | 'islanding'> & { hash?: string; islanding?: string },
): string {
  const { hash: _h, islanding: _i, ...content } = s;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
