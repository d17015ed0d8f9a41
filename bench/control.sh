#!/usr/bin/env bash
# Control commands: the wall time of each of 20 `jftrace PID cat|write FILE ...` commands against a
# running JVM with the agent, run as a user runs them, one after the other; then their distribution.
#
#   bench/control.sh [LAUNCHER]     LAUNCHER: the jftrace command to time (default: ./jftrace)
#   JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64 bench/control.sh
#
# The JVM traced runs bench/control/ControlTarget.java with dist/target/jftrace.jar as its agent, on
# the same java. One command runs untimed first (on a fresh cache it makes the launcher's archive;
# its time is printed apart). CPU is the commands' user + system time, from bash's `times`.
set -euo pipefail
cd "$(dirname "$0")/.."
launcher="${1:-./jftrace}"
java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
jar="dist/target/jftrace.jar"
[ -f "$jar" ] || { echo "bench/control.sh: build $jar first (mvn -DskipTests package)" >&2; exit 1; }

fifo="$(mktemp -u)"
mkfifo "$fifo"
out="$(mktemp)"
cpu_file="$(mktemp)"
"$java_bin" -javaagent:"$jar" bench/control/ControlTarget.java < "$fifo" > "$out" 2>&1 &
target=$!
exec 3> "$fifo" # the target's standard input: closed at the end, which ends it
trap 'exec 3>&-; wait "$target" 2>/dev/null || true; rm -f "$fifo" "$out" "$cpu_file"' EXIT
for _ in $(seq 300); do
  grep -q '^ready ' "$out" && break
  sleep 0.1
done
pid="$(sed -n 's/^ready //p' "$out")"
[ -n "$pid" ] || { echo "bench/control.sh: the target JVM did not start:" >&2; cat "$out" >&2; exit 1; }
socket="${TMPDIR:-/tmp}/jftrace-$(id -un)/$pid.sock"
for _ in $(seq 300); do
  [ -S "$socket" ] && break
  sleep 0.1
done

commands=(
  "cat current_tracer"
  "cat tracing_on"
  "write set_ftrace_filter ControlTarget.step"
  "cat set_ftrace_filter"
  "write current_tracer function"
  "cat enabled_functions"
  "write tracing_on 0"
  "cat buffer_size_kb"
  "write current_tracer nop"
  "write tracing_on 1"
)

run() { # one command, its output checked for an error
  local err
  if ! err="$($launcher "$pid" $1 2>&1 >/dev/null)" || [ -n "$err" ]; then
    echo "bench/control.sh: '$launcher $pid $1' failed: $err" >&2
    exit 1
  fi
}

t0=$EPOCHREALTIME
run "cat available_tracers"
t1=$EPOCHREALTIME
first=$(( (${t1/./} - ${t0/./}) / 1000 ))

to_ms() { # bash's 1m2.345s
  local m=${1%%m*} s=${1#*m}
  s=${s%s}
  echo $(( 10#$m * 60000 + 10#${s%.*} * 1000 + 10#${s#*.} ))
}
children_cpu() { # user + system ms of the commands run so far: `times` in this shell (a subshell's starts at 0)
  local u s
  times > "$cpu_file"
  { read -r _ _; read -r u s; } < "$cpu_file"
  cpu_now=$(( $(to_ms "$u") + $(to_ms "$s") ))
}
children_cpu
cpu0=$cpu_now
ms=()
for i in $(seq 0 19); do
  c="${commands[$((i % ${#commands[@]}))]}"
  s=$EPOCHREALTIME
  run "$c"
  e=$EPOCHREALTIME
  ms+=($(( (${e/./} - ${s/./}) / 1000 )))
  printf '%4d ms  %s\n' "${ms[-1]}" "$c"
done
children_cpu
cpu1=$cpu_now

sorted=($(printf '%s\n' "${ms[@]}" | sort -n))
median=$(( (sorted[9] + sorted[10]) / 2 ))
cpu=$(( (cpu1 - cpu0) / 20 ))
version="$("$java_bin" -version 2>&1 | head -n 1)"
echo "java: $version; launcher: $launcher; $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "first command (untimed warm-up): $first ms"
echo "20 commands: min ${sorted[0]}  p25 ${sorted[4]}  median $median  p75 ${sorted[14]}  p90 ${sorted[17]}  max ${sorted[19]} ms; CPU $cpu ms per command"
echo "sorted: ${sorted[*]}"
