/**
 * A scenario before defaults and grid checks are applied: what an explicit `scenarios[i]` entry
 * or one item of a generator says.
 */
import { ScenarioFields } from './schema';
import { KeyPath } from './source';
import { Outage } from './types';
import { MlPerturbationDraw } from './ml-perturbations';

export interface Draft {
  id: string;
  /** where the id was written or generated (for error locations) */
  idPath: KeyPath;
  /** human description of the source, e.g. "scenarios[3]" or "generators[0] (n_minus_1, branch 14)" */
  label: string;
  /** ['scenarios', i] or ['generators', i]: the fields' own path */
  entryPath: KeyPath;
  /** the entry's own fields (a scenario entry or the generator's common fields), shared by all drafts of a generator */
  fields: ScenarioFields;
  /** outages a generator adds (canonical ids), after fields.outages */
  extraOutages?: Outage[];
  loadScale?: number;
  renewableScale?: number;
  loadFactors?: Record<string, number>;
  /** generator cost / branch admittance perturbation drawn for this sample (ml-perturbations.ts) */
  mlPerturbation?: MlPerturbationDraw;
  /** rendered description (generators) */
  description?: string;
  /** added to the metadata (generators): key `generator` */
  generatorInfo?: Record<string, string | number>;
  /** time slices, already resolved */
  slices: string[];
}
