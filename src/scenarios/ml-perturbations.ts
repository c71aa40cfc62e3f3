/**
 * Perturbations ML datasets use beyond load scaling (gridfm-datakit's generator and admittance
 * perturbations), drawn per sample of a load_perturbation generator from the sample's own seeded
 * stream (after its load factors, so those do not change when a perturbation is added):
 *
 * - cost_perturbation {type: permute}: the polynomial cost rows of the generators with a
 *   non-constant cost (c1 or c2 non-zero) are shuffled among them (Fisher-Yates);
 * - cost_perturbation {type: scale, sigma}: each coefficient of those generators' polynomial
 *   costs is multiplied by its own factor ~ U[max(0, 1 - sigma), 1 + sigma];
 * - admittance_perturbation {sigma}: each branch's r and x are multiplied by one factor
 *   ~ U[max(0, 1 - sigma), 1 + sigma] (the series admittance scales by its inverse).
 *
 * Generators with constant or piecewise-linear costs keep them. What was drawn is recorded on
 * the scenario (scenario_manifest.json: genCostSource, genCostFactors, branchImpedanceFactors),
 * and applyScenario applies exactly that, so a sample is reproducible from the manifest alone.
 */
import { Network } from '../grid/network';
import { Rng } from './prng';

export interface CostPerturbation {
  type: 'permute' | 'scale';
  sigma?: number | null;
}

export interface MlPerturbationDraw {
  /** cost row (0-based generator row) each generator takes; absent = its own */
  genCostSource?: number[];
  /** per generator, a factor per polynomial coefficient (highest order first); absent = 1 */
  genCostFactors?: number[][];
  /** per branch, the factor on r and x; absent = 1 */
  branchImpedanceFactors?: number[];
}

const uniform = (rng: Rng, lo: number, hi: number) => lo + (hi - lo) * rng();

/** Generators whose polynomial cost has a non-zero non-constant term (gridfm's perturbable set). */
export function perturbableGenerators(net: Network): number[] {
  const out: number[] = [];
  for (let k = 0; k < net.gen.n; k++) {
    const c = net.gencost[k];
    if (c && c.model === 2 && c.coeffs.slice(0, -1).some((x) => x !== 0)) out.push(k);
  }
  return out;
}

export function drawMlPerturbation(
  net: Network,
  rng: Rng,
  cost?: CostPerturbation | null,
  admittanceSigma?: number | null,
): MlPerturbationDraw {
  const d: MlPerturbationDraw = {};
  if (cost) {
    const movable = perturbableGenerators(net);
    if (cost.type === 'permute') {
      const perm = [...movable];
      for (let i = perm.length - 1; i > 0; i--) {
        const j = Math.floor(rng() * (i + 1));
        [perm[i], perm[j]] = [perm[j], perm[i]];
      }
      const src = Array.from({ length: net.gen.n }, (_, k) => k);
      movable.forEach((k, i) => {
        src[k] = perm[i];
      });
      d.genCostSource = src;
    } else {
      const s = cost.sigma ?? 0;
      const on = new Set(movable);
      d.genCostFactors = Array.from({ length: net.gen.n }, (_, k) =>
        (net.gencost[k]?.coeffs ?? []).map(() => (on.has(k) ? uniform(rng, Math.max(0, 1 - s), 1 + s) : 1)),
      );
    }
  }
  if (admittanceSigma != null) {
    const s = admittanceSigma;
    d.branchImpedanceFactors = Array.from({ length: net.branch.n }, () => uniform(rng, Math.max(0, 1 - s), 1 + s));
  }
  return d;
}

/** Applies a recorded draw to a network (in place). */
export function applyMlPerturbation(net: Network, d: MlPerturbationDraw): void {
  if (d.genCostSource) {
    const rows = net.gencost.map((c) => ({ ...c, coeffs: [...c.coeffs] }));
    d.genCostSource.forEach((src, k) => {
      if (src !== k && rows[src] && net.gencost[k]) net.gencost[k] = { ...rows[src], coeffs: [...rows[src].coeffs] };
    });
  }
  if (d.genCostFactors) {
    d.genCostFactors.forEach((f, k) => {
      const c = net.gencost[k];
      if (c && c.model === 2) net.gencost[k] = { ...c, coeffs: c.coeffs.map((x, i) => x * (f[i] ?? 1)) };
    });
  }
  if (d.branchImpedanceFactors) {
    d.branchImpedanceFactors.forEach((f, l) => {
      net.branch.r[l] *= f;
      net.branch.x[l] *= f;
    });
  }
}
