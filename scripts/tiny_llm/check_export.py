#!/usr/bin/env python3
"""Loads an export-finetune folder as the fine-tuning tools do, from the current (any) working directory:
`datasets` reads train.jsonl/val.jsonl, every image opens by its path as written (as TRL's and Unsloth's vision
collators open them), and LLaMA-Factory's dataset_info.json names files that exist with images that resolve
(LLaMA-Factory joins a relative path to the dataset folder and keeps an absolute one).

  check_export.py EXPORT_DIR
"""
import json
import os
import sys

from datasets import load_dataset
from PIL import Image

d = os.path.abspath(sys.argv[1])
splits = {s: os.path.join(d, s + ".jsonl") for s in ("train", "val") if os.path.isfile(os.path.join(d, s + ".jsonl"))}
data = load_dataset("json", data_files=splits)
opened = 0
for split, rows in data.items():
    for row in rows:
        assert [m["role"] for m in row["messages"]] == ["user", "assistant"], row["messages"]
        for img in row["images"]:
            with Image.open(img) as im:  # as written, relative to nothing
                im.load()
            opened += 1
info = json.load(open(os.path.join(d, "dataset_info.json"), encoding="utf-8"))
for name, spec in info.items():
    path = os.path.join(d, spec["file_name"])
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            ex = json.loads(line)
            assert ex["messages"][0]["content"].startswith("<image>"), ex
            for img in ex["images"]:
                assert os.path.isfile(os.path.join(d, img)), img
print("check_export: from %s: %s rows read with datasets, %d images opened as written; LLaMA-Factory datasets %s"
      % (os.getcwd(), {k: len(v) for k, v in data.items()}, opened, sorted(info)))
