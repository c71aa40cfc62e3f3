"""Runs the PyTorch Geometric snippet of docs/featurize.md on a featurized batch.

usage: python3 check_pyg_snippet.py <docs/featurize.md> <batch out dir>

Without torch / torch_geometric installed, small stand-ins record what the snippet builds
(torch.tensor -> numpy array, Data -> its fields, DataLoader -> its list), so the reading,
grouping and array shapes are checked all the same. Exits 0 when the checks pass.
"""
import re
import sys
import types

import numpy as np
import pyarrow.parquet as pq


def stub_torch():
    torch = types.ModuleType("torch")
    torch.float, torch.long = np.float32, np.int64
    torch.tensor = lambda a, dtype=None: np.asarray(a, dtype=dtype)
    pyg = types.ModuleType("torch_geometric")
    data = types.ModuleType("torch_geometric.data")
    loader = types.ModuleType("torch_geometric.loader")

    class Data:
        def __init__(self, **kw):
            self.__dict__.update(kw)

    class DataLoader(list):
        def __init__(self, items, batch_size=1, shuffle=False):
            super().__init__(items)

    data.Data, loader.DataLoader = Data, DataLoader
    sys.modules.update({"torch": torch, "torch_geometric": pyg, "torch_geometric.data": data, "torch_geometric.loader": loader})


def main(doc, out):
    text = open(doc).read()
    section = text.split("## Loading into PyTorch Geometric", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    lines = [l for l in code.splitlines() if l.strip()]
    assert len(lines) <= 10, f"the snippet has {len(lines)} lines (at most 10)"
    try:
        import torch_geometric  # noqa: F401
        real = True
    except ImportError:
        stub_torch()
        real = False
    scope = {}
    exec(code.replace("out/case118-n1-day", out), scope)
    graphs = scope["graphs"]
    table = pq.read_table(f"{out}/features/gnn/graphs").sort_by("graph_id")
    assert len(graphs) == table.num_rows, f"{len(graphs)} Data objects for {table.num_rows} graphs"
    for d, n, m in zip(graphs, table.column("num_nodes").to_pylist(), table.column("num_edges").to_pylist()):
        assert tuple(d.x.shape) == (n, 7) and tuple(d.y.shape) == (n, 2), (d.x.shape, d.y.shape)
        assert tuple(d.edge_index.shape) == (2, m) and tuple(d.edge_attr.shape) == (m, 5)
        assert int(d.edge_index.max()) < n and not np.isnan(np.asarray(d.x)).any()
    print(f"pyg snippet ok ({'torch_geometric' if real else 'stand-ins for torch'}): {len(graphs)} graphs, {len(lines)} lines")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
