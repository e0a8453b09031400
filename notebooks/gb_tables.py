"""Opens the glioma-bench Parquet warehouse with DuckDB, for the analyst notebooks.

The warehouse folder comes from the GLIOMA_BENCH_WAREHOUSE environment variable (default ../warehouse);
the run from GLIOMA_BENCH_RUN_ID (default: the run with the newest metrics rows). Every table T lives at
<warehouse>/T/ as Parquet, partitioned tables as T/run_id=.../ folders; on a cluster the same tables are
registered in the Spark SQL database glioma_bench, and each notebook prints the Spark SQL to run there.
"""
import os
from pathlib import Path

import duckdb

WAREHOUSE = Path(os.environ.get("GLIOMA_BENCH_WAREHOUSE", "../warehouse")).resolve()
DATABASE = os.environ.get("GLIOMA_BENCH_DATABASE", "glioma_bench")
con = duckdb.connect()


def exists(name: str) -> bool:
    """True when table `name` has at least one Parquet file."""
    folder = WAREHOUSE / name
    return folder.is_dir() and any(folder.rglob("*.parquet"))


def source(name: str) -> str:
    """A DuckDB FROM clause for table `name`: hive partitions as columns, schemas merged by name."""
    if not exists(name):
        raise FileNotFoundError(f"table {name} has no Parquet files under {WAREHOUSE / name}")
    return (f"read_parquet('{WAREHOUSE / name}/**/*.parquet', hive_partitioning = true, "
            f"union_by_name = true)")


def sql(query: str, **tables):
    """Runs a DuckDB query; each {key} placeholder stands for the table given as key=table_name, and returns a pandas DataFrame."""
    return con.sql(query.format(**{key: source(table) for key, table in tables.items()})).df()


def spark_sql(query: str) -> None:
    """Prints the equivalent Spark SQL for a cluster, tables qualified with the glioma_bench database."""
    print("-- Spark SQL on the cluster (spark-sql or spark.sql(...)):")
    print(query.replace("{db}", DATABASE).strip())


def run_id() -> str:
    """The run the notebook shows."""
    chosen = os.environ.get("GLIOMA_BENCH_RUN_ID")
    if chosen:
        return chosen
    if not exists("metrics"):
        raise FileNotFoundError(f"no metrics table under {WAREHOUSE}: run aggregate first")
    # Partition folders are strings; the runs table orders runs by time where it exists.
    if exists("runs"):
        rows = sql("SELECT m.run_id FROM (SELECT DISTINCT CAST(run_id AS VARCHAR) AS run_id FROM {metrics}) m "
                   "LEFT JOIN (SELECT CAST(run_id AS VARCHAR) AS run_id, max(ended_at) AS ended FROM {runs} "
                   "GROUP BY 1) r USING (run_id) ORDER BY r.ended DESC NULLS LAST, m.run_id DESC LIMIT 1",
                   metrics="metrics", runs="runs")
    else:
        rows = sql("SELECT DISTINCT CAST(run_id AS VARCHAR) AS run_id FROM {metrics} ORDER BY 1 DESC LIMIT 1",
                   metrics="metrics")
    return rows.run_id[0]


def simulated_arms(run: str) -> set:
    """Arms whose name or served model says 'simulated' (their answers come from the simulated server)."""
    if not exists("predictions"):
        return set()
    p = sql("SELECT * FROM {predictions} WHERE CAST(run_id AS VARCHAR) = ?".replace("?", f"'{run}'"),
            predictions="predictions")
    flagged = set(p.loc[p.get("simulated", False) == True, "model"]) if "simulated" in p else set()  # noqa: E712
    arms = flagged | {m for m in p.model.unique() if "simulated" in str(m).lower()}
    if exists("llm_localisation"):  # locate-only arms have no predictions rows
        loc = sql(f"SELECT DISTINCT arm FROM {{llm_localisation}} WHERE CAST(run_id AS VARCHAR) = '{run}' AND simulated",
                  llm_localisation="llm_localisation")
        arms |= set(loc.arm)
    return arms


HEADLINE_METRICS = ["accuracy", "specificity", "balanced_accuracy", "auc"]


def headline(run: str):
    """The study's answer for a run, as aggregate wrote it (the table the report and summary.md open with):
    (a DataFrame with one row per test-cohort model in display order, the one-sentence finding), or (None, reason)."""
    if not exists("headline"):
        return None, f"no headline table under {WAREHOUSE}: run aggregate (or study) first"
    h = sql(f"SELECT * FROM {{h}} WHERE CAST(run_id AS VARCHAR) = '{run}' ORDER BY position", h="headline")
    if h.empty:
        return None, f"run {run} has no headline rows (no held-out test cohort, or aggregate predates the table)"
    return h, h.finding.iloc[0]


def show_headline(run: str) -> None:
    """Displays the headline first: the finding, then value [95 % CI] per metric, n and the paired tests."""
    from IPython.display import Markdown, display
    h, finding = headline(run)
    if h is None:
        print(finding)
        return
    display(Markdown("> " + finding))

    def cell(r, m):
        v, lo, hi = r[m], r[m + "_ci_low"], r[m + "_ci_high"]
        if v != v or v is None:  # NaN or missing
            return "n/a"
        return f"{v:.3f}" if lo != lo or lo is None else f"{v:.3f} [{lo:.3f}, {hi:.3f}]"

    def p(v):
        return "" if v != v or v is None else ("< 0.001" if v < 0.001 else f"{v:.3f}")

    table = {"model (test cohort)": [r.label + (" [SIMULATED]" if r.simulated else "") for r in h.itertuples()],
             "n": list(h.n)}
    for m in HEADLINE_METRICS:
        table[m.replace("_", " ")] = [cell(r, m) for _, r in h.iterrows()]
    table["McNemar p"] = [p(v) if vs is not None and vs == vs else "" for v, vs in zip(h.mcnemar_p, h.versus)]
    table["DeLong p"] = [p(v) if vs is not None and vs == vs else "" for v, vs in zip(h.delong_p, h.versus)]
    import pandas as pd
    display(pd.DataFrame(table).set_index("model (test cohort)"))
    for r in h.itertuples():
        if isinstance(r.detail, str):
            print(f"{r.label}: {r.detail}")
    spark_sql(f"SELECT * FROM {{db}}.headline WHERE run_id = '{run}' ORDER BY position")
