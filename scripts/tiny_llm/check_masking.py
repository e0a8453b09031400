#!/usr/bin/env python3
"""The fine-tuning labels are the assistant's answer and nothing else: builds batches of an export-finetune folder
with the project's collator (jobs/src/main/resources/finetune/glioma_sft.py) and the model's processor, and checks
that the unmasked label tokens decode to exactly the answer (+ the end-of-turn token), that no image token and no
id outside the output vocabulary is a label, and that padding is masked.

  check_masking.py EXPORT_DIR MODEL_DIR
"""
import json
import os
import sys

here = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(here, "..", "..", "jobs", "src", "main", "resources", "finetune"))
import glioma_sft  # noqa: E402
from transformers import AutoConfig, AutoProcessor  # noqa: E402

export, model = sys.argv[1], sys.argv[2]
processor = AutoProcessor.from_pretrained(model)
config = AutoConfig.from_pretrained(model)
vocab = config.get_text_config().vocab_size
image_id = config.image_token_index
with open(os.path.join(export, "train.jsonl"), encoding="utf-8") as fh:
    examples = [json.loads(line) for _, line in zip(range(6), fh)]
collator = glioma_sft.Collator(processor, vocab, image_id)
checked = 0
for i in range(0, len(examples), 3):
    batch = collator(examples[i:i + 3])  # several lengths: padding on the right
    for row, ex in enumerate(examples[i:i + 3]):
        ids = batch["input_ids"][row].tolist()
        labels = batch["labels"][row].tolist()
        kept = [t for t, l in zip(ids, labels) if l != -100]
        answer = ex["messages"][-1]["content"][0]["text"]
        text = processor.tokenizer.decode(kept)
        if text != answer + "<|eot_id|>":
            sys.exit("check_masking FAILED: labels decode to %r, not the answer %r" % (text, answer))
        if image_id not in ids or image_id in labels or any(l >= vocab for l in labels):
            sys.exit("check_masking FAILED: the image token is missing from the input or present in the labels")
        pad = [l for l, m in zip(labels, batch["attention_mask"][row].tolist()) if m == 0]
        if any(l != -100 for l in pad):
            sys.exit("check_masking FAILED: padding is a label")
        checked += 1
print("check_masking: %d examples: labels are the answer + <|eot_id|> only; prompt, <|image|> (id %d = vocabulary size)"
      " and padding masked" % (checked, image_id))
