#!/usr/bin/env bash
# Issue 6: jftrace side by side with the JVM's other tracers (JFR method timing/trace, async-profiler,
# BTrace, Byteman, a Byte Buddy reference tracer) on the same three workloads, in one command.
#
#   bench/peers.sh [JAVA_HOME]        e.g. bench/peers.sh /usr/lib/jvm/temurin-25-jdk-amd64
#
# Builds the jars (SKIP_BUILD=1 reuses them), then runs org.jftrace.bench.peers.PeerBench on that JDK:
# one JMH fork per (configuration, workload), -f 1 -wi 3 -i 5 -w 1s -r 1s, -prof gc. Results and the
# table go to bench/target/results/peers/<java.version>/. JFR's configurations run on JDK 25+ only.
# Extra JVM options for PeerBench itself, e.g. PEERS_OPTS="-Dpeers.only=baseline|jftrace-.* -Dpeers.workloads=mix".
set -euo pipefail
cd "$(dirname "$0")/.."

JH=${1:-${JAVA_HOME:-}}
JAVA=${JH:+$JH/bin/}java

if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -q -B package -DskipTests
fi
# shellcheck disable=SC2086
"$JAVA" ${PEERS_OPTS:-} -cp bench/target/benchmarks.jar org.jftrace.bench.peers.PeerBench
