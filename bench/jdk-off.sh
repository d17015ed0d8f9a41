#!/usr/bin/env bash
# Sites in JDK classes while nothing is traced, A/B: JdkOffCost in forks whose agent plants java.util
# (include=java.util.*) and forks whose agent leaves the JDK alone, interleaved round by round so that
# the machine's drift hits both alike (docs/benchmarks.md, "JDK classes with sites, nothing traced").
#
#   bench/jdk-off.sh [ROUNDS] [JAVA_HOME]
#
# Prints per round and benchmark the ns/op of both and their ratio, then the median ratios.
# Build first: mvn -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-4}
JH=${2:-${JAVA_HOME:-}}
JAVA=${JH:+$JH/bin/}java
JAR=$(realpath dist/target/jftrace.jar)
out=$(mktemp -d)
for r in $(seq 1 "$ROUNDS"); do
  for v in without with; do
    if [ $v = with ]; then A="-javaagent:$JAR=include=java.util.* -Djftrace.expectJdkSites=true"; else A="-javaagent:$JAR"; fi
    "$JAVA" -Djmh.ignoreLock=true -jar bench/target/benchmarks.jar 'JdkOffCost' -jvmArgsPrepend "$A" -rf csv -rff "$out/$v-$r.csv" \
      > "$out/$v-$r.txt" 2>&1 || { cat "$out/$v-$r.txt"; exit 1; }
  done
  paste -d, "$out/without-$r.csv" "$out/with-$r.csv" | tail -n +2 | tr -d '"' |
    awk -F, -v r="$r" '{ split($1, n, "."); printf "round %s %-18s without %8.2f  with %8.2f  ratio %.3f\n", r, n[length(n)], $5, $12, $12 / $5 }'
done | tee "$out/rounds.txt"
echo "median ratio with/without sites:"
awk '{ print $3, $9 }' "$out/rounds.txt" | sort -k1,1 -k2,2n |
  awk '{ v[$1] = v[$1] " " $2; c[$1]++ } END { for (k in v) { split(substr(v[k], 2), a, " "); printf "  %-18s %.3f (%d rounds)\n", k, a[int((c[k] + 1) / 2)], c[k] } }'
