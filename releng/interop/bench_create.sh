#!/usr/bin/env bash
# Torrent-creation benchmark: libtorrent (lt_create.py) vs mktorrent vs Stampede,
# all hashing the SAME random file with 1 MiB pieces.
#
# Usage: releng/interop/bench_create.sh [WORKDIR]
#   WORKDIR   where the data file and outputs live (default: a new mktemp -d dir).
#             The data file WORKDIR/data-$SIZE.bin is reused if it already has the right size.
# Environment:
#   SIZE=1G        data size, head(1) syntax (K/M/G = 1024-based)
#   RUNS=3         measured runs per tool; the table shows the median and the best
#   STAMPEDE=<repo>/stampede   our CLI: "$STAMPEDE create <file> -o <out> --v1|--hybrid --piece-length 1048576"
#                  skipped (with a message) if "$STAMPEDE --help" fails
#   PY=/usr/bin/python3        interpreter that has python3-libtorrent
#   MKTORRENT_THREADS=2        mktorrent -t
#   TIMEOUT=600                seconds per single run (timeout(1))
#   CACHE=auto|cold|warm       cold = drop page cache before every run (needs root + writable
#                  /proc/sys/vm/drop_caches); warm = one unmeasured warm-up run per tool;
#                  auto (default) = cold if dropping works, else warm.
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

SIZE=${SIZE:-1G}
RUNS=${RUNS:-3}
STAMPEDE=${STAMPEDE:-$repo/stampede}
PY=${PY:-/usr/bin/python3}
MKTORRENT_THREADS=${MKTORRENT_THREADS:-2}
TIMEOUT=${TIMEOUT:-600}
CACHE=${CACHE:-auto}
PIECE=1048576
LT_CREATE="$here/lt_create.py"
LT_INFO="$here/lt_info.py"

die() { echo "bench_create: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ -n "${EPOCHREALTIME:-}" ]] || die "needs bash >= 5 (EPOCHREALTIME)"

work=${1:-}
if [[ -z "$work" ]]; then
    work=$(mktemp -d /tmp/stampede-bench.XXXXXX) || die "mktemp failed"
fi
mkdir -p "$work/out" || die "cannot create $work/out"
work=$(cd "$work" && pwd)

# ---------------------------------------------------------------- data file
bytes=$(numfmt --from=iec "${SIZE%iB}" 2>/dev/null) || die "cannot parse SIZE=$SIZE"
data="$work/data-$SIZE.bin"
if [[ -f "$data" && $(stat -c %s "$data") -eq $bytes ]]; then
    log "reusing $data ($bytes bytes)"
else
    log "creating $data ($bytes bytes from /dev/urandom)"
    head -c "$bytes" /dev/urandom > "$data.tmp" && mv "$data.tmp" "$data" || die "cannot create data file"
fi

# ---------------------------------------------------------------- page cache
can_drop() { sync && { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; }
case "$CACHE" in
    auto) if can_drop; then CACHE=cold; else CACHE=warm; fi ;;
    cold) can_drop || die "CACHE=cold but /proc/sys/vm/drop_caches is not writable" ;;
    warm) ;;
    *) die "CACHE must be auto, cold or warm" ;;
esac
log "cache mode: $CACHE"

# ---------------------------------------------------------------- tools
declare -a NAMES=() MODES=()
declare -A CMD=()
add_tool() { NAMES+=("$1"); MODES+=("$2"); CMD[$1]=$3; }

"$PY" -c 'import libtorrent' 2>/dev/null || die "$PY cannot import libtorrent"
ltver=$("$PY" -c 'import libtorrent as lt; print(lt.__version__)')
add_tool lt-v1      v1     "$PY $LT_CREATE $data -o $work/out/lt-v1.torrent --v1 --piece-length $PIECE --no-date"
add_tool lt-hybrid  hybrid "$PY $LT_CREATE $data -o $work/out/lt-hybrid.torrent --hybrid --piece-length $PIECE --no-date"
if command -v mktorrent >/dev/null; then
    add_tool mktorrent-v1 v1 "mktorrent -l 20 -t $MKTORRENT_THREADS -d -o $work/out/mktorrent-v1.torrent $data"
else
    log "mktorrent not installed: skipped"
fi
# ./stampede builds itself when its sources changed: do that now, unmeasured, then never during a run
if [[ -x "$STAMPEDE" ]] && "$STAMPEDE" --help >/dev/null 2>&1 && export STAMPEDE_NO_BUILD=1; then
    add_tool stampede-v1     v1     "$STAMPEDE create $data -o $work/out/stampede-v1.torrent --v1 --piece-length $PIECE"
    add_tool stampede-hybrid hybrid "$STAMPEDE create $data -o $work/out/stampede-hybrid.torrent --hybrid --piece-length $PIECE"
else
    log "Stampede skipped: '$STAMPEDE --help' failed (not built?). Set STAMPEDE=/path/to/cli"
fi

# ---------------------------------------------------------------- runner
# run_once NAME -> prints "seconds maxrss_kb" ; returns non-zero on failure/timeout
run_once() {
    local name=$1 tf out rc
    out="$work/out/$name.torrent"; rm -f "$out"
    tf=$(mktemp "$work/out/time.XXXXXX")
    [[ $CACHE == cold ]] && can_drop
    # Wall time: bash EPOCHREALTIME (µs resolution; includes ~1-2 ms of timeout/time exec
    # overhead). Max RSS: GNU time %M of the tool process itself.
    local t0 t1
    t0=$EPOCHREALTIME
    # shellcheck disable=SC2086  # CMD is a word list built above from paths without spaces
    timeout "$TIMEOUT" /usr/bin/time -f '%M' -o "$tf" ${CMD[$name]} >"$work/out/$name.log" 2>&1
    rc=$?
    t1=$EPOCHREALTIME
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 124 ]] && log "$name: TIMEOUT after ${TIMEOUT}s" || log "$name: exit $rc (see $work/out/$name.log)"
        rm -f "$tf"; return 1
    fi
    [[ -s "$out" ]] || { log "$name: no output written"; rm -f "$tf"; return 1; }
    awk -v a="${t0/,/.}" -v b="${t1/,/.}" -v m="$(tail -n 1 "$tf")" 'BEGIN{printf "%.3f %d\n", b-a, m}'
    rm -f "$tf"
}

median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "NA"} else if(NR%2){print a[(NR+1)/2]} else {printf "%.3f\n",(a[NR/2]+a[NR/2+1])/2} }'; }

declare -A MED=() BEST=() RSS=() HASH=()
for name in "${NAMES[@]}"; do
    if [[ $CACHE == warm ]]; then
        log "$name: warm-up run"
        run_once "$name" >/dev/null || { MED[$name]=FAIL; continue; }
    fi
    secs=(); rss=0; ok=1
    for ((i = 1; i <= RUNS; i++)); do
        r=$(run_once "$name") || { ok=0; break; }
        secs+=("${r% *}"); (( ${r#* } > rss )) && rss=${r#* }
        log "$name run $i: ${r% *} s, max RSS ${r#* } KB"
    done
    if [[ $ok -eq 0 ]]; then MED[$name]=FAIL; continue; fi
    MED[$name]=$(printf '%s\n' "${secs[@]}" | median)
    BEST[$name]=$(printf '%s\n' "${secs[@]}" | sort -g | head -n 1)
    RSS[$name]=$rss
    HASH[$name]=$("$PY" "$LT_INFO" "$work/out/$name.torrent" 2>/dev/null |
        "$PY" -c 'import json,sys; j=json.load(sys.stdin); print((j["infoHashV1"] or "-")[:16], (j["infoHashV2"] or "-")[:16])' 2>/dev/null ||
        echo "lt_info-REJECTED")
done

# ---------------------------------------------------------------- report
mib=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
echo
echo "Torrent creation benchmark: $mib MiB random file, piece length $PIECE, runs=$RUNS, cache=$CACHE"
echo "host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); libtorrent $ltver; $(mktorrent -h 2>/dev/null | head -n 1 | cut -d' ' -f1-2)"
echo "workdir: $work ($(stat -f -c %T "$work"))"
printf '%-16s %-6s %9s %9s %9s %10s  %s\n' tool mode median_s best_s MiB/s maxRSS_KB "v1-hash(16) v2-hash(16) per lt_info"
for idx in "${!NAMES[@]}"; do
    name=${NAMES[$idx]}; mode=${MODES[$idx]}
    if [[ ${MED[$name]:-FAIL} == FAIL ]]; then
        printf '%-16s %-6s %9s\n' "$name" "$mode" FAILED; continue
    fi
    rate=$(awk -v m="$mib" -v s="${MED[$name]}" 'BEGIN{ if (s>0) printf "%.0f", m/s; else print "inf" }')
    printf '%-16s %-6s %9s %9s %9s %10s  %s\n' "$name" "$mode" "${MED[$name]}" "${BEST[$name]}" "$rate" "${RSS[$name]}" "${HASH[$name]}"
done

echo
for mode in v1 hybrid; do
    s=${MED[stampede-$mode]:-} l=${MED[lt-$mode]:-}
    if [[ -z "$s" || $s == FAIL || -z "$l" || $l == FAIL ]]; then
        echo "ratio stampede/libtorrent ($mode): n/a"
    else
        awk -v s="$s" -v l="$l" -v m="$mode" 'BEGIN{ if (l>0) printf "ratio stampede/libtorrent (%s): %.2f  (<1 = Stampede faster)\n", m, s/l; else printf "ratio stampede/libtorrent (%s): n/a (libtorrent time 0)\n", m }'
    fi
done
# Same file, same piece length, single file -> v1 info dicts are identical for all conforming
# v1 creators (keys: length, name, piece length, pieces); hybrid ones should match libtorrent's.
for mode in v1 hybrid; do
    ref=${HASH[lt-$mode]:-}
    [[ -z "$ref" ]] && continue
    for name in "${NAMES[@]}"; do
        [[ $name == lt-$mode || ${HASH[$name]:-} == "" ]] && continue
        [[ $name == *-$mode ]] || continue
        if [[ ${HASH[$name]} == "$ref" ]]; then echo "info-hash $name == lt-$mode: MATCH"
        else echo "info-hash $name vs lt-$mode: DIFFER (${HASH[$name]} vs $ref)"; fi
    done
done
