#!/usr/bin/env python3
"""Assertions on the tables the real-server check wrote (pyarrow, not our Spark code): what must hold for calls
answered by a real OpenAI-compatible server with a RANDOM-weight model, whose answers are noise.

  check_rows.py calls WAREHOUSE RUN_ID --arms general,where [--expect-status ok,parse_error] [--http 200]
  check_rows.py arms WAREHOUSE RUN_ID
  check_rows.py wrong-model WAREHOUSE RUN_ID
  check_rows.py lora WAREHOUSE RUN_ID REPORT_HTML
"""
import sys

import pyarrow.dataset as ds


def table(warehouse, name, run_id):
    t = ds.dataset("%s/%s" % (warehouse, name), format="parquet", partitioning="hive").to_table()
    rows = [r for r in t.to_pylist() if str(r.get("run_id")) == run_id]
    if not rows:
        sys.exit("check_rows: no %s rows of run %s" % (name, run_id))
    return rows


def latest(rows):
    """One row per (arm, call_key): a terminal answer first, then the latest (as the project's readers do)."""
    best = {}
    for r in rows:
        k = (r["arm"], r["call_key"])
        rank = (r["status"] in ("ok", "parse_error"), r["finished_at"])
        if k not in best or rank > best[k][0]:
            best[k] = (rank, r)
    return [v[1] for v in best.values()]


def fail(msg):
    sys.exit("check_rows FAILED: " + msg)


def check_calls(warehouse, run_id, arms):
    rows = latest(table(warehouse, "llm_calls", run_id))
    seen = sorted({r["arm"] for r in rows})
    for arm in arms:
        mine = [r for r in rows if r["arm"] == arm]
        if not mine:
            fail("arm %s has no llm_calls rows (arms present: %s)" % (arm, seen))
        for r in mine:
            where = "%s %s/%s/%s sample %s" % (arm, r["patient_id"], r["plane"], r["slice_index"], r["sample"])
            if r["status"] not in ("ok", "parse_error"):
                fail("%s: status %s (%s) against a server that answers every request" % (where, r["status"], r["error"]))
            if r["http_status"] != 200 or r["attempts"] != 1:
                fail("%s: http %s after %s attempts" % (where, r["http_status"], r["attempts"]))
            if r["raw_text"] is None or r["server_model"] is None:
                fail("%s: no raw text / server model recorded" % where)
            if r["simulated"]:
                fail("%s: marked simulated, but a real server answered" % where)
            if r["status"] == "ok" and r["prompt_version"] == "classify-v1" and r["choice"] not in (0, 1, 2):
                fail("%s: ok without a choice" % where)
            if r["status"] == "parse_error" and (r["choice"] is not None or not r["error"]):
                fail("%s: parse_error with a choice or without a reason" % where)
            if r["logprobs_returned"] is not None:
                fail("%s: logprobs were asked of transformers serve, which returns none" % where)
        parsed = sum(1 for r in mine if r["status"] == "ok")
        print("check_rows: arm %s: %d calls, all HTTP 200 in one attempt, raw text kept; %d parsed, %d parse_error"
              % (arm, len(mine), parsed, len(mine) - parsed))
    repeats = [r for r in rows if r["sample"] > 0]
    if not repeats:
        fail("no consistency repeats (sample > 0) in run %s" % run_id)
    cons = table(warehouse, "llm_consistency", run_id)
    print("check_rows: %d repeated calls; llm_consistency rows: %s" % (len(repeats), sorted({(c["arm"], c["samples"]) for c in cons})))


def check_arms(warehouse, run_id):
    """The montage and few-shot arms: what each request showed, as llm_calls and llm_arm_plans record it."""
    rows = latest(table(warehouse, "llm_calls", run_id))
    slices = ds.dataset("%s/slices" % warehouse, format="parquet").to_table(
        columns=["patient_id", "cohort", "fold", "label"]).to_pylist()
    patients = {s["patient_id"]: s for s in slices}
    for r in rows:
        where = "%s %s/%s/%s" % (r["arm"], r["patient_id"], r["plane"], r["slice_index"])
        examples = r["examples"] or []
        if r["arm"] == "montage":
            if examples or r["images"] != 1 or r["prompt_version"] != "classify-montage-v1":
                fail("%s: a montage call shows one image and no examples (%s, %s images)" % (where, examples, r["images"]))
            continue
        grid = r["arm"] == "few-shot-grid"
        if len(examples) != 4 or r["images"] != (1 if grid else 5):
            fail("%s: expected 4 examples in %d image(s), got %s in %s" % (where, 1 if grid else 5, examples, r["images"]))
        asked = patients[r["patient_id"]]
        grades = 0
        for e in examples:
            pid, plane, _ = e.split(":")
            p = patients[pid]
            if plane != r["plane"] or p["cohort"] != "cv" or pid == r["patient_id"] or (
                    asked["cohort"] == "cv" and p["fold"] == asked["fold"]):
                fail("%s: example %s is not an out-of-sample cv patient of the plane" % (where, e))
            grades += p["label"]
        if grades != 2:
            fail("%s: examples %s are not 2 HGG and 2 LGG" % (where, examples))
    plans = {p["arm"]: p for p in table(warehouse, "llm_arm_plans", run_id)}
    for arm, shown in (("montage", "montage"), ("few-shot-4", "few_shot"), ("few-shot-grid", "few_shot")):
        p = plans.get(arm)
        n = sum(1 for r in rows if r["arm"] == arm)
        if p is None or p["shown"] != shown or p["requests"] != n:
            fail("llm_arm_plans of %s: %s (calls: %d)" % (arm, p, n))
    print("check_rows: arms montage, few-shot-4, few-shot-grid: %d calls, each showing what its plan said; every example"
          " an out-of-sample cv patient of the plane, 2 per grade" % len(rows))


def check_wrong_model(warehouse, run_id):
    rows = latest(table(warehouse, "llm_calls", run_id))
    for r in rows:
        if r["status"] != "http_error" or r["http_status"] != 400 or r["attempts"] != 1:
            fail("wrong model: expected http_error 400 after 1 attempt (not retried), got %s %s after %s"
                 % (r["status"], r["http_status"], r["attempts"]))
        if "pinned" not in (r["error"] or ""):
            fail("wrong model: the server's message is not recorded: %r" % r["error"])
    print("check_rows: wrong model: %d calls, each HTTP 400 once (not retried), with the server's reason" % len(rows))


def check_lora(warehouse, run_id, report):
    rows = latest(table(warehouse, "llm_calls", run_id))
    lora = [r for r in rows if r["arm"] == "lora"]
    if not lora or any(r["http_status"] != 200 for r in lora):
        fail("the lora arm's calls are missing or failed")
    metrics = table(warehouse, "metrics", run_id)
    models = {m["model"] for m in metrics}
    for arm in ("general", "lora"):
        if arm not in models:
            fail("metrics lack the %s arm (models: %s)" % (arm, sorted(models)))
    cons = {c["arm"] for c in table(warehouse, "llm_consistency", run_id)}
    if "lora" not in cons:
        fail("llm_consistency lacks the lora arm (%s)" % sorted(cons))
    html = open(report, encoding="utf-8").read()
    for needle in (">lora<", ">general<", "LLM servers"):
        if needle not in html and needle.strip("><") not in html:
            fail("the report lacks %r" % needle)
    print("check_rows: lora arm: %d calls; metrics models %s; consistency arms %s; report %s names both arms"
          % (len(lora), sorted(models), sorted(cons), report))


if __name__ == "__main__":
    what = sys.argv[1]
    if what == "calls":
        check_calls(sys.argv[2], sys.argv[3], sys.argv[5].split(",") if len(sys.argv) > 5 else ["general"])
    elif what == "arms":
        check_arms(sys.argv[2], sys.argv[3])
    elif what == "wrong-model":
        check_wrong_model(sys.argv[2], sys.argv[3])
    elif what == "lora":
        check_lora(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
