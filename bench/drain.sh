#!/usr/bin/env bash
# The drain's rate: a program makes function-tracer calls at a set rate on one thread for a set time
# while 'data=FILE' streams them to disk; each run prints what was kept and lost and the MB/s written.
# Usage: bench/drain.sh [-j JAVA] [-s SECONDS] [-b BUFFER_KB] [RATE...]   (calls per second; default 1M..8M)
# Without -b, buffer_size_kb is the agent's default for a recording to disk (8192).
set -euo pipefail
cd "$(dirname "$0")/.."
JAVA=java DUR=60 BUF=
while getopts "j:s:b:" o; do
  case $o in j) JAVA=$OPTARG ;; s) DUR=$OPTARG ;; b) BUF=",buffer_size_kb=$OPTARG" ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
RATES=("$@")
[ ${#RATES[@]} -gt 0 ] || RATES=(1000000 2000000 3000000 5000000 8000000)
JAR=dist/target/jftrace.jar
[ -f "$JAR" ] || { echo "build first: mvn -B -ntp install -DskipTests" >&2; exit 1; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
"$JAVA" -version 2>&1 | head -1
# javac of the same JDK as JAVA
JAVAC=$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac
"$JAVAC" --release 17 -d "$OUT" bench/drain/DrainLoad.java
for rate in "${RATES[@]}"; do
  rm -f "$OUT/d.jftrace"
  line=$("$JAVA" -javaagent:"$JAR"=tracer=function,filter=DrainLoad.traced$BUF,data="$OUT/d.jftrace" \
    -cp "$OUT" DrainLoad "$rate" "$DUR" 2>&1 | grep -E "^calls|jftrace: [0-9]" | tr '\n' ' ')
  bytes=$(stat -c %s "$OUT/d.jftrace")
  echo "rate $rate/s for ${DUR}s${BUF}: $line| $(awk -v b="$bytes" -v s="$DUR" 'BEGIN{printf "%.1f MB/s written", b/s/1e6}')"
done
