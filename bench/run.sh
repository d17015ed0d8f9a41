#!/usr/bin/env bash
# Builds jftrace and the benchmarks, then runs the per-call JMH rows, the switch of 10,000 functions and
# the site sizes of docs/benchmarks.md on one JDK (the other benchmarks have scripts of their own).
#
#   bench/run.sh [JAVA_HOME]        e.g. bench/run.sh /usr/lib/jvm/temurin-25-jdk-amd64
#
# Results go to bench/target/results/<java.version>/. SKIP_BUILD=1 reuses the jars; ONLY=jmh|switch|size
# runs one part. The jars are built once (release 17) and run unchanged on every JDK.
set -euo pipefail
cd "$(dirname "$0")/.."

JH=${1:-${JAVA_HOME:-}}
JAVA=${JH:+$JH/bin/}java
VERSION=$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
OUT=bench/target/results/$VERSION
ONLY=${ONLY:-all}

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B package -DskipTests
fi
mkdir -p "$OUT"

AGENT="-javaagent:$PWD/dist/target/jftrace.jar=include=bench.workload.Traced*,include=bench.workload.gen.*"
# Short runs for a 2-core shared machine; read the error columns.
JMH_OPTS=(-f 1 -wi 3 -i 5 -w 1s -r 1s)

if [ "$ONLY" = all ] || [ "$ONLY" = jmh ]; then
  # A disabled site, one traced call per tracer: per-call costs, with the gc profiler's
  # gc.alloc.rate.norm (bytes per call).
  "$JAVA" -jar bench/target/benchmarks.jar 'DisabledSite|CallOps|ListFunc|DirectCost|TracerCost.(traced|nanoTime)$' \
    -p irrelevant=0,100 -p clock=mono,local_counter "${JMH_OPTS[@]}" -prof gc \
    -jvmArgsPrepend "$AGENT" -rf json -rff "$OUT/jmh.json" | tee "$OUT/jmh.txt"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = switch ]; then
  # Switching 10,000 C2-compiled functions on and off (plain main program, not JMH).
  # Arguments: K functions, on/off pairs, control methods. Warm-up to C2 is bounded by WARM_TIMEOUT seconds.
  "$JAVA" "-javaagent:$PWD/dist/target/jftrace.jar=include=bench.workload.gen.*" -DwarmTimeoutSeconds="${WARM_TIMEOUT:-150}" \
    -cp bench/target/benchmarks.jar org.jftrace.bench.SwitchTenThousand ${SWITCH_ARGS:-10000 1 1000} | tee "$OUT/switch.txt"
fi

if [ "$ONLY" = all ] || [ "$ONLY" = size ]; then
  # The bytes the sites add per method of guava (does not depend on the JDK).
  "$JAVA" -cp bench/target/benchmarks.jar:bench/target/report-lib/jftrace-agent.jar:bench/target/report-lib/jftrace-runtime.jar \
    org.jftrace.agent.SiteSizeReport bench/target/report-lib/guava.jar | tee "$OUT/sitesize.txt"
fi
echo "results in $OUT"
