/**
 * The Excel workbook: a Summary sheet (batch, baseline, headline KPIs, worst scenarios, what each
 * sheet holds) and one sheet per table, each with a bold frozen header row, an auto filter,
 * column widths and number formats.
 */
import ExcelJS from 'exceljs';
import { Cell } from '../featurize/columns';
import { ReportTable } from './types';

/** Excel's sheet limit is 1,048,576 rows; bigger tables are cut (the Parquet / CSV files are whole). */
export const MAX_SHEET_ROWS = 1_000_000;

export interface SummaryItem {
  label: string;
  value: Cell;
  numFmt?: string;
}

export interface WorkbookInput {
  title: string;
  generatedAt: string;
  summary: SummaryItem[];
  /** the worst scenarios, shown on the summary sheet */
  top: ReportTable;
  tables: ReportTable[];
}

const HEADER_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FF1F3A5F' } };
const HEADER_FONT: Partial<ExcelJS.Font> = { bold: true, color: { argb: 'FFFFFFFF' } };

function value(v: Cell | undefined): ExcelJS.CellValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  return v;
}

function addTableSheet(wb: ExcelJS.Workbook, t: ReportTable): number {
  const ws = wb.addWorksheet(t.name, { views: [{ state: 'frozen', ySplit: 1, xSplit: 1 }] });
  ws.columns = t.columns.map((c) => ({ header: c.label, key: c.key, width: c.width ?? 14, style: c.numFmt ? { numFmt: c.numFmt } : {} }));
  const header = ws.getRow(1);
  header.font = HEADER_FONT;
  header.fill = HEADER_FILL;
  header.alignment = { vertical: 'middle', wrapText: true };
  header.height = 30;
  const n = Math.min(t.rows.length, MAX_SHEET_ROWS);
  for (let i = 0; i < n; i++) {
    const r = t.rows[i];
    ws.addRow(t.columns.map((c) => value(r[c.key])));
  }
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: t.columns.length } };
  return t.rows.length - n;
}

export async function workbookBuffer(input: WorkbookInput): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'gridbatch';
  wb.created = new Date(input.generatedAt);
  wb.modified = wb.created;
  const ws = wb.addWorksheet('Summary', { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = [{ width: 34 }, { width: 48 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }, { width: 16 }];
  const title = ws.addRow([input.title]);
  title.font = { bold: true, size: 14 };
  for (const it of input.summary) {
    const row = ws.addRow([it.label, value(it.value)]);
    row.getCell(1).font = { bold: true };
    if (it.numFmt) row.getCell(2).numFmt = it.numFmt;
    row.getCell(2).alignment = { horizontal: 'left' };
  }
  ws.addRow([]);
  ws.addRow([input.top.title]).font = { bold: true, size: 12 };
  ws.addRow([input.top.description]).font = { italic: true };
  const head = ws.addRow(input.top.columns.map((c) => c.label));
  head.font = HEADER_FONT;
  head.fill = HEADER_FILL;
  for (const r of input.top.rows) {
    const row = ws.addRow(input.top.columns.map((c) => value(r[c.key])));
    input.top.columns.forEach((c, k) => { if (c.numFmt) row.getCell(k + 1).numFmt = c.numFmt; });
  }
  ws.addRow([]);
  ws.addRow(['Sheets']).font = { bold: true, size: 12 };
  const cut: string[] = [];
  for (const t of input.tables) {
    const dropped = addTableSheet(wb, t);
    if (dropped > 0) cut.push(`${t.name}: ${dropped} rows not shown (see ${t.name}.parquet / .csv)`);
    ws.addRow([t.name, t.description]).getCell(2).alignment = { wrapText: true };
  }
  for (const c of cut) ws.addRow(['note', c]);
  return new Uint8Array(await wb.xlsx.writeBuffer());
}
