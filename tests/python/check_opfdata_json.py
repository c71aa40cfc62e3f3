"""Loads gridbatch's OPFData JSON export with PyTorch Geometric's own OPFDataset (offline: the raw
archives are where it looks, so it never downloads), checks shapes and values against the
batch's result tables (read here with pyarrow), and runs a heterogeneous GNN forward pass.

usage: python3 check_opfdata_json.py <batch out dir> <case name> <num_groups>
Exits 0 when every check passes, 1 with the failed check otherwise.
"""
import glob
import json
import math
import os
import sys
import tarfile

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import torch
from torch_geometric.datasets import OPFDataset
from torch_geometric.loader import DataLoader
from torch_geometric.nn import SAGEConv, to_hetero

SPLITS = {"train": "train", "val": "validation", "test": "test"}


def check(cond, msg):
    if not cond:
        print(f"FAILED: {msg}")
        sys.exit(1)


def results(out, task, table):
    part = ds.partitioning(pa.schema([("scenario_id", pa.string())]), flavor="hive")
    return ds.dataset(f"{out}/results/{task}/{table}", format="parquet", partitioning=part).to_table().to_pylist()


def main(out, case, groups):
    root = f"{out}/features/opfdata-json"
    raw = f"{root}/dataset_release_1/{case}/raw"
    tmp = f"{raw}/gridopt-dataset-tmp/dataset_release_1/{case}"
    # the raw archives hold exactly the extracted files
    for g in range(groups):
        with tarfile.open(f"{raw}/{case}_{g}.tar.gz", "r:gz") as t:
            names = sorted(m.name for m in t.getmembers())
            on_disk = sorted(os.path.relpath(p, raw) for p in glob.glob(f"{tmp}/group_{g}/*.json"))
            check(names == on_disk, f"archive {g} lists {len(names)} files, the group folder {len(on_disk)}")
            if names:
                check(t.extractfile(names[0]).read() == open(f"{raw}/{names[0]}", "rb").read(), f"archive {g}: {names[0]} differs")

    samples = {}
    for p in glob.glob(f"{tmp}/group_*/example_*.json"):
        obj = json.load(open(p))
        samples[int(os.path.basename(p).split(".")[0].split("_")[1])] = obj
    check(len(samples) > 0, "no samples")
    base = samples[min(samples)]["grid"]["context"][0][0][0]

    # the batch's own result tables
    task = "opf_ac"
    summary = {(r["scenario_id"], r["time"]): r for r in results(out, task, "summary")}
    bus = {}
    for r in results(out, task, "bus"):
        bus.setdefault((r["scenario_id"], r["time"]), {})[r["bus_id"]] = r
    gen = {}
    for r in results(out, task, "gen"):
        gen.setdefault((r["scenario_id"], r["time"]), []).append(r)

    by_objective = {}
    for i, obj in samples.items():
        m = obj["metadata"]
        key = (m["scenario_id"], m["time"])
        s = summary[key]
        check(s["status"] == "ok", f"example {i}: job {key} did not solve")
        check(math.isclose(m["objective"], s["objective"], rel_tol=1e-12), f"example {i}: objective {m['objective']} != summary {s['objective']}")
        by_objective[i] = (m["objective"], key)

    total = 0
    for pyg_split, ours in SPLITS.items():
        ds_ = OPFDataset(root, split=pyg_split, case_name=case, num_groups=groups)
        expect = sum(1 for o in samples.values() if o["metadata"]["split"] == ours)
        check(len(ds_) == expect, f"OPFDataset split {pyg_split}: {len(ds_)} samples, expected {expect}")
        total += len(ds_)
        for d in ds_:
            # PyG keeps the objective (float32), not our keys: the sample is one of those with that
            # objective (the time slices of one scenario share inputs and nearly the objective)
            cands = [i for i, (o, _) in by_objective.items() if math.isclose(o, float(d.objective), rel_tol=1e-6)]
            check(len(cands) > 0, f"no sample with objective {float(d.objective)}")
            errors = [match(d, i, by_objective[i][1], samples, bus, gen, base, out, task, ours) for i in cands]
            check(None in errors, f"PyG sample with objective {float(d.objective)} matches no result row: {errors}")
    check(total == len(samples), f"PyG loaded {total} samples of {len(samples)}")

    # a heterogeneous GNN forward pass on a batch
    train = OPFDataset(root, split="train", case_name=case, num_groups=groups)
    data = train[0]

    class GNN(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = SAGEConv((-1, -1), 16)
            self.conv2 = SAGEConv((-1, -1), 2)

        def forward(self, x, edge_index):
            return self.conv2(self.conv1(x, edge_index).relu(), edge_index)

    model = to_hetero(GNN(), data.metadata(), aggr="sum")
    batch = next(iter(DataLoader(train, batch_size=4, shuffle=False)))
    with torch.no_grad():
        out_ = model(batch.x_dict, batch.edge_index_dict)
    check(tuple(out_["bus"].shape) == (batch["bus"].num_nodes, 2), f"forward pass: bus output {tuple(out_['bus'].shape)}")
    check(tuple(out_["generator"].shape) == (batch["generator"].num_nodes, 2), "forward pass: generator output")
    check(bool(torch.isfinite(out_["bus"]).all()), "forward pass: non-finite output")
    loss = torch.nn.functional.mse_loss(out_["bus"], batch["bus"].y.float())
    print(f"opfdata check ok: {total} samples in {groups} group(s), splits "
          + ", ".join(f"{k} {sum(1 for o in samples.values() if o['metadata']['split'] == v)}" for k, v in SPLITS.items())
          + f"; forward pass on a batch of {batch.num_graphs}: bus output {tuple(out_['bus'].shape)}, loss {float(loss):.4f}")


def match(d, i, key, samples, bus, gen, base, out, task, ours):
    """None when PyG's sample d is example i (checked against the result tables), else why not."""
    if samples[i]["metadata"]["split"] != ours:
        return f"example {i} is in split {samples[i]['metadata']['split']}"
    nb = len(bus[key])
    if tuple(d["bus"].x.shape) != (nb, 4) or tuple(d["bus"].y.shape) != (nb, 2):
        return f"bus shapes {tuple(d['bus'].x.shape)}"
    buses = [bus[key][b] for b in sorted(bus[key])]
    vm = np.array([r["vm_pu"] for r in buses]); va = np.radians([r["va_deg"] for r in buses])
    if not np.allclose(d["bus"].y[:, 1].numpy(), vm, atol=1e-6):
        return f"example {i}: vm differs from the result table"
    if not np.allclose(d["bus"].y[:, 0].numpy(), va, atol=1e-6):
        return f"example {i}: va differs from the result table"
    on = [r for r in sorted(gen[key], key=lambda r: r["gen_index"]) if r["in_service"]]
    if tuple(d["generator"].x.shape) != (len(on), 11):
        return f"generator x shape {tuple(d['generator'].x.shape)}"
    if not np.allclose(d["generator"].y[:, 0].numpy() * base, [r["pg_mw"] for r in on], atol=1e-4):
        return f"example {i}: pg differs from the result table"
    if d["bus", "ac_line", "bus"].edge_attr.shape[1] != 9 or d["bus", "transformer", "bus"].edge_attr.shape[1] != 11:
        return "edge feature widths"
    if d["bus", "transformer", "bus"].edge_label.shape[1] != 4 or d["bus", "ac_line", "bus"].edge_label.shape[1] != 4:
        return "edge label widths"
    if d["generator", "generator_link", "bus"].edge_index.shape[1] != len(on):
        return "one generator_link per generator"
    ne = d["bus", "ac_line", "bus"].edge_index.shape[1] + d["bus", "transformer", "bus"].edge_index.shape[1]
    branches = [r for r in sorted(results_cache(out, task, key), key=lambda r: r["branch_index"]) if r["in_service"]]
    if ne != len(branches):
        return f"example {i}: {ne} branches, expected {len(branches)} in service"
    # from-end active flow of the first ac line and transformer, against the branch table
    pf = sorted([float(x) for x in d["bus", "ac_line", "bus"].edge_label[:, 2] * base] + [float(x) for x in d["bus", "transformer", "bus"].edge_label[:, 2] * base])
    if not np.allclose(pf, sorted(r["pf_mw"] for r in branches), atol=1e-3):
        return f"example {i}: pf differs from the branch table"
    return None


_branch = {}


def results_cache(out, task, key):
    if not _branch:
        for r in results(out, task, "branch"):
            _branch.setdefault((r["scenario_id"], r["time"]), []).append(r)
    return _branch[key]


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]))
