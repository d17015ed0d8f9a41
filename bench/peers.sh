#!/usr/bin/env bash
# jftrace side by side with the JVM's other tracers (JFR method timing/trace, async-profiler,
# BTrace, Byteman, a Byte Buddy reference tracer) on the same three workloads, in one command.
#
#   bench/peers.sh [JAVA_HOME]        e.g. bench/peers.sh /usr/lib/jvm/temurin-25-jdk-amd64
#
# Builds the jars (SKIP_BUILD=1 reuses them; MAVEN_ARGS is passed to mvn, e.g. MAVEN_ARGS="-o"), then runs org.jftrace.bench.peers.PeerBench on that JDK:
# one JMH fork per (configuration, workload), -f 1 -wi 3 -i 5 -w 1s -r 1s, -prof gc. Results and the
# table go to bench/target/results/peers/<java.version>/. JFR's configurations run on JDK 25+ only.
# Extra JVM options for PeerBench itself, e.g. PEERS_OPTS="-Dpeers.only=baseline|jftrace-.* -Dpeers.workloads=mix".
# PEERS_SWITCH=1 then also times switching each tool on and off for 10,000 functions (jftrace, JFR on
# JDK 25+, Byte Buddy, Byteman, async-profiler; docs/benchmarks.md, "How does jftrace compare with the
# other JVM tracers?"), printing to bench/target/results/peers/<java.version>/switch-<tool>.txt; it
# takes 10-20 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."

JH=${1:-${JAVA_HOME:-}}
JAVA=${JH:+$JH/bin/}java

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  # shellcheck disable=SC2086
  mvn -q -B package -DskipTests ${MAVEN_ARGS:-}
fi
# shellcheck disable=SC2086
"$JAVA" ${PEERS_OPTS:-} -cp bench/target/benchmarks.jar org.jftrace.bench.peers.PeerBench

if [ "${PEERS_SWITCH:-0}" = 1 ]; then
  out=bench/target/results/peers/$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  mkdir -p "$out"
  rt=runtime/target/jftrace-runtime-0.1.0-SNAPSHOT.jar
  "$JAVA" -javaagent:dist/target/jftrace.jar=include=bench.workload.gen.* -DwarmTimeoutSeconds=30 \
    -cp bench/target/benchmarks.jar org.jftrace.bench.SwitchTenThousand 10000 1 1000 | tee "$out/switch-jftrace.txt"
  if "$JAVA" -version 2>&1 | grep -qE 'version "(2[5-9]|[3-9][0-9])'; then
    "$JAVA" -cp "bench/target/benchmarks.jar:$rt" org.jftrace.bench.JfrSwitch 10000 2000 | tee "$out/switch-jfr.txt"
  fi
  "$JAVA" -javaagent:bench/target/benchmarks.jar -cp "bench/target/benchmarks.jar:$rt" \
    org.jftrace.bench.peers.ByteBuddySwitch 10000 2000 | tee "$out/switch-bytebuddy.txt"
  "$JAVA" -javaagent:bench/target/peers/byteman.jar=listener:true -cp "bench/target/benchmarks.jar:$rt" \
    org.jftrace.bench.peers.BytemanSwitch 10000 2000 | tee "$out/switch-byteman.txt"
  "$JAVA" -cp "bench/target/benchmarks.jar:bench/target/peers/async-profiler.jar:$rt" \
    org.jftrace.bench.peers.AsyncProfilerSwitch 10000 2000 | tee "$out/switch-asprof.txt"
fi
