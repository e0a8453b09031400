package org.gliomabench.jobs.finetune;

import java.util.List;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;

/** {@code export-finetune}: the cv cohort's tumour slices as a vision chat SFT dataset (JSONL + images). */
public final class ExportFinetuneCommand implements Command {
  @Override
  public String name() {
    return "export-finetune";
  }

  @Override
  public String summary() {
    return "write the training folds' tumour slices as a JSONL chat dataset for LoRA/QLoRA fine-tuning (TRL, Unsloth, LLaMA-Factory)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--out", ConfigKeys.FINETUNE_DIR, "DIR", "output folder (train.jsonl, val.jsonl, images/, dataset_info.json)"),
        CliOption.value("--val-fold", ConfigKeys.FINETUNE_VAL_FOLD, "K", "write fold K as val.jsonl (default: every cv fold is training)"),
        CliOption.value("--planes", ConfigKeys.FINETUNE_PLANES, "LIST", "planes to export"));
  }

  @Override
  public String details() {
    return "The test cohort is never exported. LGG examples are oversampled (seeded) to balance HGG in each split.\n"
        + "train.jsonl: {\"messages\":[user: image + classify-v1 prompt, assistant: \"Choice: k Reasoning: ...\"],\n"
        + "\"images\":[\"/abs/out/images/...png\"]} as TRL/Unsloth vision SFT read it (absolute paths: it reads from any\n"
        + "working directory; re-export after moving the folder); llamafactory_train.jsonl + dataset_info.json for\n"
        + "LLaMA-Factory (dataset glioma_train). Train with the finetune command, evaluate as another llm-slices arm.";
  }

  @Override
  public int run(JobContext context) throws Exception {
    FinetuneExporter.Summary s = new FinetuneExporter(context.settings(), context.warehouse()).run();
    System.out.printf("export-finetune: %d slice images under %s/images%n", s.images(), s.dir());
    s.bySplit().forEach((split, n) -> System.out.printf("  %s.jsonl: %d examples (%d HGG, %d LGG after oversampling)%n",
        split, n[0] + n[1], n[1], n[0]));
    return 0;
  }
}
