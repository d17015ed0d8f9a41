#!/usr/bin/env bash
# The span export's cost to the traced program: bench/export/ExportLoad.java's requests per second
# untraced, under 'record --data' alone, and under 'record --data --export zipkin=' to a Zipkin server
# on this machine; the three interleaved, ROUNDS rounds. Each run prints the program's requests/s and
# CPU time per request (its main thread's and its JVM's), the CPU seconds of the jftrace command (the
# record process less the traced JVM) and of Zipkin during the run, and the export's spans line.
# Usage: bench/export.sh [-j JAVA] [-s SECONDS] [-n ROUNDS] [-t THRESH]
# Needs dist/target/zipkin/zipkin-server-exec.jar: 'mvn -B -ntp verify -pl dist' copies it there.
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=java DUR=15 ROUNDS=3 THRESH=100us
while getopts "j:s:n:t:" o; do
  case $o in j) JAVA=$OPTARG ;; s) DUR=$OPTARG ;; n) ROUNDS=$OPTARG ;; t) THRESH=$OPTARG ;; *) exit 2 ;; esac
done
JAR=dist/target/jftrace.jar
ZIPKIN=dist/target/zipkin/zipkin-server-exec.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
[ -f "$ZIPKIN" ] || { echo "no $ZIPKIN: run 'mvn -B -ntp verify -pl dist' once" >&2; exit 1; }
OUT=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$JAVA" -Xmx384m -jar "$ZIPKIN" --server.port="$PORT" --server.address=127.0.0.1 \
  --zipkin.collector.grpc.enabled=false >"$OUT/zipkin.log" 2>&1 &
ZPID=$!
# a Zipkin still busy with a backlog may not stop on TERM: it gets 10 s, then KILL
stop_zipkin() {
  kill "$ZPID" 2>/dev/null || return 0
  for _ in $(seq 1 20); do kill -0 "$ZPID" 2>/dev/null || return 0; sleep 0.5; done
  kill -9 "$ZPID" 2>/dev/null || true
}
trap 'stop_zipkin; rm -rf "$OUT"' EXIT
for _ in $(seq 1 360); do
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 && break
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "zipkin did not start" >&2; cat "$OUT/zipkin.log" >&2; exit 1; }
"$JAVA" -version 2>&1 | head -1
JAVAC=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac
"$JAVAC" --release 17 -d "$OUT" bench/export/ExportLoad.java
echo "ExportLoad ${DUR}s per run, --thresh $THRESH, zipkin on 127.0.0.1:$PORT"
zcpu() { awk '{print $14 + $15}' "/proc/$ZPID/stat"; }
run() {
  local mode=$1 cmd
  case $mode in
    none) cmd=("$JAVA" -cp "$OUT" ExportLoad "$DUR") ;;
    data) cmd=("$JAVA" -jar "$JAR" record --include ExportLoad --thresh "$THRESH" --data "$OUT/d.jftrace"
            -- "$JAVA" -cp "$OUT" ExportLoad "$DUR") ;;
    export) cmd=("$JAVA" -jar "$JAR" record --include ExportLoad --thresh "$THRESH" --data "$OUT/d.jftrace"
            --export "zipkin=http://127.0.0.1:$PORT" -- "$JAVA" -cp "$OUT" ExportLoad "$DUR") ;;
  esac
  local z0 z1 hz
  hz=$(getconf CLK_TCK)
  z0=$(zcpu)
  /usr/bin/time -f "cpu %U %S" -o "$OUT/time" "${cmd[@]}" >"$OUT/run" 2>&1
  z1=$(zcpu)
  local total jvm
  total=$(awk '{print $2 + $3}' "$OUT/time")
  jvm=$(grep -o 'JVM total [0-9.]* s' "$OUT/run" | awk '{print $3}')
  grep -E '^requests|events|spans sent|failed' "$OUT/run" | grep -v 'exporting' | tr '\n' ' '
  # the jftrace command's CPU: what the record process and the child it waited for used, less the child's
  if [ "$mode" != none ]; then
    awk -v t="$total" -v j="$jvm" 'BEGIN { printf "| jftrace command %.1f s CPU ", t - j }'
  fi
  awk -v a="$z0" -v b="$z1" -v hz="$hz" 'BEGIN { printf "| zipkin %.1f s CPU\n", (b - a) / hz }'
}
for r in $(seq 1 "$ROUNDS"); do
  for mode in none data export; do
    echo "round $r $mode: $(run $mode)"
  done
done
