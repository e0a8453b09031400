package org.gliomabench.jobs.finetune;

import java.util.List;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code finetune}: LoRA/QLoRA SFT of the vision LLM on an export-finetune folder, in a Python process it watches. */
public final class FinetuneCommand implements Command {
  @Override
  public String name() {
    return "finetune";
  }

  @Override
  public String summary() {
    return "LoRA/QLoRA fine-tune the vision LLM on an export-finetune folder (PEFT + TRL in a Python process)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--data", ConfigKeys.FINETUNE_DIR, "DIR", "the export-finetune folder (train.jsonl, val.jsonl, images/)"),
        CliOption.value("--base", ConfigKeys.FINETUNE_BASE, "MODEL", "base model: a Hugging Face id or a local folder"),
        CliOption.value("--out", ConfigKeys.FINETUNE_OUT, "DIR", "output folder: adapter/, merged/, finetune.json, finetune.log"),
        CliOption.value("--max-steps", ConfigKeys.FINETUNE_MAX_STEPS, "N", "optimiser steps (-1: finetune.epochs over train.jsonl)"),
        CliOption.value("--epochs", ConfigKeys.FINETUNE_EPOCHS, "E", "epochs when --max-steps is -1"),
        CliOption.value("--lora-r", ConfigKeys.FINETUNE_LORA_R, "R", "LoRA rank"),
        CliOption.value("--lr", ConfigKeys.FINETUNE_LEARNING_RATE, "X", "learning rate"),
        CliOption.value("--batch", ConfigKeys.FINETUNE_BATCH_SIZE, "B", "examples per step"),
        CliOption.flag("--qlora", ConfigKeys.FINETUNE_QLORA, "QLoRA: load the base in 4 bits (bitsandbytes; needs a CUDA GPU)"),
        CliOption.flag("--merge", ConfigKeys.FINETUNE_MERGE, "also write OUT/merged: the base with the adapter folded in"),
        CliOption.value("--python", ConfigKeys.FINETUNE_PYTHON, "EXE", "Python with torch, transformers, peft, trl, datasets"));
  }

  @Override
  public String details() {
    return "Runs the project's PEFT + TRL script (written to OUT/glioma_sft.py) with --python, from OUT, and shows its\n"
        + "progress (step, loss, validation loss on val.jsonl, ETA). Labels are the assistant's answer only: the prompt,\n"
        + "the image token and padding are masked. Needs: pip install -r scripts/tiny_llm/requirements.txt (pinned).\n"
        + "Serve OUT/merged with `transformers serve OUT/merged` or `vllm serve OUT/merged`, or the adapter with vLLM\n"
        + "--enable-lora --lora-modules lora=OUT/adapter, then evaluate it as the arm lora of llm-slices (README).\n"
        + "On a cluster, run it where the GPU is (the driver of a cluster-mode submit on a GPU node). Exit status:\n"
        + "0 done, 1 training failed, 2 usage error, missing Python packages, or QLoRA without a CUDA GPU.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    return new FinetuneRunner(context.settings()).run();
  }
}
