/**
 * A small column builder for the feature and report tables: named, typed columns filled row by
 * row, handed to the Parquet writer (src/io/parquet.ts) as they are. `null` is a missing value.
 */
import { Column, ColumnType } from './parquet';

export type Cell = string | number | boolean | null;

export class ColumnSet {
  private readonly cols: Column[] = [];
  private readonly byName = new Map<string, Cell[]>();

  /** Adds a column and returns the array to push its values into. */
  add(name: string, type: ColumnType): Cell[] {
    if (this.byName.has(name)) throw new Error(`column ${name} added twice`);
    const data: Cell[] = [];
    this.cols.push({ name, type, data });
    this.byName.set(name, data);
    return data;
  }

  get rows(): number {
    return this.cols.length ? this.cols[0].data.length : 0;
  }

  list(): Column[] {
    return this.cols;
  }
}

/** null for NaN / undefined, else the number. */
export function num(v: number | null | undefined): number | null {
  return v === null || v === undefined || Number.isNaN(v) ? null : v;
}
