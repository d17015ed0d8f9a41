#!/usr/bin/env bash
# jftrace on two real applications from Maven Central (frameworks/: Spring Boot on Tomcat, Armeria on
# Netty), each under a bounded load on loopback:
#  1. startup (CPU and wall to the first HTTP 200) without the agent, with it (nothing traced), and
#     with an include that matches nothing: bench/startup.sh, interleaved rounds;
#  2. the LambdaForm classes the JVM spins at startup, with and without the agent (-Xlog:class+load);
#  3. attach under load (bench/realapp/RealAppBench.java): attach to first event, throughput before,
#     during and after the function tracer, function_graph and the function profiler, on one package
#     and on one method, and the recovery time after the detach.
#
#   mvn -q package -DskipTests            # builds dist/target/jftrace.jar and the apps
#   bench/realapp.sh [-r ROUNDS] [-j JAVA]
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=3; JAVA=${JAVA:-java}
while getopts "r:j:" o; do
  case $o in r) ROUNDS=$OPTARG;; j) JAVA=$OPTARG;; *) exit 2;; esac
done
JAR=$PWD/dist/target/jftrace.jar
TMP=$(mktemp -d); trap 'rm -rf "$TMP"' EXIT

echo "## 1. startup"
bench/startup.sh -r "$ROUNDS" -j "$JAVA" '' 'include=nothing.*' | grep -v ' round '

echo "## 2. LambdaForm classes defined at startup"
lambdaforms() { # app options -> count
  local app=$1 opts=$2 module main agent=()
  case $app in
    spring) module=frameworks/spring-boot-app; main=org.jftrace.frameworks.spring.SpringApp;;
    armeria) module=frameworks/armeria-app; main=org.jftrace.frameworks.armeria.ArmeriaApp;;
  esac
  [ "$opts" != none ] && agent=("-javaagent:$JAR${opts:+=$opts}")
  rm -f "$TMP/port" "$TMP/cl.log"
  "$JAVA" -Xmx1g "${agent[@]}" -Xlog:class+load=info:file="$TMP/cl.log" -Dapp.portFile="$TMP/port" \
      -cp "$module/target/classes:$module/target/lib/*" "$main" >"$TMP/out" 2>&1 </dev/null &
  local pid=$! deadline=$((SECONDS + 120))
  until [ -s "$TMP/port" ] && curl -sf -o /dev/null "http://127.0.0.1:$(cat "$TMP/port")/hello?name=x"; do
    [ $SECONDS -lt $deadline ] || { kill -9 $pid; echo "no answer" >&2; exit 1; }
    sleep 0.05
  done
  kill $pid; wait $pid 2>/dev/null || true
  grep -c 'java.lang.invoke.LambdaForm\$[DM]H' "$TMP/cl.log" || true
}
for app in spring armeria; do
  none=$(lambdaforms $app none); with=$(lambdaforms $app '')
  echo "$app: LambdaForm\$MH/\$DMH classes without the agent $none, with it $with (jftrace: $((with - none)))"
done

echo "## 3. attach under load"
for app in spring armeria; do
  "$JAVA" bench/realapp/RealAppBench.java "$app" "$JAVA"
done
