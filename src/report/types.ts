/** Shapes shared by the report's collectors, tables and writers. */
import { ColumnType } from '../io/parquet';
import { Cell } from '../io/columns';

/** One column of a report table: Parquet type, header label, Excel number format. */
export interface ColumnSpec {
  key: string;
  label: string;
  type: ColumnType;
  /** Excel number format, e.g. '#,##0.00' or '0.0"%"' */
  numFmt?: string;
  width?: number;
}

export interface ReportTable {
  /** file stem and sheet name */
  name: string;
  title: string;
  description: string;
  columns: ColumnSpec[];
  rows: Record<string, Cell>[];
}

/** KPIs of one job (a row of jobs.parquet). */
export interface JobKpis {
  job_id: string;
  scenario_id: string;
  time: string | null;
  status: 'ok' | 'failed' | 'skipped';
  cost: number | null;
  losses_mw: number | null;
  max_loading_pct: number | null;
  n_overloaded: number | null;
  n_voltage_violations: number | null;
  vm_min_pu: number | null;
  vm_max_pu: number | null;
  load_mw: number | null;
  gen_mw: number | null;
  /** buses the island rule de-energized, and the load / scheduled generation they carried (MW) */
  islanded_buses: number | null;
  load_lost_mw: number | null;
  gen_lost_mw: number | null;
  error: string | null;
}

/** KPIs of one scenario over its time slices (a row of scenarios.parquet). */
export interface ScenarioKpis {
  scenario_id: string;
  description: string;
  weight: number;
  jobs: number;
  ok: number;
  failed: number;
  skipped: number;
  cost_sum: number | null;
  cost_mean: number | null;
  cost_min: number | null;
  cost_max: number | null;
  losses_mw_mean: number | null;
  losses_mw_max: number | null;
  max_loading_pct: number | null;
  max_loading_branch: number | null;
  max_loading_time: string | null;
  overloaded_branches: number;
  overload_hours: number;
  voltage_violations: number;
  vm_min_pu: number | null;
  vm_max_pu: number | null;
  /** most buses de-energized and most load lost in one time slice */
  islanded_buses_max: number | null;
  load_lost_mw_max: number | null;
  first_error: string | null;
}

/** Max loading of every rated branch of every scenario over its time slices. */
export interface BranchLoading {
  /** branch_index (1-based) of each column, the rated branches of the base case */
  branches: number[];
  fromBus: number[];
  toBus: number[];
  /** [scenario][branch position] max loading %, NaN where out of service or never solved */
  max: Float64Array[];
  /** slices above 100 % */
  hoursOver: Uint16Array[];
}

/** Min / max of vm and va of every bus of every scenario over its time slices. */
export interface BusProfile {
  busIds: number[];
  vmMin: Float64Array[];
  vmMax: Float64Array[];
  vaMin: Float64Array[];
  vaMax: Float64Array[];
}
