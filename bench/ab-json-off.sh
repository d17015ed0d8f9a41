#!/usr/bin/env bash
# Disabled sites over a whole library, A/B: the Jackson parse of PeerWorkloads.json with every
# jackson-core method instrumented and nothing traced, one JMH fork per variant per round, the
# variants interleaved so that the machine's drift hits them alike (docs/benchmarks.md, "A whole library, nothing traced").
#
#   bench/ab-json-off.sh REPS JAVA VARIANT...
#   VARIANT: base (no agent) | JAR[:name=value,...] (a jftrace.jar, with system properties)
#   e.g. bench/ab-json-off.sh 6 java base /tmp/before.jar dist/target/jftrace.jar
#
# Prints: round, variant, ns/op, JMH error. Build first: mvn -q package -DskipTests
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=$1; JAVA=$2; shift 2
for r in $(seq 1 "$REPS"); do
  for v in "$@"; do
    if [ "$v" = base ]; then
      A="-Dpeers.config=baseline"
    else
      j=${v%%:*}; x=${v#*:}; [ "$x" = "$v" ] && x=
      P=""; for kv in ${x//,/ }; do P="$P -D$kv"; done
      A="$P -javaagent:$(realpath "$j")=include=bench.workload.peers.*,include=com.fasterxml.jackson.* -Dpeers.config=jftrace-off"
    fi
    s=$("$JAVA" -jar bench/target/benchmarks.jar 'PeerWorkloads.json' -f 1 -wi 5 -i 5 -w 1s -r 1s \
        -jvmArgsPrepend "$A" 2>&1 | grep -E '^PeerWorkloads.json' | awk '{print $(NF-3), $(NF-1)}')
    echo "$r $v $s"
  done
done
