"""Reference power flow with pandapower (test-side only, never a runtime dependency).

Reads jobs from a JSON file named in argv: each a MATPOWER case ({"baseMVA", "bus", "gen", "branch"},
rows as in the .m file, outaged elements already marked: branch status 0, gen status 0, bus type 4),
a task ("pf_ac", "pf_dc", "opf_dc", "opf_ac"; OPF cases carry "gencost") and optional slack buses; for each it converts it with pandapower.converter.from_ppc and runs runpp /
rundcpp. pandapower de-energizes the buses not connected to an ext_grid (its connectivity check).
Prints JSON: per bus row vm / va (null where de-energized), per branch row pf / qf / pt / qt (MW,
MVAr), per gen row pg / qg.
"""
import json
import math
import sys
import warnings

import numpy as np

warnings.filterwarnings("ignore")
import pandapower as pp  # noqa: E402
from pandapower.converter.pypower import from_ppc  # noqa: E402


def num(x):
    x = float(x)
    return None if math.isnan(x) else x


def main():
    """argv[1]: a JSON list of {"case": {...}, "task": "pf_ac"|"pf_dc", "slack_buses": [...]}; prints a list of results."""
    jobs = json.load(open(sys.argv[1]))
    print(json.dumps([solve(j["case"], j["task"], j.get("slack_buses", [])) for j in jobs]))


def solve(case, task, slack_buses):
    ppc = {
        "version": "2",
        "baseMVA": case["baseMVA"],
        "bus": np.array(case["bus"], dtype=float),
        "gen": np.array(case["gen"], dtype=float),
        "branch": np.array(case["branch"], dtype=float),
    }
    if "gencost" in case:
        ppc["gencost"] = np.array(case["gencost"], dtype=float)
    # from_ppc divides by BASE_KV; cases such as case14 give 0 (p.u. results do not depend on it)
    ppc["bus"][ppc["bus"][:, 9] <= 0, 9] = 1.0
    net = from_ppc(ppc, f_hz=60, validate_conversion=False)
    # from_ppc does not carry BR_STATUS over to every element kind (impedances stay in service)
    look = net._from_ppc_lookups["branch"]
    for k in range(len(look)):
        if ppc["branch"][k, 10] == 0:
            net[look.element_type.iat[k]].loc[int(look.element.iat[k]), "in_service"] = False
    # slack_buses: bus numbers whose generators act as their island's slack
    for b in slack_buses:
        net.gen.loc[net.gen.bus == b, "slack"] = True
    if task == "pf_ac":
        pp.runpp(net, algorithm="nr", calculate_voltage_angles=True, tolerance_mva=1e-10, max_iteration=30, init="dc",
                 trafo_model="pi", numba=False)
    elif task == "pf_dc":
        pp.rundcpp(net, calculate_voltage_angles=True, trafo_model="pi")
    elif task == "opf_dc":
        pp.rundcopp(net)
    elif task == "opf_ac":
        pp.runopp(net, init="flat", calculate_voltage_angles=True)
    else:
        raise SystemExit(f"unknown task {task}")
    bus_ids = [int(b) for b in ppc["bus"][:, 0]]
    out = {
        "vm": [num(net.res_bus.vm_pu.at[b]) for b in bus_ids],
        "va": [num(net.res_bus.va_degree.at[b]) for b in bus_ids],
    }
    pf, qf, pt, qt = [], [], [], []
    for k in range(len(look)):
        kind, idx = look.element_type.iat[k], int(look.element.iat[k])
        fbus = int(ppc["branch"][k, 0])
        if kind == "line":
            r = net.res_line.loc[idx]
            v = (r.p_from_mw, r.q_from_mvar, r.p_to_mw, r.q_to_mvar)
        elif kind == "trafo":
            r = net.res_trafo.loc[idx]
            hv = (r.p_hv_mw, r.q_hv_mvar)
            lv = (r.p_lv_mw, r.q_lv_mvar)
            v = hv + lv if int(net.trafo.hv_bus.at[idx]) == fbus else lv + hv
        else:
            r = net.res_impedance.loc[idx]
            v = (r.p_from_mw, r.q_from_mvar, r.p_to_mw, r.q_to_mvar)
        for lst, x in zip((pf, qf, pt, qt), v):
            lst.append(num(x))
    out.update({"pf": pf, "qf": qf, "pt": pt, "qt": qt})
    if task.startswith("opf"):
        gl = net._from_ppc_lookups["gen"]
        res = {"ext_grid": net.res_ext_grid, "gen": net.res_gen, "sgen": net.res_sgen}
        out["pg"] = [num(res[gl.element_type.iat[k]].p_mw.at[int(gl.element.iat[k])]) for k in range(len(gl))]
        out["objective"] = float(net.res_cost)
    return out


if __name__ == "__main__":
    main()
