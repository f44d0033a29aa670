#!/usr/bin/env bash
# A long, coverage-guided fuzzing session of one target; new inputs that reach new code join the target's corpus in
# the source tree, findings land there too (as crash-*, timeout-*, oom-*). See README.md.
#   releng/org.stampede.fuzz/run.sh TARGET SECONDS [libFuzzer flags...]
#   targets: bencode torrent magnet wire http-tracker udp-tracker tracker-request
#            udp-tracker-request control
# Builds the module first (offline, tests skipped, under the shared build lock) when its class path is missing or a
# source is newer. Runs niced: the machine may be building meanwhile.
set -euo pipefail
module=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$module/../.." && pwd)
if [ $# -lt 2 ]; then
  echo "usage: $0 TARGET SECONDS [libFuzzer flags...]" >&2
  echo "targets: bencode torrent magnet wire http-tracker udp-tracker tracker-request udp-tracker-request control" >&2
  exit 2
fi
cpfile="$module/target/fuzz-classpath.txt"
if [ ! -f "$cpfile" ] || [ -n "$(find "$root"/bundles/*/src "$root"/bundles/*/META-INF "$module/src/test/java" \
    "$module/pom.xml" -newer "$cpfile" -type f -print -quit)" ]; then
  echo "run.sh: building the bundles and the fuzz targets" >&2
  build=("$root/mvnw" -B -ntp -q -o verify -f "$root/pom.xml" -pl releng/org.stampede.fuzz -am -DskipTests)
  if command -v flock >/dev/null; then flock /tmp/stampede-build.lock "${build[@]}"; else "${build[@]}"; fi
  touch "$cpfile" # the build leaves it alone when the class path did not change
fi
. "$root/.mvn/select-jdk.sh"
stampede_select_jdk
exec nice "$JAVA_HOME/bin/java" -Dstampede.fuzz.module="$module" -Dstampede.fuzz.classpath="$cpfile" \
  -Dstampede.fuzz.testClasses="$module/target/test-classes" \
  -cp "$module/target/test-classes:$(cat "$cpfile")" org.stampede.fuzz.LongRun "$@"
