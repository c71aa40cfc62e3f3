/**
 * A small reader for the subset of MATLAB syntax that MATPOWER case files use:
 * `name = value;` and `mpc.name = value;` assignments whose value is a number, a quoted
 * string, a numeric matrix `[ ... ]` or a cell array of strings `{ ... }`.
 * Everything else (function headers, comments, blank lines) is skipped.
 * Every value keeps the line numbers it came from, so errors can name them.
 */
import { InputError } from '../errors';

export type MatValue =
  | { kind: 'number'; value: number; line: number }
  | { kind: 'string'; value: string; line: number }
  | { kind: 'matrix'; rows: number[][]; rowLines: number[]; line: number }
  | { kind: 'cell'; items: string[]; itemLines: number[]; line: number };

/** Removes a `%` comment that is not inside a quoted string. */
export function stripComment(line: string): string {
  let inStr = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'") {
      // A quote starts a string unless it follows something that can be transposed.
      if (inStr) {
        if (line[i + 1] === "'") {
          i++;
          continue;
        }
        inStr = false;
      } else {
        inStr = true;
      }
    } else if (c === '%' && !inStr) {
      return line.slice(0, i);
    }
  }
  return line;
}

const NUMBER_RE = /^[+-]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?|Inf|inf|NaN|nan)$/;

export function parseMatNumber(tok: string, file: string, line: number, what: string): number {
  if (!NUMBER_RE.test(tok)) throw new InputError(`${what}: '${tok}' is not a number`, { file, line });
  const t = tok.replace(/^([+-]?)inf$/i, '$1Infinity');
  if (/nan/i.test(t)) return NaN;
  return Number(t);
}

function splitTokens(s: string): string[] {
  return s.split(/[\s,]+/).filter((t) => t.length > 0);
}

/**
 * Parses the text of a .m file into its assignments. Keys are the names without `mpc.`.
 */
export function readAssignments(text: string, file: string): Map<string, MatValue> {
  const lines = text.split(/\r?\n/);
  const out = new Map<string, MatValue>();
  let i = 0;
  const assignRe = /^\s*(?:[A-Za-z_]\w*\.)?([A-Za-z_]\w*)\s*=\s*(.*)$/;
  while (i < lines.length) {
    const raw = stripComment(lines[i]);
    const lineNo = i + 1;
    i++;
    if (/^\s*function\b/.test(raw) || raw.trim() === '') continue;
    const m = assignRe.exec(raw);
    if (!m) {
      if (raw.trim() === 'end' || raw.trim() === 'return') continue;
      throw new InputError(
        `unexpected text '${truncate(raw.trim())}' (expected an assignment such as mpc.bus = [...];)`,
        { file, line: lineNo },
      );
    }
    const name = m[1];
    const rest = m[2].trim();
    if (rest.startsWith('[') || rest.startsWith('{')) {
      const open = rest[0];
      const close = open === '[' ? ']' : '}';
      // Gather text up to the closing bracket, keeping the line of each piece.
      const pieces: { text: string; line: number }[] = [];
      let body = rest.slice(1);
      let line = lineNo;
      for (;;) {
        const end = body.indexOf(close);
        if (end >= 0) {
          pieces.push({ text: body.slice(0, end), line });
          const tail = body.slice(end + 1).trim();
          if (tail !== '' && tail !== ';') {
            throw new InputError(`unexpected text '${truncate(tail)}' after '${close}'`, { file, line });
          }
          break;
        }
        pieces.push({ text: body, line });
        if (i >= lines.length) {
          throw new InputError(`'${name}' opened with '${open}' at line ${lineNo} is never closed (file truncated?)`, {
            file,
            line: lines.length,
          });
        }
        body = stripComment(lines[i]);
        line = i + 1;
        i++;
      }
      out.set(name, open === '[' ? toMatrix(name, pieces, file, lineNo) : toCell(name, pieces, file, lineNo));
    } else {
      const v = rest.replace(/;\s*$/, '').trim();
      const s = /^'((?:[^']|'')*)'$/.exec(v);
      if (s) out.set(name, { kind: 'string', value: s[1].replace(/''/g, "'"), line: lineNo });
      else out.set(name, { kind: 'number', value: parseMatNumber(v, file, lineNo, name), line: lineNo });
    }
  }
  return out;
}

function toMatrix(name: string, pieces: { text: string; line: number }[], file: string, line0: number): MatValue {
  const rows: number[][] = [];
  const rowLines: number[] = [];
  let cur: number[] = [];
  let curLine = line0;
  const flush = () => {
    if (cur.length > 0) {
      rows.push(cur);
      rowLines.push(curLine);
    }
    cur = [];
  };
  for (let p = 0; p < pieces.length; p++) {
    let text = pieces[p].text;
    const cont = text.includes('...');
    if (cont) text = text.slice(0, text.indexOf('...'));
    const parts = text.split(';');
    for (let k = 0; k < parts.length; k++) {
      if (k > 0) flush();
      for (const tok of splitTokens(parts[k])) {
        if (cur.length === 0) curLine = pieces[p].line;
        cur.push(parseMatNumber(tok, file, pieces[p].line, `${name}`));
      }
    }
    if (!cont) flush();
  }
  flush();
  return { kind: 'matrix', rows, rowLines, line: line0 };
}

function toCell(name: string, pieces: { text: string; line: number }[], file: string, line0: number): MatValue {
  const items: string[] = [];
  const itemLines: number[] = [];
  const strRe = /'((?:[^']|'')*)'/g;
  for (const p of pieces) {
    const rest = p.text.replace(strRe, (_all, s: string) => {
      items.push(s.replace(/''/g, "'"));
      itemLines.push(p.line);
      return '';
    });
    if (rest.replace(/[\s;,]/g, '') !== '') {
      throw new InputError(`${name}: expected quoted strings in { }, found '${truncate(rest.trim())}'`, {
        file,
        line: p.line,
      });
    }
  }
  return { kind: 'cell', items, itemLines, line: line0 };
}

function truncate(s: string): string {
  return s.length > 40 ? `${s.slice(0, 40)}...` : s;
}
