/** A report table as Parquet (typed columns) and as CSV (RFC 4180, header row, empty = missing). */
import { writeFileAtomic } from '../io/atomic';
import { Column, writeParquetAtomic } from '../io/parquet';
import { Cell } from '../io/columns';
import { ReportTable } from './types';

function cell(v: Cell | undefined, type: Column['type']): Cell {
  if (v === undefined || v === null) return null;
  if (type === 'DOUBLE' || type === 'INT32')
    return typeof v === 'number' && Number.isFinite(v) ? (type === 'INT32' ? Math.round(v) : v) : null;
  if (type === 'BOOLEAN') return Boolean(v);
  return String(v);
}

export function tableColumns(t: ReportTable): Column[] {
  return t.columns.map((c) => ({ name: c.key, type: c.type, data: t.rows.map((r) => cell(r[c.key], c.type)) }));
}

export function writeTableParquet(path: string, t: ReportTable): string {
  return writeParquetAtomic(path, tableColumns(t));
}

function csvField(v: Cell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function tableCsv(t: ReportTable): string {
  const lines = [t.columns.map((c) => csvField(c.key)).join(',')];
  for (const r of t.rows) lines.push(t.columns.map((c) => csvField(cell(r[c.key], c.type))).join(','));
  return `${lines.join('\n')}\n`;
}

export function writeTableCsv(path: string, t: ReportTable): string {
  return writeFileAtomic(path, tableCsv(t));
}
