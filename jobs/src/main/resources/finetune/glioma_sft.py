#!/usr/bin/env python3
"""LoRA / QLoRA supervised fine-tuning of a vision chat model on the export-finetune dataset, with PEFT and TRL.

Started and watched by `glioma-bench finetune` (which passes the options); it can also be run by hand:
  python3 glioma_sft.py --data EXPORT_DIR --base MODEL_DIR_OR_ID --out OUT [--max-steps N] [--lora-r R] [--qlora] [--merge]

What it does:
  * reads EXPORT_DIR/train.jsonl (and val.jsonl, the held-out fold, when present) with `datasets`, opening every
    image path as written (export-finetune writes absolute paths);
  * builds each example with the model's own processor and chat template; the labels are the assistant's answer
    only: the prompt, the image token(s) and the padding are masked (-100). Llama 3.2 Vision's <|image|> id is the
    size of its output vocabulary, so a label left on it would be out of range;
  * trains LoRA adapters on the language model's attention projections (QLoRA: the base loaded in 4 bits, which
    needs bitsandbytes and a CUDA GPU), validating on the held-out fold;
  * writes OUT/adapter (PEFT adapter + processor), with --merge OUT/merged (base with the adapter folded in, servable
    by `transformers serve` or `vllm serve`), and OUT/finetune.json (settings, losses, counts).

It prints one JSON object per line on stdout ({"event": "start"|"step"|"eval"|"saved"|"done"|"error", ...}) for the
command to show; exit status 0 done, 3 missing Python packages, 4 QLoRA without a CUDA GPU, 5 bad data, 1 other.
"""
import argparse
import json
import math
import os
import sys
import time

REQUIRED = ["torch", "transformers", "peft", "trl", "datasets", "PIL", "accelerate"]


def emit(event, **fields):
    fields["event"] = event
    print(json.dumps(fields), flush=True)


def fail(code, kind, message):
    emit("error", kind=kind, message=message)
    sys.exit(code)


def check_packages(extra=()):
    import importlib.util
    missing = [m for m in list(REQUIRED) + list(extra) if importlib.util.find_spec(m) is None]
    if missing:
        names = ["pillow" if m == "PIL" else m for m in missing]
        fail(3, "missing_packages", "missing Python packages: %s (pip install %s; the project's pinned set is in "
             "scripts/tiny_llm/requirements.txt)" % (", ".join(names), " ".join(names)))


def parse_args():
    p = argparse.ArgumentParser(description="LoRA/QLoRA SFT on an export-finetune folder (PEFT + TRL)")
    p.add_argument("--data", required=True)
    p.add_argument("--base", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--max-steps", type=int, default=-1, help="stop after N optimiser steps (-1: --epochs)")
    p.add_argument("--epochs", type=float, default=1.0)
    p.add_argument("--lora-r", type=int, default=16)
    p.add_argument("--lora-alpha", type=int, default=32)
    p.add_argument("--lora-dropout", type=float, default=0.05)
    p.add_argument("--lora-targets", default="q_proj,k_proj,v_proj,o_proj",
                   help="projection names of the language model that get adapters")
    p.add_argument("--lr", type=float, default=2e-4)
    p.add_argument("--batch", type=int, default=2)
    p.add_argument("--grad-accum", type=int, default=1)
    p.add_argument("--eval-every", type=int, default=0, help="validate every N steps (0: five times per run)")
    p.add_argument("--max-val", type=int, default=256, help="validate on at most N held-out examples")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--qlora", action="store_true")
    p.add_argument("--merge", action="store_true")
    p.add_argument("--device", default="auto", help="auto, cpu or cuda")
    return p.parse_args()


def read_split(path):
    from datasets import load_dataset
    ds = load_dataset("json", data_files=path, split="train")
    if "messages" not in ds.column_names or "images" not in ds.column_names:
        fail(5, "bad_data", "%s has no messages/images columns: is it an export-finetune train.jsonl?" % path)
    for i, row in enumerate(ds.select(range(min(len(ds), 50)))):
        for img in row["images"]:
            if not os.path.isfile(img):
                fail(5, "bad_data", "%s line %d: image %s does not exist (relative paths resolve against the working "
                     "directory %s; re-export with the current export-finetune, which writes absolute paths)"
                     % (path, i + 1, img, os.getcwd()))
    return ds


class Collator:
    """Builds a batch with the model's processor; labels are the assistant's tokens only."""

    def __init__(self, processor, vocab_size, image_token_id):
        self.processor = processor
        self.vocab_size = vocab_size
        self.image_token_id = image_token_id
        self.masked = 0
        self.kept = 0

    def __call__(self, examples):
        import torch
        from PIL import Image
        texts, prompts, images = [], [], []
        for ex in examples:
            messages = ex["messages"]
            texts.append(self.processor.apply_chat_template(messages, tokenize=False))
            prompts.append(self.processor.apply_chat_template(messages[:-1], tokenize=False, add_generation_prompt=True))
            images.append([Image.open(p).convert("RGB") for p in ex["images"]])
        tok = self.processor.tokenizer
        tok.padding_side = "right"
        batch = self.processor(text=texts, images=images, return_tensors="pt", padding=True, add_special_tokens=False)
        labels = batch["input_ids"].clone()
        for i, prompt in enumerate(prompts):
            n = len(self.processor(text=[prompt], images=[images[i]], add_special_tokens=False)["input_ids"][0])
            labels[i, :n] = -100
        labels[batch["attention_mask"] == 0] = -100
        if self.image_token_id is not None:
            labels[labels == self.image_token_id] = -100
        labels[labels >= self.vocab_size] = -100  # ids outside the output vocabulary (special image tokens)
        self.masked += int((labels == -100).sum())
        self.kept += int((labels != -100).sum())
        batch["labels"] = labels
        return batch


def main():
    a = parse_args()
    check_packages()
    import torch
    from peft import LoraConfig, PeftModel, prepare_model_for_kbit_training
    from transformers import AutoModelForImageTextToText, AutoProcessor, TrainerCallback, set_seed
    from trl import SFTConfig, SFTTrainer

    cuda = torch.cuda.is_available()
    if a.qlora and (not cuda or a.device == "cpu"):
        fail(4, "qlora_needs_cuda", "QLoRA loads the base model in 4 bits with bitsandbytes, which needs a CUDA GPU; "
             "this machine has %s. Run without --qlora (LoRA) here, or on a GPU node" % ("no CUDA GPU" if not cuda else "--device cpu"))
    if a.qlora:
        check_packages(["bitsandbytes"])
    device = "cuda" if (a.device == "auto" and cuda) or a.device == "cuda" else "cpu"
    set_seed(a.seed)
    t0 = time.time()
    train_path = os.path.join(a.data, "train.jsonl")
    if not os.path.isfile(train_path):
        fail(5, "bad_data", "no train.jsonl in %s: run export-finetune --out %s first" % (a.data, a.data))
    val_path = os.path.join(a.data, "val.jsonl")
    train = read_split(train_path)
    val = read_split(val_path) if os.path.isfile(val_path) and os.path.getsize(val_path) > 0 else None
    if val is not None and len(val) > a.max_val:
        val = val.shuffle(seed=a.seed).select(range(a.max_val))

    processor = AutoProcessor.from_pretrained(a.base)
    kwargs = {}
    if a.qlora:
        from transformers import BitsAndBytesConfig
        kwargs["quantization_config"] = BitsAndBytesConfig(load_in_4bit=True, bnb_4bit_quant_type="nf4",
                                                           bnb_4bit_use_double_quant=True,
                                                           bnb_4bit_compute_dtype=torch.bfloat16)
        kwargs["device_map"] = {"": 0}
    elif device == "cuda":
        kwargs["dtype"] = torch.bfloat16
    model = AutoModelForImageTextToText.from_pretrained(a.base, **kwargs)
    if a.qlora:
        model = prepare_model_for_kbit_training(model)
    elif device == "cuda":
        model = model.to("cuda")
    text_config = model.config.get_text_config() if hasattr(model.config, "get_text_config") else model.config
    vocab = text_config.vocab_size
    image_token_id = getattr(model.config, "image_token_id", None)
    if image_token_id is None:
        image_token_id = getattr(model.config, "image_token_index", None)
    targets = [t.strip() for t in a.lora_targets.split(",") if t.strip()]
    # Adapters on the language model only (vLLM's LoRA serving covers the language model, not the vision tower).
    target_regex = r".*language_model.*\.(%s)" % "|".join(targets)
    peft_config = LoraConfig(r=a.lora_r, lora_alpha=a.lora_alpha, lora_dropout=a.lora_dropout,
                             target_modules=target_regex, task_type="CAUSAL_LM")
    collator = Collator(processor, vocab, image_token_id)
    steps_per_epoch = math.ceil(len(train) / (a.batch * a.grad_accum))
    max_steps = a.max_steps if a.max_steps > 0 else max(1, int(math.ceil(steps_per_epoch * a.epochs)))
    eval_every = a.eval_every if a.eval_every > 0 else max(1, max_steps // 5)
    emit("start", base=a.base, data=os.path.abspath(a.data), train=len(train), val=0 if val is None else len(val),
         max_steps=max_steps, lora_r=a.lora_r, qlora=a.qlora, device=device, image_token_id=image_token_id, vocab=vocab)

    history = []
    evaluated = set()

    class Progress(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kw):
            logs = logs or {}
            if "eval_loss" in logs:
                if state.global_step in evaluated:
                    return  # the end of training validates the last step again
                evaluated.add(state.global_step)
            row = {"step": state.global_step, "max_steps": state.max_steps,
                   "elapsed_s": round(time.time() - t0, 1)}
            for k in ("loss", "eval_loss", "learning_rate", "grad_norm", "train_loss"):
                if k in logs:
                    row[k] = logs[k]
            history.append(row)
            emit("eval" if "eval_loss" in logs else "step", **row)

    config = SFTConfig(output_dir=os.path.join(a.out, "checkpoints"), max_steps=max_steps,
                       per_device_train_batch_size=a.batch, per_device_eval_batch_size=a.batch,
                       gradient_accumulation_steps=a.grad_accum, learning_rate=a.lr, logging_steps=1,
                       eval_strategy="steps" if val is not None else "no", eval_steps=eval_every,
                       save_strategy="no", report_to=[], remove_unused_columns=False,
                       dataset_kwargs={"skip_prepare_dataset": True}, seed=a.seed, bf16=device == "cuda",
                       use_cpu=device == "cpu", disable_tqdm=True, dataloader_num_workers=0,
                       gradient_checkpointing=False)
    trainer = SFTTrainer(model=model, args=config, train_dataset=train, eval_dataset=val, data_collator=collator,
                         processing_class=processor, peft_config=peft_config, callbacks=[Progress()])
    from transformers.trainer_callback import PrinterCallback, ProgressCallback
    trainer.remove_callback(PrinterCallback)  # our JSON lines say the same; stdout stays machine-readable
    trainer.remove_callback(ProgressCallback)
    trainable = sum(p.numel() for p in trainer.model.parameters() if p.requires_grad)
    trainer.train()
    final = {}
    if val is not None:
        final = trainer.evaluate()
    adapter = os.path.join(a.out, "adapter")
    trainer.model.save_pretrained(adapter)
    processor.save_pretrained(adapter)
    emit("saved", what="adapter", path=os.path.abspath(adapter))
    merged = None
    if a.merge:
        # Merged from a full-precision copy of the base (a 4-bit base cannot take the adapter exactly).
        base = AutoModelForImageTextToText.from_pretrained(a.base, dtype=torch.float32)
        merged_model = PeftModel.from_pretrained(base, adapter).merge_and_unload()
        merged = os.path.join(a.out, "merged")
        merged_model.save_pretrained(merged)
        processor.save_pretrained(merged)
        emit("saved", what="merged", path=os.path.abspath(merged))
    losses = [h["loss"] for h in history if "loss" in h]
    summary = {"base": a.base, "data": os.path.abspath(a.data), "adapter": os.path.abspath(adapter),
               "merged": None if merged is None else os.path.abspath(merged), "steps": max_steps,
               "train_examples": len(train), "val_examples": 0 if val is None else len(val),
               "lora_r": a.lora_r, "lora_alpha": a.lora_alpha, "lora_targets": targets, "qlora": a.qlora,
               "trainable_parameters": trainable, "first_loss": losses[0] if losses else None,
               "last_loss": losses[-1] if losses else None, "val_loss": final.get("eval_loss"),
               "label_tokens_kept": collator.kept, "label_tokens_masked": collator.masked,
               "seconds": round(time.time() - t0, 1), "history": history}
    with open(os.path.join(a.out, "finetune.json"), "w", encoding="utf-8") as fh:
        json.dump(summary, fh, indent=2)
    emit("done", **{k: v for k, v in summary.items() if k != "history"})


if __name__ == "__main__":
    try:
        main()
    except SystemExit:
        raise
    except Exception as e:  # the command shows this line; the traceback goes to stderr
        import traceback
        traceback.print_exc()
        fail(1, type(e).__name__, str(e)[:2000])
