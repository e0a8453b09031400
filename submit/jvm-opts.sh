# Sourced by the launchers: JVM options every glioma-bench JVM needs.
# Java 17 needs these for Spark, Kryo and ND4J (same list as surefire's argLine in pom.xml).
GLIOMA_BENCH_OPENS="--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED"

# ND4J's CPU build. Left to the JVM (NativeBackend, called first in Main, by the test launcher and by the
# Spark executor plugin), it is the oneDNN AVX2 build on CPUs with AVX2 and the plain build otherwise.
# GLIOMA_BENCH_CPU_BACKEND=plain|onednn-avx2 forces one (auto: the default choice).
case "${GLIOMA_BENCH_CPU_BACKEND:-auto}" in
  auto) GLIOMA_BENCH_ND4J_OPTS="" ;;
  plain) GLIOMA_BENCH_ND4J_OPTS="-Dorg.bytedeco.javacpp.platform.extension=" ;;
  onednn-avx2) GLIOMA_BENCH_ND4J_OPTS="-Dorg.bytedeco.javacpp.platform.extension=-onednn-avx2" ;;
  *) echo "GLIOMA_BENCH_CPU_BACKEND must be auto, plain or onednn-avx2, got '$GLIOMA_BENCH_CPU_BACKEND'" >&2; exit 2 ;;
esac
