#!/usr/bin/env bash
# Assembles a Spark binary distribution (the version of the root pom's spark.version, Scala 2.12, with Hive and
# the Thrift server) from Maven Central jars, for machines where no Spark can be downloaded:
#   SPARK_HOME/jars/*           spark-core, -sql, -mllib, -hive, -hive-thriftserver and their dependencies
#   SPARK_HOME/bin/spark-class  Spark's launcher library builds each java command (like Spark's own script)
#   SPARK_HOME/bin/spark-submit, spark-sql
#   SPARK_HOME/RELEASE          a worker launches executors from SPARK_HOME/jars only when this file exists
#   SPARK_HOME/conf/log4j2.properties
# Usage: scripts/cluster/spark-home.sh [DIR]    (default: target/spark-home; prints DIR; reuses a complete one)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
here="$root/scripts/cluster"
home="${1:-$root/target/spark-home}"
mkdir -p "$home"
home="$(cd "$home" && pwd)"

want=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$root/pom.xml" | head -1)
have=$(sed -n 's:.*<spark.version>\(.*\)</spark.version>.*:\1:p' "$here/spark-home-pom.xml" | head -1)
if [[ -z $want || $want != "$have" ]]; then
  echo "spark-home.sh: the project builds against Spark '$want' but $here/spark-home-pom.xml names '$have'" >&2
  exit 2
fi
want_thrift=$(sed -n 's:.*<spark.thriftserver.version>\(.*\)</spark.thriftserver.version>.*:\1:p' "$root/pom.xml" | head -1)
have_thrift=$(sed -n 's:.*<spark.thriftserver.version>\(.*\)</spark.thriftserver.version>.*:\1:p' "$here/spark-home-pom.xml" | head -1)
if [[ $want_thrift != "$have_thrift" ]]; then
  echo "spark-home.sh: the project's Thrift server is '$want_thrift' but $here/spark-home-pom.xml names '$have_thrift'" >&2
  exit 2
fi
want="$want+thrift-$want_thrift"
if [[ ! -f $home/.assembled || $(cat "$home/.assembled") != "$want" ]]; then
  echo "spark-home.sh: assembling Spark $want (Scala 2.12) from Maven Central into $home ..." >&2
  rm -rf "$home/jars" "$home/.assembled"
  mkdir -p "$home/jars"
  mvn -B -q -f "$here/spark-home-pom.xml" dependency:copy-dependencies \
    -DoutputDirectory="$home/jars" -DincludeScope=runtime >&2
  echo "spark-home.sh: $(ls "$home/jars" | wc -l) jars, $(du -sh "$home/jars" | cut -f1)" >&2
fi
# The scripts and conf are always refreshed (cheap), the jars only when the version changes.
rm -rf "$home/bin" "$home/conf"
mkdir -p "$home/bin" "$home/conf"
cp "$here/spark-class" "$home/bin/spark-class"
cat > "$home/bin/spark-submit" <<'SH'
#!/usr/bin/env bash
exec "$(dirname "${BASH_SOURCE[0]}")/spark-class" org.apache.spark.deploy.SparkSubmit "$@"
SH
cat > "$home/bin/spark-sql" <<'SH'
#!/usr/bin/env bash
exec "$(dirname "${BASH_SOURCE[0]}")/spark-submit" --class org.apache.spark.sql.hive.thriftserver.SparkSQLCLIDriver "$@"
SH
chmod +x "$home/bin/"*
cp "$root/conf/log4j2.properties" "$home/conf/log4j2.properties"
hadoop=$(ls "$home/jars" | sed -n 's/^hadoop-client-api-\(.*\)\.jar$/\1/p')
echo "Spark ${want%%+*} built for Hadoop $hadoop (assembled from Maven Central jars by glioma-bench's scripts/cluster/spark-home.sh)" \
  > "$home/RELEASE"
echo "$want" > "$home/.assembled"
echo "$home"
