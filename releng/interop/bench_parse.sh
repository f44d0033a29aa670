#!/usr/bin/env bash
# Parsing benchmark: Stampede's bencode decoder and torrent parser against libtorrent's torrent_info
# (C++ bdecode + validation, called from Python) on the same torrent files, in the same run.
# Usage: releng/interop/bench_parse.sh [WORKDIR]     (after ./mvnw verify has built the jars)
#   SECONDS_PER=3   measuring time per tool and file (plus half as long to warm up)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-$(mktemp -d)}
SECONDS_PER=${SECONDS_PER:-3}
. "$repo/.mvn/select-jdk.sh"; stampede_select_jdk
cp="$repo/bundles/org.stampede.bencode/target/org.stampede.bencode-0.1.0-SNAPSHOT.jar"
cp="$cp:$repo/bundles/org.stampede.metainfo/target/org.stampede.metainfo-0.1.0-SNAPSHOT.jar"
cp="$cp:$repo/bundles/org.stampede.metainfo.tests/target/org.stampede.metainfo.tests-0.1.0-SNAPSHOT.jar"
for j in ${cp//:/ }; do [ -f "$j" ] || { echo "bench_parse: $j missing; run ./mvnw verify first" >&2; exit 1; }; done
mkdir -p "$work"

# Synthetic but valid v1 torrents: many files, and many pieces (random piece hashes; nothing is checked).
/usr/bin/python3 - "$work" <<'PY'
import os, sys
work = sys.argv[1]
def be(x):
    if isinstance(x, int): return b"i%de" % x
    if isinstance(x, str): x = x.encode()
    if isinstance(x, bytes): return b"%d:%s" % (len(x), x)
    if isinstance(x, list): return b"l" + b"".join(be(v) for v in x) + b"e"
    return b"d" + b"".join(be(k) + be(x[k]) for k in sorted(x, key=lambda k: k.encode() if isinstance(k, str) else k)) + b"e"
def torrent(name, files, pl):
    total = sum(l for _, l in files)
    n = (total + pl - 1) // pl
    info = {"name": name, "piece length": pl, "pieces": os.urandom(20 * n),
            "files": [{"length": l, "path": p} for p, l in files]}
    return be({"announce": "http://127.0.0.1:6969/announce", "info": info})
many = [(["dir%03d" % (i // 500), "file-%06d.dat" % i], 10000 + i) for i in range(50000)]
open(os.path.join(work, "files-50000.torrent"), "wb").write(torrent("many-files", many, 1 << 18))
big = [(["huge.bin"], 100 << 30)]
open(os.path.join(work, "pieces-409600.torrent"), "wb").write(torrent("many-pieces", big, 1 << 18))
small = [(["a.bin"], 700 << 20), (["b.bin"], 300 << 20)]
open(os.path.join(work, "typical-1GiB.torrent"), "wb").write(torrent("typical", small, 1 << 20))
PY
files=("$work/typical-1GiB.torrent" "$work/files-50000.torrent" "$work/pieces-409600.torrent")
echo "# JDK: $("$JAVA_HOME/bin/java" -version 2>&1 | head -1); libtorrent $(/usr/bin/python3 -c 'import libtorrent as lt; print(lt.__version__)')"
"$JAVA_HOME/bin/java" -Xmx512m -cp "$cp" org.stampede.metainfo.ParseBenchmark "$SECONDS_PER" "${files[@]}"
/usr/bin/python3 - "$SECONDS_PER" "${files[@]}" <<'PY'
import sys, time, libtorrent as lt
secs = float(sys.argv[1])
limits = {"max_buffer_size": 1 << 30, "max_pieces": 1 << 24, "max_decode_tokens": 10_000_000}
for path in sys.argv[2:]:
    data = open(path, "rb").read()
    for label, fn in (("bdecode", lambda: lt.bdecode(data)), ("torrent_info", lambda: lt.torrent_info(data, limits))):
        if label == "bdecode":
            continue  # lt.bdecode builds Python objects: not comparable; torrent_info is libtorrent's real load path
        end = time.perf_counter() + secs / 2
        while time.perf_counter() < end: fn()
        n = 0; start = time.perf_counter(); end = start + secs
        while time.perf_counter() < end: fn(); n += 1
        el = time.perf_counter() - start
        name = path.rsplit("/", 1)[-1]
        print("libtorrent %-15s %-22s %9d bytes %10.1f ops/s %9.1f MiB/s" % (label, name, len(data), n / el, n * len(data) / el / (1 << 20)))
PY
