#!/usr/bin/env bash
# Self-test for lt_check.py: small data, v1/v2/hybrid torrents from lt_create.py and v1
# from mktorrent; every torrent must check complete, a flipped byte must cost exactly
# one piece, and save_path must be left byte-for-byte (and mtime-for-mtime) unchanged.
#
# Usage: releng/interop/test_lt_check.sh [WORKDIR]
#   WORKDIR   scratch dir (default: a new mktemp -d /tmp/stampede-ltcheck.XXXXXX; removed
#             at the end when all tests pass and it was created here).
# Environment:
#   PY=/usr/bin/python3   interpreter that has python3-libtorrent
#   TIMEOUT=60            seconds per lt_check run (passed as --timeout; timeout(1) gets +30)
# Exit status: 0 all passed, 1 setup problem or at least one failure.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=${PY:-/usr/bin/python3}
TIMEOUT=${TIMEOUT:-60}
LT_CHECK="$here/lt_check.py"
LT_CREATE="$here/lt_create.py"

die() { echo "test_lt_check: $*" >&2; exit 1; }
"$PY" -c 'import libtorrent' 2>/dev/null || die "$PY cannot import libtorrent"

work=${1:-}
own=0
if [[ -z "$work" ]]; then
    work=$(mktemp -d /tmp/stampede-ltcheck.XXXXXX) || die "mktemp failed"
    own=1
fi
mkdir -p "$work" && work=$(cd "$work" && pwd) || die "cannot use $work"
d="$work/data"; t="$work/torrents"
rm -rf "$d" "$t"; mkdir -p "$d/single" "$d/multi/tree/sub" "$t" || die "mkdir failed"

# ---------------------------------------------------------------- data (sizes not piece multiples)
head -c $((3 * 1048576 + 1234)) /dev/urandom > "$d/single/file3m.bin"
head -c 100001 /dev/urandom > "$d/multi/tree/a.bin"
head -c 70000 /dev/urandom > "$d/multi/tree/sub/b.bin"
: > "$d/multi/tree/empty.txt"

# ---------------------------------------------------------------- torrents
for m in v1 v2 hybrid; do
    "$PY" "$LT_CREATE" "$d/single/file3m.bin" -o "$t/single-$m.torrent" --$m --piece-length 256K \
        --tracker http://127.0.0.1:9/announce --web-seed http://127.0.0.1:9/ws || die "lt_create failed"
    "$PY" "$LT_CREATE" "$d/multi/tree" -o "$t/multi-$m.torrent" --$m --piece-length 16K \
        --tracker http://127.0.0.1:9/announce || die "lt_create failed"
done
if command -v mktorrent >/dev/null; then
    mktorrent -l 18 -a http://127.0.0.1:9/announce -o "$t/single-mk.torrent" "$d/single/file3m.bin" >/dev/null || die "mktorrent failed"
    mktorrent -l 15 -a http://127.0.0.1:9/announce -o "$t/multi-mk.torrent" "$d/multi/tree" >/dev/null || die "mktorrent failed"
else
    echo "# mktorrent not installed: skipping the mktorrent torrents" >&2
fi
printf 'd4:infod4:name1:xee' > "$t/garbage.torrent"

# ---------------------------------------------------------------- helpers
snap() { find "$d" -printf '%P %s %T@ %m\n' | sort; }
flip() {  # flip(file, offset): xor one byte with 0xff (run twice to restore)
    "$PY" -c 'import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1); f.seek(int(sys.argv[2])); f.write(bytes([b[0] ^ 0xFF]))' "$1" "$2"
}
field() { "$PY" -c 'import json,sys; v=json.loads(sys.argv[1])[sys.argv[2]]; print(json.dumps(v))' "$1" "$2" 2>/dev/null; }
savepath() { case "$1" in *single*) echo "$d/single" ;; *) echo "$d/multi" ;; esac; }

pass=0; fail=0
# expect LABEL TORRENT SAVE_PATH WANT_RC WANT_MISSING   (WANT_MISSING: pieces - verified, or "-")
expect() {
    local label=$1 tor=$2 sp=$3 want_rc=$4 want_missing=$5 before after out rc why=""
    before=$(snap)
    out=$(timeout $((${TIMEOUT%.*} + 30)) "$PY" "$LT_CHECK" "$tor" "$sp" --timeout "$TIMEOUT" 2>"$work/stderr")
    rc=$?
    after=$(snap)
    [[ $rc -eq $want_rc ]] || why+=" rc=$rc(want $want_rc)"
    if [[ "$want_missing" != "-" ]]; then
        local p v
        p=$(field "$out" pieces); v=$(field "$out" verified)
        [[ -n "$p" && -n "$v" && $((p - v)) -eq $want_missing ]] || why+=" pieces-verified=$((${p:-0} - ${v:-0}))(want $want_missing)"
    fi
    [[ "$before" == "$after" ]] || why+=" save_path CHANGED: $(diff <(echo "$before") <(echo "$after") | tr '\n' ' ')"
    if [[ -z "$why" ]]; then
        pass=$((pass + 1)); printf 'PASS %-34s rc=%d %s\n' "$label" "$rc" "$out"
    else
        fail=$((fail + 1)); printf 'FAIL %-34s%s %s %s\n' "$label" "$why" "$out" "$(tr '\n' ' ' < "$work/stderr")"
    fi
}

torrents=()
for f in "$t"/single-*.torrent "$t"/multi-*.torrent; do torrents+=("$f"); done

# 1. intact data: everything verifies
for f in "${torrents[@]}"; do expect "intact $(basename "$f" .torrent)" "$f" "$(savepath "$f")" 0 0; done

# 2. one flipped byte = one bad piece (middle of the single file; last byte of its last piece;
#    last byte of a.bin, i.e. the piece shared with the next file in v1; first bytes of sub/b.bin)
for spec in "single/file3m.bin 1000000" "single/file3m.bin $((3 * 1048576 + 1233))" \
            "multi/tree/a.bin 100000" "multi/tree/sub/b.bin 5"; do
    set -- $spec
    flip "$d/$1" "$2"
    for f in "${torrents[@]}"; do
        case "$f" in */${1%%/*}-*) expect "flip $1@$2 $(basename "$f" .torrent)" "$f" "$(savepath "$f")" 3 1 ;; esac
    done
    flip "$d/$1" "$2"
done

# 3. a missing EMPTY file is not re-created (it has no pieces: still complete)
rm "$d/multi/tree/empty.txt"
for m in v1 v2 hybrid; do expect "no-empty-file multi-$m" "$t/multi-$m.torrent" "$d/multi" 0 0; done
: > "$d/multi/tree/empty.txt"

# 4. a missing non-empty file is not created; its pieces are missing
mv "$d/multi/tree/sub/b.bin" "$work/b.bin.keep"
expect "no-b.bin multi-v1" "$t/multi-v1.torrent" "$d/multi" 3 5    # v1 16K: pieces 6..10 touch b.bin
expect "no-b.bin multi-v2" "$t/multi-v2.torrent" "$d/multi" 3 5    # v2: b.bin has its own 5 pieces
mv "$work/b.bin.keep" "$d/multi/tree/sub/b.bin"

# 5. wrong save_path (the root folder itself): nothing found, nothing created
expect "wrong-save_path multi-hybrid" "$t/multi-hybrid.torrent" "$d/multi/tree" 3 12

# 6. libtorrent rejects garbage; usage error
expect "garbage" "$t/garbage.torrent" "$d/single" 2 -
expect "missing save_path dir" "$t/single-v1.torrent" "$d/nonexistent" 1 -

echo "passed=$pass failed=$fail (workdir $work)"
if [[ $fail -eq 0 && $own -eq 1 ]]; then rm -rf "$work"; fi
[[ $fail -eq 0 ]]
