package org.gliomabench.jobs.cnn;

import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.gliomabench.core.config.ConfigKeys;
import org.gliomabench.core.config.Settings;
import org.gliomabench.jobs.warehouse.Warehouse;
import org.gliomabench.jobs.cli.CliOption;
import org.gliomabench.jobs.cli.Command;
import org.gliomabench.jobs.cli.JobContext;
import org.gliomabench.jobs.train.TrainingJob;
import org.gliomabench.jobs.train.TrainingMasters;
import org.gliomabench.jobs.train.TrainingSettings;
import org.gliomabench.jobs.train.TrainingVolumes;

/** {@code train-cnn}: the 3D CNN per fold through DL4J on Spark; writes cnn_history, cnn_models, predictions. */
public final class TrainCnnCommand implements Command {

  @Override
  public String name() {
    return "train-cnn";
  }

  @Override
  public String summary() {
    return "train the 3D CNN per fold on Spark (DL4J), score the test cohort (cnn_history, cnn_models, predictions)";
  }

  @Override
  public List<CliOption> options() {
    return List.of(
        CliOption.value("--folds", ConfigKeys.CNN_FOLDS, "K", "fold(s) to train: a number, a list 0,2 or all"),
        CliOption.value("--epochs", ConfigKeys.CNN_EPOCHS, "N", "epochs per fold"),
        CliOption.value("--lr", ConfigKeys.CNN_LEARNING_RATE, "RATE", "Adam learning rate"),
        CliOption.value("--batch", ConfigKeys.CNN_BATCH_SIZE, "N", "minibatch size per worker"),
        CliOption.value("--epoch-budget", ConfigKeys.CNN_EPOCH_BUDGET, "N",
            "train at most N epochs in this invocation, then checkpoint and stop (0: no limit)"),
        CliOption.value("--training-master", ConfigKeys.CNN_TRAINING_MASTER, "KIND", "averaging (default) or sharing"));
  }

  @Override
  public String details() {
    return "Reads the volumes table (run ingest first). Folds train at once where the workers allow it\n"
        + "(cnn.parallel.folds; 1: one after another). Per fold: trains on the other cv folds with LGG oversampled,\n"
        + "validates on the fold every epoch, checkpoints every cnn.checkpoint.every epochs under\n"
        + "<warehouse>/_checkpoints/cnn/<run-id>/, keeps the best epoch (cnn.best.metric) and scores the fold's\n"
        + "validation part and the test cohort with it. Rerunning with the same --run-id resumes from the last\n"
        + "checkpoint and skips finished folds. Exit status: 0 done, 1 a fold failed (named on stderr),\n"
        + "2 usage error, 4 stopped by --epoch-budget (rerun to go on), 5 another writer trains a requested fold of this\n"
        + "run, 7 stopped by SIGUSR1/SIGTERM after checkpointing (rerun to go on).";
  }

  @Override
  public int run(JobContext context) throws Exception {
    Settings settings = context.settings();
    TrainingSettings options = TrainingSettings.of(settings, ConfigKeys.CNN);
    CnnTrainer.Options cnn = CnnTrainer.Options.from(settings);
    Warehouse warehouse = context.warehouse();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(warehouse.spark().sparkContext());
    TrainingVolumes volumes = TrainingVolumes.load(warehouse, name(), TrainingVolumes.LABELLED, options.tensorDir());
    CnnTrainer trainer = new CnnTrainer(jsc, volumes, options, new TrainingMasters(options, settings),
        context.runId(), cnn, new CnnTables(warehouse, context.runId()));
    TrainingJob.Summary s = TrainingJob.run(trainer, volumes, options);
    s.print(name(), context.runId());
    System.out.printf("  tables cnn_history, cnn_models, predictions under %s%n", context.warehouse().root());
    return s.exitStatus(name(), context.runId());
  }
}
