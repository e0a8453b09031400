#!/usr/bin/env bash
# glioma-bench on a cluster: spark-submit of the jobs jar (Spark and Hadoop provided by the cluster).
#   submit/spark-submit.sh <command> [options]          e.g.  submit/spark-submit.sh study --data hdfs:///brats
# Environment:
#   SPARK_HOME             Spark 3.5.x (Scala 2.12) installation (default: spark-submit on the PATH)
#   GLIOMA_BENCH_JAR       the jar (default: jobs/target/glioma-bench-jobs-cluster.jar, built by mvn -Pcluster package)
#   GLIOMA_BENCH_PROFILE   spark-defaults profile under conf/spark/: cpu (default) or gpu
#   SPARK_SUBMIT_OPTS_EXTRA  extra spark-submit options (e.g. "--master yarn --deploy-mode cluster")
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/submit/jvm-opts.sh"

if [[ $# -eq 0 || $1 == --help || $1 == -h ]]; then
  sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
  echo
  echo "Commands and their options are those of submit/glioma-bench (see: submit/glioma-bench --help)."
  [[ $# -eq 0 ]] && exit 2 || exit 0
fi

jar="${GLIOMA_BENCH_JAR:-$root/jobs/target/glioma-bench-jobs-cluster.jar}"
if [[ ! -f $jar ]]; then
  echo "spark-submit.sh: $jar not found; build it with: mvn -B -Pcluster -DskipTests package" >&2
  exit 2
fi
submit="${SPARK_HOME:+$SPARK_HOME/bin/}spark-submit"
profile="${GLIOMA_BENCH_PROFILE:-cpu}"
props="$root/conf/spark/$profile.conf"
if [[ ! -f $props ]]; then
  echo "spark-submit.sh: no Spark profile $props (profiles: $(ls "$root/conf/spark" | sed 's/\.conf$//' | tr '\n' ' '))" >&2
  exit 2
fi

# shellcheck disable=SC2086
exec "$submit" \
  --class org.gliomabench.jobs.Main \
  --properties-file "$props" \
  --conf "spark.driver.extraJavaOptions=$GLIOMA_BENCH_OPENS $GLIOMA_BENCH_ND4J_OPTS" \
  --conf "spark.executor.extraJavaOptions=$GLIOMA_BENCH_OPENS $GLIOMA_BENCH_ND4J_OPTS" \
  ${SPARK_SUBMIT_OPTS_EXTRA:-} \
  "$jar" "$@"
