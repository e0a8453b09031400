#!/usr/bin/env python3
"""Executes the analyst notebooks headlessly against a warehouse; exits non-zero if a cell fails.

  scripts/run-notebooks.py --warehouse DIR [--run-id ID] [--out DIR] [--timeout SECONDS] [NOTEBOOK ...]

Needs nbclient, nbformat, ipykernel, pandas, duckdb, matplotlib. The executed copies (with their
outputs) are written to --out (default <warehouse>/reports/notebooks/) so CI can keep them.
"""
import argparse
import os
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--warehouse", required=True, help="the Parquet warehouse folder")
    ap.add_argument("--run-id", help="the run to show (default: the newest with metrics)")
    ap.add_argument("--out", help="folder for the executed notebooks")
    ap.add_argument("--timeout", type=int, default=300, help="seconds per cell")
    ap.add_argument("notebooks", nargs="*", help="notebooks to run (default: every notebooks/*.ipynb)")
    args = ap.parse_args()

    warehouse = Path(args.warehouse).resolve()
    if not warehouse.is_dir():
        print(f"run-notebooks: no warehouse folder {warehouse}", file=sys.stderr)
        return 2
    out = Path(args.out) if args.out else warehouse / "reports" / "notebooks"
    out.mkdir(parents=True, exist_ok=True)
    os.environ["GLIOMA_BENCH_WAREHOUSE"] = str(warehouse)
    if args.run_id:
        os.environ["GLIOMA_BENCH_RUN_ID"] = args.run_id
    paths = [Path(p) for p in args.notebooks] or sorted(NOTEBOOKS.glob("*.ipynb"))
    failed = []
    for path in paths:
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=args.timeout, kernel_name="python3",
                                resources={"metadata": {"path": str(NOTEBOOKS)}})
        try:
            client.execute()
            print(f"ok      {path.name}")
        except CellExecutionError as e:
            failed.append(path.name)
            print(f"FAILED  {path.name}\n{e}", file=sys.stderr)
        finally:
            nbformat.write(nb, out / path.name)
    print(f"executed copies in {out}")
    if failed:
        print(f"run-notebooks: {len(failed)} notebook(s) failed: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
