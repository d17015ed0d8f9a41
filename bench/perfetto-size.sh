#!/usr/bin/env bash
# Bytes per call of 'jftrace report -f perfetto' (and of chrome-json and trace-dat, for comparison)
# on a real recording: the Shop example with ORDERS orders, recorded with function_graph on each JDK.
#   bench/perfetto-size.sh [ORDERS]        (default 100,000 orders, about 1.55 million calls)
# Raw output: bench/results/perfetto-size-jdk17.txt, bench/results/perfetto-size-jdk25.txt.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
orders="${1:-100000}"
jdk17="${JDK17:-$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")}"
jdk25="${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}"
jar="$here/dist/target/jftrace.jar"
examples="$here/examples/target/classes"
[ -f "$jar" ] && [ -d "$examples" ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
work="${TMPDIR:-/tmp}/jftrace-perfetto-size"
mkdir -p "$work"
for jdk in "$jdk17" "$jdk25"; do
  v=$("$jdk/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.version = //p')
  out="$here/bench/results/perfetto-size-jdk${v%%.*}.txt"
  data="$work/shop.jftrace"
  rm -f "$data"
  "$jdk/bin/java" -jar "$jar" record --include 'com.example.*' --data "$data" -- \
    "$jdk/bin/java" -cp "$examples" com.example.shop.Shop "$orders" > /dev/null 2> "$work/record.err"
  calls=$("$jdk/bin/java" -jar "$jar" report -f folded --folded-weight calls "$data" | awk '{n += $NF} END {print n}')
  {
    echo "# Shop $orders orders, function_graph, java $v, $(date -u +%F): $calls calls, $(stat -c %s "$data") bytes of trace data"
    grep -h "events" "$work/record.err" | sed 's/^/#   /'
    echo "# format       bytes        bytes/call  seconds"
    for f in perfetto chrome-json trace-dat; do
      o="$work/out.$f"
      start=$(date +%s.%N)
      "$jdk/bin/java" -Xmx256m -jar "$jar" report -f "$f" -o "$o" "$data" 2> /dev/null
      end=$(date +%s.%N)
      size=$(stat -c %s "$o")
      printf "%-12s %12s %10.1f %8.1f\n" "$f" "$size" "$(echo "$size / $calls" | bc -l)" "$(echo "$end - $start" | bc)"
    done
  } | tee "$out"
done
