/**
 * Content hash of a resolved scenario: sha256 (hex) of its canonical JSON, i.e. JSON with the keys
 * of every object sorted by UTF-16 code unit, no whitespace, `undefined` members left out, and the
 * fields `hash` and `islanding` excluded. Arrays keep their order.
 */
import { createHash } from 'node:crypto';
import { ResolvedScenario } from './types';

export function canonicalJson(value: unknown): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw new Error(`cannot hash the non-finite number ${value}`);
      return JSON.stringify(value);
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'object': {
      if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
      const obj = value as Record<string, unknown>;
      const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
      return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
    }
    default:
      throw new Error(`cannot hash a value of type ${typeof value}`);
  }
}

export function scenarioHash(s: Omit<ResolvedScenario, 'hash' | 'islanding'> & { hash?: string; islanding?: string }): string {
  const { hash: _h, islanding: _i, ...content } = s;
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}
