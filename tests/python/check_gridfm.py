"""Checks gridbatch's gridfm export with gridfm-datakit's own validator, against the batch's
result tables, and that the validator does fail on a corrupted copy.

usage: python3 check_gridfm.py <batch out dir> <case name> <mode pf|opf>
Exits 0 when every check passes, 1 with the failed check otherwise.
"""
import os
import shutil
import sys
import tempfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset as ds
from gridfm_datakit.validation import validate_generated_data

TABLES = ["bus_data", "gen_data", "branch_data", "y_bus_data", "runtime_data"]


def check(cond, msg):
    if not cond:
        print(f"FAILED: {msg}")
        sys.exit(1)


def paths(raw):
    return {t: os.path.join(raw, f"{t}.parquet") for t in TABLES}


def main(out, case, mode):
    raw = f"{out}/features/gridfm/{case}/raw"
    n = int(open(f"{raw}/n_scenarios.txt").read())
    parts = sorted(os.listdir(f"{raw}/bus_data.parquet"))
    check(parts == [f"scenario_partition={k}" for k in range((n + 199) // 200)], f"partitions {parts} for {n} scenarios")
    for t in TABLES:
        for k in range(len(parts)):
            s = pd.read_parquet(f"{raw}/{t}.parquet/scenario_partition={k}")["scenario"]
            check(s.min() == 200 * k and s.max() == min(200 * (k + 1), n) - 1, f"{t} partition {k}: scenarios {s.min()}..{s.max()}")

    # gridfm-datakit's own validation (power balance, Ybus, admittances, limits, indexing)
    check(validate_generated_data(paths(raw), mode, 100.0) is True, "validate_generated_data")

    # values against our result tables
    task = f"{mode}_ac"
    part = ds.partitioning(pa.schema([("scenario_id", pa.string())]), flavor="hive")
    res = ds.dataset(f"{out}/results/{task}/bus", format="parquet", partitioning=part).to_table().to_pandas()
    rt = pd.read_parquet(f"{raw}/runtime_data.parquet")
    bus = pd.read_parquet(f"{raw}/bus_data.parquet")
    check(len(rt) == n and sorted(rt["scenario"]) == list(range(n)), "runtime_data: one row per scenario")
    merged = bus.merge(rt[["scenario", "scenario_id", "time"]], on="scenario")
    first_bus = res.groupby(["scenario_id", "time"])["bus_id"].transform("min")
    res = res.assign(bus=(res["bus_id"] - first_bus).astype(int))  # case14: bus numbers 1..14 are rows 0..13
    m = merged.merge(res, on=["scenario_id", "time", "bus"], how="left")
    check(m["vm_pu"].notna().all(), "every bus row joins a result row")
    check(np.allclose(m["Vm"], m["vm_pu"], atol=1e-12), "Vm differs from the result table")
    check(np.allclose(m["Va"], m["va_deg"], atol=1e-9), "Va differs from the result table")
    for t in TABLES:
        df = pd.read_parquet(f"{raw}/{t}.parquet", columns=["scenario", "split"])
        per = df.groupby("scenario")["split"].nunique()
        check((per == 1).all(), f"{t}: a scenario with two splits")
        check(set(df["split"]) <= {"train", "validation", "test"}, f"{t}: unknown split")
    splits = rt.groupby("scenario_id")["split"].nunique()
    check((splits == 1).all(), "time slices of one scenario in two splits")

    # the validator fails on a corrupted copy (one branch admittance off by 1%)
    with tempfile.TemporaryDirectory() as tmp:
        bad = os.path.join(tmp, "raw")
        shutil.copytree(raw, bad)
        f = f"{bad}/branch_data.parquet/scenario_partition=0/part-0.parquet"
        df = pd.read_parquet(f)
        df.loc[0, "Yff_r"] *= 1.01
        df.to_parquet(f, index=False)
        try:
            validate_generated_data(paths(bad), mode, 100.0)
            check(False, "validate_generated_data passed a corrupted copy")
        except AssertionError as e:
            check("Admittance" in str(e) or "Y-bus" in str(e), f"corrupted copy failed for another reason: {e}")

    print(f"gridfm check ok ({mode}): {n} scenarios in {len(parts)} partitions, "
          + ", ".join(f"{s} {int((rt['split'] == s).sum())}" for s in ["train", "validation", "test"]))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3])
