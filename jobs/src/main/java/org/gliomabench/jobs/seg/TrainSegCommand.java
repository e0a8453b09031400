package org.gliomabench.jobs.seg;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.gliomabench.core.Tables.Segmentation;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.core.seg.UNetOptions;
import org.gliomabench.jobs.ReferenceMaskRows;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.train.SegmentationRows;
import org.gliomabench.jobs.train.TrainingJob;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;

/** {@code train-seg}: the U-Net per fold through DL4J on Spark; writes seg_history, seg_models, seg_masks, segmentation. */
public final class TrainSegCommand implements Command {

  @Override
  public String name() {
    return "train-seg";
  }

  @Override
  public String summary() {
    return "train the U-Net tumour segmenter per fold on Spark (DL4J) (seg_history, seg_models, seg_masks, segmentation)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--folds", ConfigKeys.SEG_FOLDS, "K", "fold(s) to train: a number, a list 0,2 or all"),
        CliOption.value("--epochs", ConfigKeys.SEG_EPOCHS, "N", "epochs per fold"),
        CliOption.value("--lr", ConfigKeys.SEG_LEARNING_RATE, "RATE", "Adam learning rate"),
        CliOption.value("--batch", ConfigKeys.SEG_BATCH_SIZE, "N", "minibatch size per worker (volumes, or slices in 2d)"),
        CliOption.value("--dimensions", ConfigKeys.SEG_DIMENSIONS, "3d|2d", "U-Net on whole volumes or on axial slices"),
        CliOption.value("--loss", ConfigKeys.SEG_LOSS, "dice_bce|dice", "training loss"),
        CliOption.value("--epoch-budget", ConfigKeys.SEG_EPOCH_BUDGET, "N",
            "train at most N epochs in this invocation, then checkpoint and stop (0: no limit)"));
  }

  @Override
  public String details() {
    return "Reads the volumes table (run ingest first) and patients.source. Folds train at once where the workers\n"
        + "allow it (seg.parallel.folds; 1: one after another). Per fold: trains a U-Net (regions WT, TC,\n"
        + "ET as sigmoid outputs) on the other cv folds with DL4J parameter averaging, validates on the fold every\n"
        + "epoch, checkpoints every seg.checkpoint.every epochs under <warehouse>/_checkpoints/seg/<run-id>/, keeps\n"
        + "the epoch with the best validation whole-tumour Dice, segments the fold's validation part and the test\n"
        + "cohort with it (seg_masks) and scores them against the ORIGINAL segmentation files (segmentation, model\n"
        + "cnn_seg: Dice, HD95 in mm; voxels outside the crop count as predicted background). Rerunning with the\n"
        + "same --run-id resumes from the last checkpoint and skips finished folds. A patient whose original\n"
        + "files cannot be read is named on the log and skipped. Exit status: 0 done, 1 a fold failed, 2 usage\n"
        + "error, 3 done but some patients could not be scored, 4 stopped by --epoch-budget (rerun to go on), 5 another\n"
        + "writer trains a requested fold of this run, 7 stopped by SIGUSR1/SIGTERM after checkpointing (rerun to go on).";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings settings = context.settings();
    TrainingSettings options = TrainingSettings.of(settings, ConfigKeys.SEG);
    UNetOptions unet = UNetOptions.from(settings);
    Warehouse warehouse = context.warehouse();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    TrainingVolumes volumes = TrainingVolumes.load(warehouse, name(), TrainingVolumes.MASKED, options.tensorDir());
    UNetTrainer trainer = new UNetTrainer(jsc, volumes, options, new TrainingMasters(options, settings),
        context.runId(), unet, new SegTables(warehouse, context.runId()), ReferenceMaskRows.all(warehouse, name()));
    TrainingJob.Summary s = TrainingJob.run(trainer, volumes, options);
    s.print(name(), context.runId());
    new SegmentationRows(warehouse, context.runId(), Segmentation.MODEL_CNN_SEG).print();
    System.out.printf("  tables seg_history, seg_models, seg_masks, segmentation under %s%n", context.warehouse().root());
    return s.exitStatus(name(), context.runId());
  }
}
