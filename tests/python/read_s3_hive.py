"""Reads a gridbatch study's Hive layout straight from an S3-compatible bucket with pyarrow.

Usage: read_s3_hive.py <endpoint> <bucket/prefix of the study> <task>
Credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (the README's snippet, run against the
test server). Prints JSON: rows and distinct scenario ids per result table, and the manifest's jobs.
"""
import json
import os
import sys
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.fs as pafs
import pyarrow.parquet as pq

endpoint, study, task = sys.argv[1], sys.argv[2], sys.argv[3]
url = urlparse(endpoint)
fs = pafs.S3FileSystem(
    endpoint_override=url.netloc,
    scheme=url.scheme,
    access_key=os.environ["AWS_ACCESS_KEY_ID"],
    secret_key=os.environ["AWS_SECRET_ACCESS_KEY"],
    region=os.environ.get("AWS_REGION", "us-east-1"),
)
out = {}
for table in ["bus", "branch", "gen", "summary"]:
    # the README's snippet: the partition key declared as string (it is also a column inside each file)
    part = ds.partitioning(pa.schema([("scenario_id", pa.string())]), flavor="hive")
    d = ds.dataset(f"{study}/results/{task}/{table}", format="parquet", partitioning=part, filesystem=fs)
    t = d.to_table()
    ids = set(t.column("scenario_id").to_pylist())
    out[table] = {"rows": t.num_rows, "scenarios": len(ids)}
out["manifest_jobs"] = pq.read_table(f"{study}/batch_manifest.parquet", filesystem=fs).num_rows
print(json.dumps(out))
