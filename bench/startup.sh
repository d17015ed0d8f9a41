#!/usr/bin/env bash
# Startup of the framework applications (frameworks/): CPU time (user + sys) and wall time of the JVM from
# launch to its first HTTP 200, without the agent and with each set of agent options given, in interleaved
# rounds. Prints one line per run, then the medians and their ratios to the run without the agent.
#
#   mvn -q package -DskipTests            # builds dist/target/jftrace.jar and the apps
#   bench/startup.sh [-r ROUNDS] [-a spring|armeria] [-j JAVA] 'OPTIONS' ['OPTIONS'...]
#   bench/startup.sh -r 5 'check=0' 'check=1'
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3; APPS="spring armeria"; JAVA=${JAVA:-java}
while getopts "r:a:j:" o; do
  case $o in r) ROUNDS=$OPTARG;; a) APPS=$OPTARG;; j) JAVA=$OPTARG;; *) exit 2;; esac
done
shift $((OPTIND - 1))
CONFIGS=("none" "$@")
JAR=$PWD/dist/target/jftrace.jar
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT
TICK=$(getconf CLK_TCK)

one() { # app options -> "cpu_ms wall_ms"
  local app=$1 opts=$2 module main
  case $app in
    spring) module=frameworks/spring-boot-app; main=org.jftrace.frameworks.spring.SpringApp;;
    armeria) module=frameworks/armeria-app; main=org.jftrace.frameworks.armeria.ArmeriaApp;;
  esac
  local agent=()
  [ "$opts" != none ] && agent=("-javaagent:$JAR${opts:+=$opts}")
  rm -f "$TMP/port"
  local t0; t0=$(date +%s%N)
  "$JAVA" -Xmx1g "${agent[@]}" -Dapp.portFile="$TMP/port" -cp "$module/target/classes:$module/target/lib/*" "$main" \
      >"$TMP/out" 2>&1 </dev/null &
  local pid=$! deadline=$((SECONDS + 120))
  until [ -s "$TMP/port" ] && curl -sf -o /dev/null "http://127.0.0.1:$(cat "$TMP/port")/hello?name=x"; do
    kill -0 $pid 2>/dev/null || { echo "the $app JVM died:" >&2; tail -5 "$TMP/out" >&2; exit 1; }
    [ $SECONDS -lt $deadline ] || { kill -9 $pid; echo "$app did not answer in 120 s" >&2; exit 1; }
    sleep 0.05
  done
  local t1; t1=$(date +%s%N)
  local cpu; cpu=$(awk -v t="$TICK" '{print int(($14 + $15) * 1000 / t)}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  echo "$cpu $(( (t1 - t0) / 1000000 ))"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "# $("$JAVA" -version 2>&1 | head -1); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for app in $APPS; do
  for r in $(seq 1 "$ROUNDS"); do
    for c in "${!CONFIGS[@]}"; do
      res=$(one "$app" "${CONFIGS[$c]}")
      echo "$app round $r [${CONFIGS[$c]}] cpu_ms wall_ms: $res"
      echo "$res" >> "$TMP/$app.$c"
    done
  done
  base_cpu=$(cut -d' ' -f1 "$TMP/$app.0" | median); base_wall=$(cut -d' ' -f2 "$TMP/$app.0" | median)
  for c in "${!CONFIGS[@]}"; do
    cpu=$(cut -d' ' -f1 "$TMP/$app.$c" | median); wall=$(cut -d' ' -f2 "$TMP/$app.$c" | median)
    awk -v a="$app" -v o="${CONFIGS[$c]}" -v c="$cpu" -v w="$wall" -v bc="$base_cpu" -v bw="$base_wall" 'BEGIN {
      printf "%s [%s]: median CPU %.2f s (%.2fx), wall %.2f s (%.2fx)\n", a, o, c / 1000, c / bc, w / 1000, w / bw }'
  done
done
