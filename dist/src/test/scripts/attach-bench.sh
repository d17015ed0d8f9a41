#!/usr/bin/env bash
# The attach benchmarks, on a JVM with N (default 10000) loaded, hot, generated classes:
#  1. time from `jftrace attach` to the first traced event in trace_pipe;
#  2. time of one set_ftrace_filter write that turns on all N functions (the patch batch).
# Needs `mvn -DskipTests install` (and dist's test classes: `mvn -pl dist test-compile`) first.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
n="${1:-10000}"
java="${JAVA_HOME:+$JAVA_HOME/bin/}java"
javac="${JAVA_HOME:+$JAVA_HOME/bin/}javac"
jar="$here/target/jftrace.jar"
work="$(mktemp -d)"
trap 'rm -rf "$work"; [ -n "${app:-}" ] && kill "$app" 2>/dev/null || true' EXIT
mkdir -p "$work/src/gen" "$work/classes"
for ((i = 0; i < n; i++)); do
  c=$(printf 'C%05d' "$i")
  echo "package gen; public final class $c implements java.util.function.IntUnaryOperator { public int applyAsInt(int x) { return x * 31 + $i; } }" >"$work/src/gen/$c.java"
done
(cd "$work/src" && find . -name '*.java' >files && "$javac" -d "$work/classes" @files)
mkfifo "$work/in"
"$java" -cp "$here/target/test-classes" itest.ManyClassesApp "$work/classes" "$n" <"$work/in" >"$work/out" 2>&1 &
app=$!
exec 3>"$work/in"
until grep -q ready "$work/out"; do sleep 0.2; done
echo "# $("$java" -version 2>&1 | head -1); app pid $app; $n generated classes loaded and hot"
j() { "$java" -jar "$jar" "$@"; }
echo "## 1. attach -> first event (function tracer, filter gen.*, classes gen.*)"
j attach "$app" -p function --include 'gen.*' -l 'gen.*.applyAsInt' --first-event --duration 1s -o /dev/null
echo "## 2. one filter write turning on $n functions (current_tracer function, filter first empty of matches)"
j "$app" write set_ftrace_filter 'nothing.matches.this'
j "$app" write current_tracer function
j "$app" cat jftrace/patch_stats
t0=$(date +%s%N); j "$app" write set_ftrace_filter 'gen.*.applyAsInt'; t1=$(date +%s%N)
echo "enabled_functions: $(j "$app" cat enabled_functions | wc -l) lines"
echo "patch_stats after the write: $(j "$app" cat jftrace/patch_stats)"
echo "whole jftrace write command (JVM start included): $(( (t1 - t0) / 1000000 )) ms"
j "$app" write current_tracer nop
echo "enabled_functions after nop: $(j "$app" cat enabled_functions | wc -l) lines; last: $(j "$app" cat jftrace/patch_stats)"
exec 3>&-
wait "$app" || true
