"""Runs the PyTorch Geometric example of docs/featurize.md on a featurized batch, for real.

usage: python3 check_pyg_snippet.py <docs/featurize.md> <batch out dir>

Runs the loading snippet (at most 10 lines) and then the two-layer GCN block of the same
section: one forward pass over one batch of the DataLoader. Checks the Data objects against the
graphs table and prints the torch / torch_geometric versions and the loss. Needs torch and
torch_geometric (tests/helpers/requirements.ts); exits non-zero when a check fails.
"""
import math
import re
import sys

import numpy as np
import pyarrow.parquet as pq
import torch
import torch_geometric


def main(doc, out):
    text = open(doc).read()
    section = text.split("## Loading into PyTorch Geometric", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, re.S)
    assert len(blocks) == 2, f"expected the loading snippet and the GCN block, found {len(blocks)} python blocks"
    load, model = blocks
    lines = [l for l in load.splitlines() if l.strip()]
    assert len(lines) <= 10, f"the loading snippet has {len(lines)} lines (at most 10)"
    torch.manual_seed(0)
    scope = {}
    exec(load.replace("out/case118-n1-day", out), scope)
    graphs = scope["graphs"]
    table = pq.read_table(f"{out}/features/gnn/graphs").sort_by("graph_id")
    assert len(graphs) == table.num_rows, f"{len(graphs)} Data objects for {table.num_rows} graphs"
    for d, n, m in zip(graphs, table.column("num_nodes").to_pylist(), table.column("num_edges").to_pylist()):
        assert tuple(d.x.shape) == (n, 7) and tuple(d.y.shape) == (n, 2), (d.x.shape, d.y.shape)
        assert tuple(d.edge_index.shape) == (2, m) and tuple(d.edge_attr.shape) == (m, 5)
        assert int(d.edge_index.max()) < n and not torch.isnan(d.x).any()
    exec(model, scope)
    batch, loss = scope["batch"], scope["loss"]
    assert batch.num_graphs == min(64, len(graphs)), batch.num_graphs
    assert loss.dim() == 0 and math.isfinite(loss.item()) and loss.item() > 0, loss
    loss.backward()  # gradients flow through both layers
    print(f"pyg example ok: torch {torch.__version__}, torch_geometric {torch_geometric.__version__}; "
          f"{len(graphs)} graphs, {len(lines)} lines; GCN forward pass over a batch of {batch.num_graphs} graphs "
          f"({batch.num_nodes} nodes): mse loss {loss.item():.6g}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
