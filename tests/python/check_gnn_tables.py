"""Reads gridbatch's GNN tables with pyarrow, builds PyTorch-Geometric-style arrays with numpy
and checks them against the solver's results.

usage: python3 check_gnn_tables.py <batch out dir> <expected.json>

expected.json (written by the jest test from direct solves):
  {"task": "pf_ac", "graphs": {"<graph_id>": {"num_nodes": n, "num_edges": m,
   "bus_ids": [...], "edges": [[from_bus, to_bus], ...], "vm": [...], "va": [...], "pf": [...]}}}
Exits 0 when every check passes, 1 with the failed check otherwise.
"""
import json
import sys

import numpy as np
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

NODE_X = ["bus_type", "base_kv", "vmin_pu", "vmax_pu", "pd_mw", "qd_mvar", "gs_mw", "bs_mvar", "n_gen",
          "pg_set_mw", "pmin_mw", "pmax_mw", "qmin_mvar", "qmax_mvar", "cost_c2", "cost_c1", "cost_c0"]
NODE_Y = ["vm_pu", "va_deg"]
EDGE_ATTR = ["r", "x", "b", "tap", "shift_deg", "rate_a_mva", "is_transformer"]


def check(cond, msg):
    if not cond:
        print(f"FAILED: {msg}")
        sys.exit(1)


def columns(table, names, dtype):
    return np.stack([table.column(c).to_numpy(zero_copy_only=False).astype(dtype) for c in names], axis=1)


def main(out, expected_path):
    expected = json.load(open(expected_path))
    nodes = pq.read_table(f"{out}/features/gnn/nodes").sort_by([("graph_id", "ascending"), ("node_id", "ascending")])
    edges = pq.read_table(f"{out}/features/gnn/edges").sort_by([("graph_id", "ascending"), ("edge_id", "ascending")])
    graphs = pq.read_table(f"{out}/features/gnn/graphs").sort_by("graph_id")
    gid = graphs.column("graph_id").to_numpy()
    num_nodes = graphs.column("num_nodes").to_numpy()
    num_edges = graphs.column("num_edges").to_numpy()
    check(len(gid) > 0, "no graphs")
    check(len(np.unique(gid)) == len(gid), "graph_id not unique")
    check(int(num_nodes.sum()) == nodes.num_rows, "sum of num_nodes != rows of nodes")
    check(int(num_edges.sum()) == edges.num_rows, "sum of num_edges != rows of edges")
    node_gid = nodes.column("graph_id").to_numpy()
    edge_gid = edges.column("graph_id").to_numpy()
    check(np.array_equal(node_gid, np.repeat(gid, num_nodes)), "node rows are not grouped by the graphs table's counts")
    check(np.array_equal(edge_gid, np.repeat(gid, num_edges)), "edge rows are not grouped by the graphs table's counts")

    # the whole batch as PyG-style arrays: x, y, edge_index (local ids), edge_attr
    x = columns(nodes, NODE_X, np.float32)
    y = columns(nodes, NODE_Y, np.float64)
    edge_index = np.stack([edges.column("src").to_numpy(), edges.column("dst").to_numpy()]).astype(np.int64)
    edge_attr = columns(edges, EDGE_ATTR, np.float32)
    check(x.shape == (nodes.num_rows, len(NODE_X)) and y.shape == (nodes.num_rows, 2), f"x / y shapes {x.shape} {y.shape}")
    check(edge_attr.shape == (edges.num_rows, len(EDGE_ATTR)), f"edge_attr shape {edge_attr.shape}")
    check(not np.isnan(x).any(), "NaN in static node features")
    node_start = np.concatenate([[0], np.cumsum(num_nodes)[:-1]])
    edge_start = np.concatenate([[0], np.cumsum(num_edges)[:-1]])
    node_id = nodes.column("node_id").to_numpy()
    check(np.array_equal(node_id, np.arange(nodes.num_rows) - np.repeat(node_start, num_nodes)), "node ids are not 0..n-1 per graph")
    check((edge_index >= 0).all() and (edge_index < np.repeat(num_nodes, num_edges)).all(), "edge_index out of range of its graph")
    batch_edge_index = edge_index + np.repeat(node_start, num_edges)  # one big disjoint graph, as PyG batches
    check(batch_edge_index.max() < nodes.num_rows, "batched edge_index out of range")

    bus_id = nodes.column("bus_id").to_numpy()
    pf = edges.column("pf_mw").to_numpy(zero_copy_only=False)
    where = {int(g): k for k, g in enumerate(gid)}
    checked = 0
    for g, exp in expected["graphs"].items():
        check(int(g) in where, f"graph {g} missing")
        k = where[int(g)]
        ns = slice(node_start[k], node_start[k] + num_nodes[k])
        es = slice(edge_start[k], edge_start[k] + num_edges[k])
        check(num_nodes[k] == exp["num_nodes"], f"graph {g}: {num_nodes[k]} nodes, expected {exp['num_nodes']}")
        check(num_edges[k] == exp["num_edges"], f"graph {g}: {num_edges[k]} edges, expected {exp['num_edges']}")
        check(bus_id[ns].tolist() == exp["bus_ids"], f"graph {g}: bus ids")
        ends = bus_id[ns][edge_index[:, es]].T
        check(ends.tolist() == exp["edges"], f"graph {g}: edge endpoints differ from the scenario's in-service branches")
        check(np.allclose(y[ns, 0], exp["vm"], atol=1e-6), f"graph {g}: vm differs from the solver")
        check(np.allclose(y[ns, 1], exp["va"], atol=1e-5), f"graph {g}: va differs from the solver")
        check(np.allclose(pf[es], exp["pf"], atol=1e-4), f"graph {g}: pf differs from the solver")
        checked += 1

    # the same values as the batch's result tables, read independently (Hive partitioning)
    task = expected["task"]
    part = ds.partitioning(pa.schema([("scenario_id", pa.string())]), flavor="hive")
    bus = ds.dataset(f"{out}/results/{task}/bus", format="parquet", partitioning=part).to_table(columns=["scenario_id", "time", "bus_id", "vm_pu"])
    keyed = nodes.select(["graph_id", "bus_id", "vm_pu"]).join(graphs.select(["graph_id", "scenario_id", "time"]), "graph_id")
    merged = keyed.join(bus.rename_columns(["scenario_id", "time", "bus_id", "vm_res"]), ["scenario_id", "time", "bus_id"])
    check(merged.num_rows == nodes.num_rows, f"{nodes.num_rows - merged.num_rows} node rows without a result row")
    a, b = merged.column("vm_pu").to_numpy(zero_copy_only=False), merged.column("vm_res").to_numpy(zero_copy_only=False)
    check(np.allclose(a, b, equal_nan=True), "vm differs from results/bus")
    print(f"python check ok: {len(gid)} graphs, {nodes.num_rows} nodes, {edges.num_rows} edges; "
          f"{checked} graphs checked against the solver; pyarrow {pa.__version__}, numpy {np.__version__}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
