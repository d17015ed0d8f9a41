#!/usr/bin/env bash
# Builds HotSpot's disassembler plugin (hsdis) on Debian's Capstone and installs it into the JDKs
# given (default: every JDK under /usr/lib/jvm), so that -XX:+PrintAssembly and JMH's
# -prof "perfasm:events=cpu-clock" show x86 instructions. A developer tool: CI does not need it.
# Needs root (apt-get, and the JDKs' lib/server directories). This VM has no hardware perf counters:
# perfasm works with the software event only (apt-get install linux-perf for the perf binary).
set -euo pipefail
cd "$(dirname "$0")"
if ! [ -f /usr/include/capstone/capstone.h ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq gcc libcapstone-dev >/dev/null
fi
out=${TMPDIR:-/tmp}/hsdis-amd64.so
gcc -O2 -Wall -Wextra -shared -fPIC -o "$out" hsdis-capstone.c -lcapstone
jdks=("$@")
if [ ${#jdks[@]} -eq 0 ]; then
  for j in /usr/lib/jvm/*/lib/server; do jdks+=("${j%/lib/server}"); done
fi
for j in "${jdks[@]}"; do
  install -m 0644 "$out" "$j/lib/server/hsdis-amd64.so"
  echo "installed $j/lib/server/hsdis-amd64.so"
done
