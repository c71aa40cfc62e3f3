/**
 * Scenario-id (and description) templates: `n1_{type}_{id}`, `pert_{index|zfill:5}`,
 * `{name|slug}-ls={load_scale|fixed:2}`. `{{` and `}}` are literal braces.
 *
 * Helpers, applied left to right: `lower`, `upper`, `slug` (lower case, runs of anything but
 * a-z 0-9 become one '-', trimmed), `zfill:N` (left-pad with zeros to N characters),
 * `fixed:N` (number with N decimals).
 *
 * A template is compiled once and then rendered for every scenario (100k renders are cheap).
 */

export type TemplateVars = Record<string, string | number>;
export type CompiledTemplate = (vars: TemplateVars) => string;

type Part = string | { name: string; helpers: { name: string; arg?: string }[] };

const HELPERS = ['lower', 'upper', 'slug', 'zfill', 'fixed'] as const;

/** Throws a plain Error with a user-facing message; the caller adds file/line/key. */
export function compileTemplate(template: string, available: readonly string[]): CompiledTemplate {
  const parts: Part[] = [];
  let lit = '';
  let i = 0;
  while (i < template.length) {
    const c = template[i];
    if (c === '{' && template[i + 1] === '{') {
      lit += '{';
      i += 2;
      continue;
    }
    if (c === '}' && template[i + 1] === '}') {
      lit += '}';
      i += 2;
      continue;
    }
    if (c === '}')
      throw new Error(`unmatched '}' at character ${i + 1} of template '${template}' (write '}}' for a literal brace)`);
    if (c !== '{') {
      lit += c;
      i++;
      continue;
    }
    const end = template.indexOf('}', i);
    if (end < 0) throw new Error(`unclosed '{' at character ${i + 1} of template '${template}'`);
    const body = template.slice(i + 1, end).trim();
    const [name, ...hs] = body.split('|').map((s) => s.trim());
    if (!available.includes(name)) {
      throw new Error(
        `unknown template variable {${name}} in '${template}' (available here: ${available.map((v) => `{${v}}`).join(', ')})`,
      );
    }
    const helpers = hs.map((h) => {
      const [hn, arg] = h.split(':').map((s) => s.trim());
      if (!(HELPERS as readonly string[]).includes(hn))
        throw new Error(`unknown template helper '${hn}' in '{${body}}' (helpers: ${HELPERS.join(', ')})`);
      if ((hn === 'zfill' || hn === 'fixed') && !(arg !== undefined && /^\d{1,2}$/.test(arg))) {
        throw new Error(`helper '${hn}' needs a width, e.g. {${name}|${hn}:4}`);
      }
      return { name: hn, arg };
    });
    if (lit) {
      parts.push(lit);
      lit = '';
    }
    parts.push({ name, helpers });
    i = end + 1;
  }
  if (lit) parts.push(lit);
  return (vars) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') {
        out += p;
        continue;
      }
      let v: string | number = vars[p.name] ?? '';
      for (const h of p.helpers) v = applyHelper(h.name, h.arg, v);
      out += String(v);
    }
    return out;
  };
}

function applyHelper(name: string, arg: string | undefined, v: string | number): string {
  switch (name) {
    case 'lower':
      return String(v).toLowerCase();
    case 'upper':
      return String(v).toUpperCase();
    case 'slug':
      return String(v)
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-+|-+$/g, '');
    case 'zfill': {
      const s = String(v);
      const neg = s.startsWith('-');
      return (neg ? '-' : '') + (neg ? s.slice(1) : s).padStart(Number(arg) - (neg ? 1 : 0), '0');
    }
    case 'fixed': {
      const n = typeof v === 'number' ? v : Number(v);
      return Number.isFinite(n) ? n.toFixed(Number(arg)) : String(v);
    }
    default:
      return String(v);
  }
}
