package org.gliomabench.jobs.llm;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.gliomabench.core.Tables;
import org.gliomabench.core.Tables.LlmArmPlans;
import org.gliomabench.core.Tables.LlmCalls;
import org.gliomabench.jobs.warehouse.SparkTables;
import org.gliomabench.jobs.warehouse.Warehouse;

/** What each arm will send, said before any call (printed, and written to llm_arm_plans for the report). */
final class ArmPlans {
  private ArmPlans() {}

  static void print(List<CallPlan.ArmPlan> plans, PrintStream out) {
    for (CallPlan.ArmPlan p : plans) {
      out.printf("  plan %s%s: %d requests carrying %d images (%s), %d patients%s%n", p.arm().name(),
          p.arm().simulated() ? " [SIMULATED]" : "", p.requests(), p.images(), p.input().describe(), p.patients(),
          p.skippedPatients() > 0 || !p.skippedReasons().isEmpty() ? "; skipped " + p.skippedPatients() + " patients" : "");
      p.skippedReasons().forEach((reason, n) -> out.printf("    skipped: %s: %d patient(s)%n", reason, n));
    }
    out.flush();
  }

  static void write(Warehouse warehouse, String runId, List<CallPlan.ArmPlan> plans) {
    List<Row> rows = new ArrayList<>();
    for (CallPlan.ArmPlan p : plans) {
      List<String> reasons = new ArrayList<>();
      p.skippedReasons().forEach((reason, n) -> reasons.add(reason + ": " + n));
      rows.add(SparkTables.row(LlmArmPlans.TABLE).set(Tables.RUN_ID, runId).set(LlmCalls.ARM, p.arm().name())
          .set(LlmCalls.SIMULATED, p.arm().simulated()).set(LlmCalls.MODEL, p.arm().model())
          .set(LlmCalls.PROMPT_VERSION, p.arm().promptId()).set(LlmArmPlans.SHOWN, p.input().shown().code())
          .set(LlmArmPlans.LAYOUT, p.input().layout()).set(LlmArmPlans.EXAMPLES_PER_CALL, p.input().examples())
          .set(LlmArmPlans.EXAMPLE_SELECTION, p.input().selection()).set(LlmArmPlans.REQUESTS, p.requests())
          .set(LlmArmPlans.IMAGES, p.images()).set(LlmArmPlans.PATIENTS, p.patients())
          .set(LlmArmPlans.SKIPPED_PATIENTS, p.skippedPatients()).set(LlmArmPlans.SKIPPED_REASONS, reasons).build());
    }
    SparkTables.overwritePartitions(warehouse, LlmArmPlans.TABLE,
        SparkTables.frame(warehouse.spark(), LlmArmPlans.TABLE, rows).coalesce(1));
  }
}
