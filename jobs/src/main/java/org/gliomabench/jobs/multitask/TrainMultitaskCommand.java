package org.gliomabench.jobs.multitask;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.train.TrainingJob;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;
import org.gliomabench.jobs.warehouse.Warehouse;

/**
 * {@code train-multitask}: the U-Net with a grade head per fold through DL4J on Spark; writes multitask_history,
 * multitask_models, predictions (model multitask) and segmentation (model multitask_seg).
 */
public final class TrainMultitaskCommand implements Command {

  /** A row the arm can train on: a 0/1 grade and a label mask on the grid with its crop box. */
  private static final TrainingVolumes.RowCheck GRADED_AND_MASKED = (r, shape) -> {
    String label = TrainingVolumes.LABELLED.apply(r, shape);
    return label != null ? label : TrainingVolumes.MASKED.apply(r, shape);
  };

  @Override
  public String name() {
    return MultitaskTrainer.STAGE;
  }

  @Override
  public String summary() {
    return "train the multi-task U-Net (segments and grades) per fold on Spark (DL4J) (multitask_history, "
        + "multitask_models, predictions, segmentation)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--folds", ConfigKeys.MULTITASK_FOLDS, "K", "fold(s) to train: a number, a list 0,2 or all"),
        CliOption.value("--epochs", ConfigKeys.MULTITASK_EPOCHS, "N", "epochs per fold"),
        CliOption.value("--lr", ConfigKeys.MULTITASK_LEARNING_RATE, "RATE", "Adam learning rate"),
        CliOption.value("--batch", ConfigKeys.MULTITASK_BATCH_SIZE, "N",
            "minibatch size per worker (volumes, at least 2: half HGG, half LGG; or slices in 2d)"),
        CliOption.value("--grade-weight", ConfigKeys.MULTITASK_GRADE_WEIGHT, "W",
            "weight of the grade's cross-entropy beside the segmentation loss"),
        CliOption.value("--dimensions", ConfigKeys.MULTITASK_DIMENSIONS, "3d|2d",
            "U-Net on whole volumes or on axial slices (default: seg.dimensions)"),
        CliOption.value("--epoch-budget", ConfigKeys.MULTITASK_EPOCH_BUDGET, "N",
            "train at most N epochs in this invocation, then checkpoint and stop (0: no limit)"));
  }

  @Override
  public String details() {
    return "Reads the volumes table (run ingest first) and reference_masks. Per fold: trains train-seg's U-Net with a\n"
        + "grade head on its bottleneck (global average pooling, dense, sigmoid) on the other cv folds, loss = the\n"
        + "segmentation loss + multitask.grade.weight x the grade's cross-entropy, LGG oversampled as for the CNN;\n"
        + "validates both tasks on the fold every epoch, checkpoints every multitask.checkpoint.every epochs under\n"
        + "<warehouse>/_checkpoints/multitask/<run-id>/, keeps the epoch multitask.best.metric prefers and scores the\n"
        + "fold's validation part and the test cohort with it: P(HGG) into predictions (model multitask) and the\n"
        + "segmentation against the original segmentation (segmentation, model multitask_seg). The U-Net's own\n"
        + "settings (dimensions, loss, base filters, levels) are seg.X unless multitask.X is set. Rerunning with\n"
        + "the same --run-id resumes from the last checkpoint and skips finished folds. Exit status: 0 done, 1 a fold\n"
        + "failed, 2 usage error, 3 done but some patients could not be scored in the original space, 4 stopped by\n"
        + "--epoch-budget (rerun to go on), 5 another writer trains a requested fold of this run, 7 stopped by\n"
        + "SIGUSR1/SIGTERM after checkpointing (rerun to go on). Folds train at once where the workers allow it\n"
        + "(train.parallel.folds).";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings settings = context.settings();
    TrainingSettings options = TrainingSettings.of(settings, ConfigKeys.MULTITASK);
    MultitaskTrainer.Options multitask = MultitaskTrainer.Options.from(settings);
    Warehouse warehouse = context.warehouse();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    TrainingVolumes volumes = TrainingVolumes.load(warehouse, name(), GRADED_AND_MASKED, options.tensorDir());
    MultitaskTables tables = new MultitaskTables(warehouse, context.runId());
    MultitaskTrainer trainer = new MultitaskTrainer(jsc, volumes, options, new TrainingMasters(options, settings),
        context.runId(), multitask, tables, ReferenceMaskRows.all(warehouse, name()));
    TrainingJob.Summary s = TrainingJob.run(trainer, volumes, options);
    s.print(name(), context.runId());
    tables.segmentation().print();
    System.out.printf("  tables multitask_history, multitask_models, predictions, segmentation under %s%n",
        warehouse.root());
    return s.exitStatus(name(), context.runId());
  }
}
