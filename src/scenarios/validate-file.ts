/**
 * zod validation of one spec file, turning the first problem into an InputError with the file,
 * the line and the key path; unknown keys get the list of allowed keys and a "did you mean".
 */
import { z } from 'zod';
import { KeyPath, SpecSource, specError } from './source';
import { SpecFile, SpecFileSchema } from './schema';

export function validateSpecFile(src: SpecSource): SpecFile {
  const r = SpecFileSchema.safeParse(src.data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => toProblem(i, src));
  issues.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const first = issues[0];
  const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem${issues.length > 2 ? 's' : ''})` : '';
  throw specError(src, first.path, first.message + more);
}

interface Problem {
  path: KeyPath;
  message: string;
  line?: number;
}

function toKeyPath(p: readonly PropertyKey[]): KeyPath {
  return p.map((s) => (typeof s === 'number' ? s : String(s)));
}

function toProblem(issue: z.core.$ZodIssue, src: SpecSource): Problem {
  const base = toKeyPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0];
    const path = [...base, key];
    const allowed = allowedKeysAt(SpecFileSchema, src.data, base);
    let message = `unknown key '${key}'`;
    if (allowed.length) {
      const near = closest(key, allowed);
      message += near ? `; did you mean '${near}'?` : '';
      message += ` (allowed here: ${allowed.join(', ')})`;
    }
    return { path, message, line: src.lineOf(path) };
  }
  let message = issue.message;
  if (issue.code === 'invalid_type' && /received undefined/.test(message)) message = 'required key is missing';
  else message = message.replace(/^Invalid input: /, '');
  return { path: base, message, line: src.lineOf(base) };
}

/** Keys a strict object at `path` accepts, found by walking the schema alongside the data. */
function allowedKeysAt(schema: z.ZodType, data: unknown, path: KeyPath): string[] {
  let s: z.ZodType | undefined = schema;
  let d: unknown = data;
  const unwrap = (t: z.ZodType): z.ZodType => {
    let cur = t;
    for (let guard = 0; guard < 10; guard++) {
      if (cur instanceof z.ZodOptional || cur instanceof z.ZodNullable) cur = cur.unwrap() as z.ZodType;
      else if (cur instanceof z.ZodPipe) cur = cur.in as z.ZodType;
      else break;
    }
    return cur;
  };
  const pick = (t: z.ZodType, value: unknown): z.ZodType | undefined => {
    const u = unwrap(t);
    if (u instanceof z.ZodDiscriminatedUnion) {
      const tag = (value as Record<string, unknown> | null)?.[u.def.discriminator];
      return (u.options as z.ZodType[]).find(
        (o) =>
          o instanceof z.ZodObject &&
          (o.shape as Record<string, z.ZodType>)[u.def.discriminator] instanceof z.ZodLiteral &&
          ((o.shape as Record<string, z.ZodLiteral>)[u.def.discriminator].values as Set<unknown>).has(tag),
      );
    }
    return u;
  };
  s = pick(s, d);
  for (const step of path) {
    if (!s) return [];
    if (s instanceof z.ZodObject && typeof step === 'string') {
      d = (d as Record<string, unknown> | null)?.[step];
      const next: z.ZodType | undefined = (s.shape as Record<string, z.ZodType>)[step];
      s = next ? pick(next, d) : undefined;
    } else if (s instanceof z.ZodArray && typeof step === 'number') {
      d = (d as unknown[] | null)?.[step];
      s = pick(s.element as z.ZodType, d);
    } else {
      return [];
    }
  }
  return s instanceof z.ZodObject ? Object.keys(s.shape as object) : [];
}

/** The allowed key within edit distance 2 of `key`, or the one it abbreviates, if any. */
function closest(key: string, allowed: string[]): string | undefined {
  const prefixed = allowed.filter((a) => key.length >= 3 && a.toLowerCase().startsWith(key.toLowerCase()));
  if (prefixed.length === 1) return prefixed[0];
  let best: string | undefined;
  let bestD = 3;
  for (const a of allowed) {
    const d = editDistance(key.toLowerCase(), a.toLowerCase());
    if (d < bestD) {
      bestD = d;
      best = a;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}
