/**
 * Optimal power flow, following MATPOWER's formulations (opf_setup, dcopf_solver, nlpopf_solver)
 * and its interior-point solver MIPS.
 *
 *   solveOpfDc(net, opts)  DC OPF: linear costs via HiGHS when loaded (await loadHighs()), else MIPS
 *   solveOpfAc(net, opts)  AC OPF: MIPS (polar, power balance, |S| flow limits), safeguarded fallback
 */
export { solveOpfDc, solveOpfDcAsync } from './solve-opf-dc';
export { solveOpfAc } from './solve-opf-ac';
export { loadHighs } from './highs-lp';
export type { OpfOptions, OpfSolution, OpfDetails } from './opf-solution';
export { mips } from './mips';
export type { MipsOptions, MipsProblem, MipsResult, MipsLambda, MipsSafeguards } from './mips';
export { qpsMips } from './qps_mips';
export { makeAang } from './makeAang';
export { makeAy } from './makeAy';
