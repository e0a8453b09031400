#!/usr/bin/env python3
"""The cluster check's (and the demo check's) table assertions, read with DuckDB (a client other than Spark).

    check_cluster_tables.py study WAREHOUSE RUN          every stage's tables of a study run
    check_cluster_tables.py multitask WAREHOUSE RUN      the multi-task arm's rows of a study run
    check_cluster_tables.py count WAREHOUSE SQL          prints the count a SQL query gives (0 if a table is missing)
    check_cluster_tables.py epochs WAREHOUSE RUN FOLD N  cnn_history holds epochs 1..N of FOLD exactly once
    check_cluster_tables.py calls WAREHOUSE RUN BOUND    llm_calls: every planned slice answered, at most BOUND
                                                          calls answered twice (those in flight at a kill)
Tables are read as Spark wrote them: table T at WAREHOUSE/T/, hive-partitioned Parquet.
"""
import re
import sys

import duckdb


def table(wh, name):
    return f"read_parquet('{wh}/{name}/**/*.parquet', hive_partitioning = true, union_by_name = true)"


def sql(wh, query):
    """Replaces bare table names after FROM/JOIN with their Parquet readers."""
    return re.sub(r"\b(FROM|JOIN)\s+([a-z_]+)\b", lambda m: f"{m.group(1)} {table(wh, m.group(2))}", query)


def one(con, wh, query):
    return con.execute(sql(wh, query)).fetchone()[0]


def check(cond, message):
    if not cond:
        sys.exit("cluster tables: " + message)
    print("  ok: " + message)


def study(wh, run):
    con = duckdb.connect()
    patients = one(con, wh, "SELECT count(*) FROM patients")
    check(patients == 24, f"patients: {patients} of the 24 synthetic ones")
    folds = one(con, wh, f"SELECT count(DISTINCT fold) FROM cnn_history WHERE run_id = '{run}'")
    check(folds == 5, f"cnn_history: {folds} folds trained")
    dup = one(con, wh, f"SELECT count(*) FROM (SELECT fold, epoch FROM cnn_history WHERE run_id = '{run}' "
                       "GROUP BY ALL HAVING count(*) > 1)")
    check(dup == 0, "cnn_history: every (fold, epoch) once")
    preds = one(con, wh, f"SELECT count(*) FROM predictions WHERE run_id = '{run}' AND model = 'cnn'")
    check(preds > 0, f"predictions: {preds} CNN rows")
    seg = one(con, wh, f"SELECT count(*) FROM segmentation WHERE run_id = '{run}' AND model = 'cnn_seg'")
    check(seg > 0, f"segmentation: {seg} U-Net rows (seg_masks written on the executors)")
    seg_folds = one(con, wh, f"SELECT count(DISTINCT fold) FROM segmentation WHERE run_id = '{run}' AND model = 'cnn_seg'")
    check(seg_folds == 5, f"segmentation: rows of {seg_folds} folds (folds trained at once all keep theirs)")
    calls = one(con, wh, f"SELECT count(DISTINCT call_key) FROM llm_calls WHERE run_id = '{run}'")
    failed = one(con, wh, f"SELECT count(*) FROM llm_calls WHERE run_id = '{run}' "
                          "AND status NOT IN ('ok', 'parse_error')")
    check(calls > 0 and failed == 0, f"llm_calls: {calls} calls, {failed} failed")
    metrics = one(con, wh, f"SELECT count(*) FROM metrics WHERE run_id = '{run}'")
    check(metrics > 0, f"metrics: {metrics} rows")
    import os
    check(os.path.isfile(f"{wh}/reports/{run}/index.html"), "report written")


def multitask(wh, run):
    """train-multitask and aggregate: every fold's validation patients (each by its own fold's model) and the test
    cohort (by every fold's model) in predictions, the fold ensemble, the segmentation rows, the headline row."""
    con = duckdb.connect()
    cv = one(con, wh, "SELECT count(*) FROM volumes WHERE cohort = 'cv'")
    test = one(con, wh, "SELECT count(*) FROM volumes WHERE cohort = 'test'")
    folds = one(con, wh, f"SELECT count(DISTINCT fold) FROM multitask_history WHERE run_id = '{run}'")
    scored = one(con, wh, f"SELECT count(*) FROM predictions p JOIN volumes v ON p.patient_id = v.patient_id "
                          f"WHERE p.run_id = '{run}' AND p.model = 'multitask' AND p.cohort = 'cv' AND p.fold = v.fold")
    check(scored == cv, f"predictions: {scored} multitask rows of the {cv} cv patients, each by its own fold's model")
    rows = one(con, wh, f"SELECT count(*) FROM predictions WHERE run_id = '{run}' AND model = 'multitask' "
                        "AND cohort = 'test'")
    check(rows == test * folds, f"predictions: {rows} multitask rows of the test cohort ({test} patients x {folds} folds)")
    ensemble = one(con, wh, f"SELECT count(DISTINCT patient_id) FROM predictions WHERE run_id = '{run}' "
                            "AND model = 'multitask_ensemble' AND cohort = 'test' AND fold IS NULL")
    check(ensemble == test, f"predictions: multitask_ensemble rows for {ensemble} of the {test} test patients")
    seg = one(con, wh, f"SELECT count(DISTINCT patient_id) FROM segmentation WHERE run_id = '{run}' "
                       "AND model = 'multitask_seg'")
    check(seg == cv + test, f"segmentation: multitask_seg rows for {seg} of the {cv + test} patients")
    headline = one(con, wh, f"SELECT count(*) FROM headline WHERE run_id = '{run}' AND role = 'multitask_ensemble' "
                            "AND versus = 'cnn_ensemble' AND mcnemar_p IS NOT NULL")
    check(headline == 1, "headline: the multi-task ensemble's row, tested against the CNN fold ensemble")


def epochs(wh, run, fold, n):
    con = duckdb.connect()
    rows = con.execute(sql(wh, f"SELECT epoch, count(*) FROM cnn_history WHERE run_id = '{run}' AND fold = {fold} "
                               "GROUP BY epoch ORDER BY epoch")).fetchall()
    check([e for e, _ in rows] == list(range(1, n + 1)), f"cnn_history of run {run}: epochs {[e for e, _ in rows]}")
    check(all(c == 1 for _, c in rows), "each epoch exactly once")


def calls(wh, run, bound):
    con = duckdb.connect()
    planned = one(con, wh, "SELECT count(*) FROM slices WHERE in_tumour")
    answered = one(con, wh, f"SELECT count(DISTINCT call_key) FROM llm_calls WHERE run_id = '{run}' "
                            "AND status IN ('ok', 'parse_error')")
    check(answered == planned, f"llm_calls of run {run}: {answered} answered of {planned} planned tumour slices")
    twice = one(con, wh, f"SELECT count(*) FROM (SELECT call_key FROM llm_calls WHERE run_id = '{run}' "
                         "GROUP BY call_key HAVING count(*) > 1)")
    check(twice <= bound, f"{twice} calls journalled twice (at most {bound} were in flight at the kill)")


def main(argv):
    mode = argv[1]
    if mode == "study":
        study(argv[2], argv[3])
    elif mode == "multitask":
        multitask(argv[2], argv[3])
    elif mode == "count":
        try:
            print(one(duckdb.connect(), argv[2], argv[3]))
        except duckdb.Error:
            print(0)
    elif mode == "epochs":
        epochs(argv[2], argv[3], int(argv[4]), int(argv[5]))
    elif mode == "calls":
        calls(argv[2], argv[3], int(argv[4]))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
