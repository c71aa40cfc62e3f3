/**
 * Time-series profiles from CSV, in one of two layouts (told apart by the header):
 * - long:  `time,element,field,value` (columns in any order), one value per row;
 * - wide:  `time,load:5:p,load:5:q,gen:3:pmax,...`, one row per time; an empty cell = no value.
 * Elements: `load:<bus number>` (fields p, q) and `gen:<1-based row>` (fields p, q, pmax).
 * Every element is checked against the grid; times are RFC 3339, normalised to UTC.
 * Parquet files (`.parquet`) have the same columns, long or wide; their row numbers (header = 1)
 * stand in for line numbers in messages.
 */
import { extname } from 'node:path';
import { InputError } from '../errors';
import { Network } from '../grid/network';
import { readTextFile } from '../grid/text-file';
import { parseCsv } from './csv';
import { readParquetRecords } from './parquet-rows';
import { statSync } from 'node:fs';
import { normaliseTime } from './time';
import { LoadedProfiles, ProfileElement, ProfileField, ProfileSeries } from './types';

/**
 * Largest profile file accepted. Parsed profiles take ~11x their size in memory (128 MiB of wide
 * CSV: 1.4 GB, ~1 min on a 2-core machine); at the former 512 MiB the process ran out of heap.
 */
export const MAX_PROFILE_BYTES = 128 * 1024 * 1024;

export function loadProfiles(file: string, kind: 'multiplier' | 'value', net: Network): LoadedProfiles {
  const ext = extname(file).toLowerCase();
  let records;
  if (ext === '.parquet') {
    checkSize(file);
    records = readParquetRecords(file);
  } else {
    const text = readTextFile(file, 'profile', MAX_PROFILE_BYTES);
    try {
      records = parseCsv(text);
    } catch (e) {
      const m = /^line (\d+): (.*)$/.exec((e as Error).message);
      throw new InputError(m ? m[2] : (e as Error).message, { file, line: m ? Number(m[1]) : undefined });
    }
  }
  if (records.length === 0) throw new InputError('profile file is empty', { file, line: 1 });
  const header = records[0].cells.map((c) => c.trim().toLowerCase());
  const b = new ProfileBuilder(file, kind, net);
  if (['time', 'element', 'field', 'value'].every((c) => header.includes(c))) {
    const col = (c: string) => header.indexOf(c);
    const [ct, ce, cf, cv] = [col('time'), col('element'), col('field'), col('value')];
    for (const r of records.slice(1)) {
      if (r.cells.length !== header.length)
        throw new InputError(`row has ${r.cells.length} columns, the header has ${header.length}`, {
          file,
          line: r.line,
        });
      const s = b.series(
        `${r.cells[ce].trim()}:${r.cells[cf].trim()}`,
        r.line,
        `element '${r.cells[ce]}' / field '${r.cells[cf]}'`,
      );
      b.add(r.cells[ct], s, r.cells[cv], r.line);
    }
  } else if (header[0] === 'time' && header.length > 1) {
    const cols = header
      .slice(1)
      .map((h, k) => b.series(records[0].cells[k + 1].trim(), records[0].line, `column '${records[0].cells[k + 1]}'`));
    if (new Set(cols).size !== cols.length)
      throw new InputError('a column is repeated in the header', { file, line: records[0].line });
    for (const r of records.slice(1)) {
      if (r.cells.length !== header.length)
        throw new InputError(`row has ${r.cells.length} columns, the header has ${header.length}`, {
          file,
          line: r.line,
        });
      cols.forEach((s, k) => b.add(r.cells[0], s, r.cells[k + 1], r.line, records[0].cells[k + 1].trim()));
    }
  } else {
    throw new InputError(
      'unrecognised header: expected "time,element,field,value" (long) or "time,load:5:p,gen:3:pmax,..." (wide)',
      { file, line: records[0].line },
    );
  }
  return b.build();
}

function checkSize(file: string): void {
  let size: number;
  try {
    const st = statSync(file);
    if (st.isDirectory()) throw new InputError('profile file is a folder, not a file', { file });
    size = st.size;
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError('profile file not found', { file });
  }
  if (size > MAX_PROFILE_BYTES)
    throw new InputError(`profile file is ${size} bytes, over the limit of ${MAX_PROFILE_BYTES}`, { file });
}

const FIELDS: Record<ProfileElement, readonly ProfileField[]> = { load: ['p', 'q'], gen: ['p', 'q', 'pmax'] };

class ProfileBuilder {
  private readonly seriesList: ProfileSeries[] = [];
  private readonly seriesIndex = new Map<string, number>();
  private readonly rows = new Map<string, { values: (number | null)[]; lines: number[] }>();

  constructor(
    private readonly file: string,
    private readonly kind: 'multiplier' | 'value',
    private readonly net: Network,
  ) {}

  /** Index of the series named `load:5:p` / `gen:3:pmax`, checked against the grid. */
  series(name: string, line: number, what: string): number {
    const known = this.seriesIndex.get(name.toLowerCase());
    if (known !== undefined) return known;
    const m = /^(load|gen):(\d+):(\w+)$/i.exec(name);
    if (!m)
      throw new InputError(`${what}: expected load:<bus>:<p|q> or gen:<row>:<p|q|pmax>`, { file: this.file, line });
    const element = m[1].toLowerCase() as ProfileElement;
    const id = Number(m[2]);
    const field = m[3].toLowerCase() as ProfileField;
    if (!FIELDS[element].includes(field))
      throw new InputError(`${what}: field '${m[3]}' is not one of ${FIELDS[element].join(', ')} for a ${element}`, {
        file: this.file,
        line,
      });
    if (element === 'load' && !this.net.busIndex.has(id))
      throw new InputError(`${what}: bus ${id} is not in the grid`, { file: this.file, line });
    if (element === 'gen' && (id < 1 || id > this.net.gen.n)) {
      throw new InputError(
        `${what}: gen row ${id} is out of range (the grid has ${this.net.gen.n} gen rows, numbered from 1)`,
        { file: this.file, line },
      );
    }
    const k = this.seriesList.length;
    this.seriesList.push({ element, id, field });
    this.seriesIndex.set(name.toLowerCase(), k);
    return k;
  }

  add(timeText: string, s: number, valueText: string, line: number, column?: string): void {
    const t = normaliseTime(timeText.trim());
    if (!t.ok) throw new InputError(`time: ${t.reason}`, { file: this.file, line });
    let row = this.rows.get(t.value);
    if (!row) {
      row = { values: [], lines: [] };
      this.rows.set(t.value, row);
    }
    const v = valueText.trim();
    if (v === '' && column !== undefined) return; // wide layout: an empty cell = no value at that time
    const value = v === '' ? NaN : Number(v);
    if (!Number.isFinite(value)) {
      throw new InputError(`${column ? `column ${column}: ` : ''}value '${valueText}' is not a finite number`, {
        file: this.file,
        line,
      });
    }
    if (this.kind === 'multiplier' && value < 0)
      throw new InputError(`${column ? `column ${column}: ` : ''}multiplier ${value} is negative`, {
        file: this.file,
        line,
      });
    if (row.values[s] !== undefined && row.values[s] !== null) {
      const { element, id, field } = this.seriesList[s];
      throw new InputError(`${element}:${id}:${field} at ${t.value} is given twice (first at line ${row.lines[s]})`, {
        file: this.file,
        line,
      });
    }
    row.values[s] = value;
    row.lines[s] = line;
  }

  build(): LoadedProfiles {
    const times = [...this.rows.keys()].sort((a, b) => Date.parse(a) - Date.parse(b));
    const ns = this.seriesList.length;
    const values = times.map((t) => {
      const v = (this.rows.get(t) as { values: (number | null)[] }).values;
      return Array.from({ length: ns }, (_, k) => v[k] ?? null);
    });
    return { file: this.file, kind: this.kind, series: this.seriesList, times, values };
  }
}

const timeIndexCache = new WeakMap<LoadedProfiles, Map<string, number>>();

/** Row of `times` for a normalised time, or undefined. */
export function profileTimeIndex(p: LoadedProfiles, time: string): number | undefined {
  let m = timeIndexCache.get(p);
  if (!m) {
    m = new Map(p.times.map((t, i) => [t, i]));
    timeIndexCache.set(p, m);
  }
  return m.get(time);
}
