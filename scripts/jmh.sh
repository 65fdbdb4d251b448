#!/usr/bin/env bash
# Runs the JMH benchmarks: scripts/jmh.sh [JMH options and benchmark regex]
# With no arguments: RouterBenchmark, one fork, 3 warm-up and 5 measured iterations of 1 s.
# Builds benchmarks/target/benchmarks.jar first when it is missing or older than the sources
# (FORCE_BUILD=1 always rebuilds). Needs a JDK 21+; set JAVA_HOME to pick one.
set -euo pipefail
cd "$(dirname "$0")/.."

JAR=benchmarks/target/benchmarks.jar
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

stale() {
  [[ ! -f "$JAR" ]] && return 0
  [[ -n "$(find benchmarks/src gateway-core/src/main plugin-api/src/main pom.xml benchmarks/pom.xml \
           gateway-core/pom.xml plugin-api/pom.xml -newer "$JAR" -print -quit)" ]]
}

if [[ "${FORCE_BUILD:-0}" == 1 ]] || stale; then
  echo "building $JAR" >&2
  mvn -B -q -pl benchmarks -am package -DskipTests
fi

if [[ $# -eq 0 ]]; then
  set -- RouterBenchmark -f 1 -wi 3 -i 5 -w 1s -r 1s
fi
exec "$JAVA" -jar "$JAR" "$@"
