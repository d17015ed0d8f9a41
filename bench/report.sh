#!/usr/bin/env bash
# Times `jftrace report` in every format on a large trace, in 256 MB of heap, on JDK 17 and JDK 25.
#   bench/report.sh [CALLS]        (default 10,000,000 calls = 20,000,000 function_graph records)
# Builds runtime, agent, cli and dist, writes the trace with the runtime's DataStreamWriter (the cli
# tests' Samples generator: 8 threads, blocks of 4,096 records, a LOST record every 50 blocks), then
# runs dist/target/jftrace.jar report -f FORMAT -o /tmp/... once per format and JDK.
# Raw output: bench/results/report-jdk17.txt, bench/results/report-jdk25.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
calls="${1:-10000000}"
jdk17="${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jdk25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
mvn_args=(-B -ntp -q ${MVN_ARGS:-})
(cd "$here" && mvn "${mvn_args[@]}" install -DskipTests -pl runtime,agent,cli,dist)
(cd "$here" && mvn "${mvn_args[@]}" test-compile -pl cli)
work="${TMPDIR:-/tmp}/jftrace-report-bench"
mkdir -p "$work"
trace="$work/large.jftrace"
"$jdk17/bin/java" -cp "$here/cli/target/test-classes:$here/runtime/target/classes" org.jftrace.cli.Samples "$trace" "$calls"
size=$(stat -c %s "$trace")
for jdk in "$jdk17" "$jdk25"; do
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  out="$here/bench/results/report-jdk${v%%.*}.txt"
  {
    echo "# jftrace report, $calls calls ($size bytes of trace data), -Xmx256m, java $v, $(nproc) cores, $(date -u +%F)"
    echo "# format  seconds  max-RSS-KB  exit  output-bytes"
    for f in text chrome-json perfetto trace-dat folded html jfr; do
      o="$work/out.$f"
      rm -f "$o"
      start=$(date +%s.%N)
      set +e
      /usr/bin/time -f "%M" -o "$work/rss" "$jdk/bin/java" -Xmx256m -jar "$here/dist/target/jftrace.jar" report -f "$f" -o "$o" "$trace" \
        2> "$work/err.$f"
      code=$?
      set -e
      end=$(date +%s.%N)
      printf "%-8s %8.1f %11s %5s %13s\n" "$f" "$(echo "$end - $start" | bc)" "$(tail -1 "$work/rss")" "$code" "$(stat -c %s "$o" 2>/dev/null || echo -)"
      grep -v '^$' "$work/err.$f" | sed 's/^/#   stderr: /' | grep -v "^#   stderr: *[0-9]*$" || true
    done
  } | tee "$out"
done
