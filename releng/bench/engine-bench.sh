#!/usr/bin/env bash
# Runs the engine's in-JVM benchmarks (in the engine's test fragment) against libtorrent in the same run, from a
# built tree (./mvnw verify, or verify -DskipTests, first):
#   releng/bench/engine-bench.sh [REPO=.] [WORKDIR=/tmp/stampede-bench] [MiB=1024] [RUNS=3] [download|seed|both]
#       DownloadBenchmark and SeedBenchmark: 1 GiB from and to libtorrent on loopback
#   releng/bench/engine-bench.sh [REPO=.] [WORKDIR] [N=10000] [IDLE_S=60] many
#       ManyTorrentsBenchmark: N seeding torrents in one engine (load time, idle CPU, heap), and lt_many.py
set -euo pipefail
repo=$(cd "${1:-.}" && pwd)
work=${2:-/tmp/stampede-bench}
mib=${3:-1024}
runs=${4:-3}
which=${5:-both}
java=""
for j in "${JAVA_HOME:-}/bin/java" "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  [ -x "$j" ] || continue
  v=$("$j" -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.specification.version = //p')
  if [ "${v%%.*}" -ge 21 ] 2>/dev/null; then java=$j; break; fi
done
[ -n "$java" ] || { echo "error: no JDK 21+ found" >&2; exit 1; }
cp=""
for d in "$repo"/bundles/*/target/classes; do
  case "$d" in *org.stampede.ui*|*org.stampede.cli*) continue ;; esac
  cp="$cp:$d"
done
m2=${M2_REPO:-$HOME/.m2/repository}
for jar in "$m2"/org/apache/mina/mina-core/2.2.4/mina-core-2.2.4.jar "$m2"/org/slf4j/slf4j-api/1.7.36/slf4j-api-1.7.36.jar \
    "$m2"/org/slf4j/slf4j-nop/1.7.36/slf4j-nop-1.7.36.jar; do
  [ -f "$jar" ] || { echo "error: $jar missing (run ./mvnw verify once)" >&2; exit 1; }
  cp="$cp:$jar"
done
cp=${cp#:}
run() { "$java" -Xmx256m -Dstampede.repo="$repo" -cp "$cp" "org.stampede.engine.internal.$1" "$work" "$mib" "$runs"; }
case "$which" in
  many) "$java" -Xmx1g -Dstampede.repo="$repo" -cp "$cp" org.stampede.engine.internal.ManyTorrentsBenchmark \
          "$work" "$mib" "$runs" ;;
  download) run DownloadBenchmark ;;
  seed) run SeedBenchmark ;;
  *) run DownloadBenchmark; run SeedBenchmark ;;
esac
