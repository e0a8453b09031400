#!/usr/bin/env bash
# glioma-bench on a cluster: spark-submit of the jobs jar (Spark and Hadoop provided by the cluster).
#
#   submit/spark-submit.sh [spark-submit options] <command> [command options]
#
#   e.g.  submit/spark-submit.sh --master spark://head:7077 --executor-memory 12g study --data hdfs:///brats
#         submit/spark-submit.sh --master yarn --deploy-mode cluster --num-executors 4 train-cnn --folds 2 ...
#
# spark-submit's own options (--master, --deploy-mode, --conf K=V, --executor-memory, --executor-cores,
# --num-executors, --driver-memory, --files, --queue, ...) go before the command and are passed through.
# The profile's settings (conf/spark/<profile>.conf) are passed as --conf before yours, so yours win, and the
# cluster's own SPARK_HOME/conf/spark-defaults.conf still applies underneath both. A master is required:
# --master, spark.master in the profile or spark-defaults.conf, or MASTER in the environment (use
# submit/glioma-bench to run on this machine in local mode).
#
# Environment:
#   SPARK_HOME             Spark 3.5.x (Scala 2.12) installation (default: spark-submit on the PATH)
#   GLIOMA_BENCH_JAR       the jar (default: jobs/target/glioma-bench-jobs-cluster.jar, built by mvn -Pcluster package)
#   GLIOMA_BENCH_PROFILE   Spark profile under conf/spark/: cpu (default) or gpu; each says what it assumes
#   SPARK_SUBMIT_OPTS_EXTRA  more spark-submit options, placed before those on the command line (for schedulers
#                          that call this script through submit/rerun-folds.sh)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/submit/jvm-opts.sh"

usage() {
  awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "${BASH_SOURCE[0]}"
  echo
  echo "Commands and their options are those of submit/glioma-bench (see: submit/glioma-bench --help)."
}

# spark-submit options that take no value; every other option before the command takes one.
flag_option() {
  case $1 in
    --verbose|-v|--supervise|--version|--help|-h|--usage-error) return 0 ;;
    *) return 1 ;;
  esac
}

# shellcheck disable=SC2206
args=(${SPARK_SUBMIT_OPTS_EXTRA:-} "$@")
submit_opts=()
command_args=()
have_master=false
driver_java=""
executor_java=""
i=0
while [[ $i -lt ${#args[@]} ]]; do
  a=${args[$i]}
  if [[ $a != -* ]]; then
    command_args=("${args[@]:$i}")
    break
  fi
  if [[ $a == --help || $a == -h ]]; then
    usage
    exit 0
  fi
  if [[ $a == *=* && $a == --[a-z]* && $a != --conf=* ]]; then
    # --option=value
    name=${a%%=*}; value=${a#*=}; step=1
  elif flag_option "$a"; then
    submit_opts+=("$a"); i=$((i + 1)); continue
  else
    name=$a
    if [[ $((i + 1)) -ge ${#args[@]} ]]; then
      echo "spark-submit.sh: $a needs a value" >&2
      exit 2
    fi
    value=${args[$((i + 1))]}; step=2
  fi
  [[ $name == --conf=* ]] && { value=${name#--conf=}; name=--conf; }
  case $name in
    --master) have_master=true ;;
    # Java 17 needs the --add-opens list in every JVM: merged into the user's own Java options.
    --driver-java-options) driver_java=$value; i=$((i + step)); continue ;;
    --conf)
      case $value in
        spark.master=*) have_master=true ;;
        spark.driver.extraJavaOptions=*) driver_java=${value#*=}; i=$((i + step)); continue ;;
        spark.executor.extraJavaOptions=*) executor_java=${value#*=}; i=$((i + step)); continue ;;
      esac ;;
  esac
  submit_opts+=("$name" "$value")
  i=$((i + step))
done
if [[ ${#command_args[@]} -eq 0 ]]; then
  usage >&2
  exit 2
fi

jar="${GLIOMA_BENCH_JAR:-$root/jobs/target/glioma-bench-jobs-cluster.jar}"
if [[ ! -f $jar ]]; then
  echo "spark-submit.sh: $jar not found; build it with: mvn -B -Pcluster -DskipTests package" >&2
  exit 2
fi
if [[ -n ${SPARK_HOME:-} ]]; then
  submit="$SPARK_HOME/bin/spark-submit"
  [[ -x $submit ]] || { echo "spark-submit.sh: SPARK_HOME=$SPARK_HOME has no bin/spark-submit" >&2; exit 2; }
else
  submit=$(command -v spark-submit || true)
  [[ -n $submit ]] || { echo "spark-submit.sh: no spark-submit: set SPARK_HOME or put Spark's bin/ on the PATH" >&2; exit 2; }
fi
profile="${GLIOMA_BENCH_PROFILE:-cpu}"
props="$root/conf/spark/$profile.conf"
if [[ ! -f $props ]]; then
  echo "spark-submit.sh: no Spark profile $props (profiles: $(ls "$root/conf/spark" | sed 's/\.conf$//' | tr '\n' ' '))" >&2
  exit 2
fi

profile_opts=()
while read -r key value; do
  [[ -z $key || $key == \#* ]] && continue
  [[ $key == spark.master ]] && have_master=true
  profile_opts+=(--conf "$key=$value")
done < "$props"
if [[ $have_master == false && -z ${MASTER:-} ]]; then
  defaults="${SPARK_CONF_DIR:-${SPARK_HOME:-$(dirname "$(dirname "$submit")")}/conf}/spark-defaults.conf"
  if ! grep -Eq '^[[:space:]]*spark\.master[[:space:]=]' "$defaults" 2>/dev/null; then
    echo "spark-submit.sh: no master: pass --master (spark://HOST:7077, yarn, k8s://https://HOST:PORT) before the" >&2
    echo "command, or set spark.master in $defaults. spark-submit would otherwise run local mode" >&2
    echo "silently; for this machine use submit/glioma-bench." >&2
    exit 2
  fi
fi

exec "$submit" \
  --class org.gliomabench.jobs.Main \
  "${profile_opts[@]}" \
  --conf "spark.driver.extraJavaOptions=$GLIOMA_BENCH_OPENS $GLIOMA_BENCH_ND4J_OPTS${driver_java:+ $driver_java}" \
  --conf "spark.executor.extraJavaOptions=$GLIOMA_BENCH_OPENS $GLIOMA_BENCH_ND4J_OPTS${executor_java:+ $executor_java}" \
  ${submit_opts[@]+"${submit_opts[@]}"} \
  "$jar" "${command_args[@]}"
