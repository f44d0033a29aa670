#!/usr/bin/env bash
# Transfer benchmark on loopback: Stampede vs libtorrent, one random file, 1 MiB pieces (v1 torrent), both ways:
#   download  a libtorrent seeder (lt_seed.py) serves; the downloader is `stampede download` or lt_leech_peer.py
#   seed      the seeder is `stampede seed` or lt_seed.py; the downloader is lt_leech_peer.py both times
# Measured per run: wall time to complete, peak RSS and CPU (user+sys) of the process under test (GNU time).
#
# Usage: releng/interop/bench_download.sh [WORKDIR]
#   WORKDIR   holds the data file WORKDIR/data-$SIZE.bin (made once, reused when the size matches; the same
#             file as bench_create.sh uses) and, while running, WORKDIR/xfer.$$ (removed at exit).
#             Default: a new mktemp -d dir.
# Environment:
#   SIZE=1G        data size, head(1) syntax (K/M/G = 1024-based)
#   RUNS=3         measured runs per configuration; the table shows the median and the best
#   STAMPEDE=<repo>/stampede   our CLI; the Stampede rows are skipped (with a message) if "$STAMPEDE --help" fails
#   PY=/usr/bin/python3        interpreter that has python3-libtorrent (required)
#   TIMEOUT=300    seconds per process (timeout(1)); a run that times out fails its configuration
#   CACHE=auto|cold|warm       cold = drop the page cache before every transfer (needs root); warm = never;
#                  auto (default) = cold if dropping works, else warm.
#   STAMPEDE_JAVA_OPTS         passed on by ./stampede to the JVM (e.g. -Xmx128m), as always
# Prints a table on stdout (progress on stderr). Exit status 0 when every run completed with the original data,
# 1 otherwise (a configuration whose run fails is not run again; the table says how many runs completed).
set -u -o pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)

SIZE=${SIZE:-1G}
RUNS=${RUNS:-3}
STAMPEDE=${STAMPEDE:-$repo/stampede}
PY=${PY:-/usr/bin/python3}
TIMEOUT=${TIMEOUT:-300}
CACHE=${CACHE:-auto}
PIECE=1048576
GOAL_KB=$((256 * 1024))   # the engine's memory goal: 256 MiB peak RSS

die() { echo "bench_download: $*" >&2; exit 1; }
log() { echo "# $*" >&2; }

[[ -x /usr/bin/time ]] || die "/usr/bin/time missing (apt-get install time)"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive integer"
[[ "$TIMEOUT" =~ ^[1-9][0-9]*$ ]] || die "TIMEOUT must be a positive integer (seconds)"
[[ -n "${EPOCHREALTIME:-}" ]] || die "needs bash >= 5 (EPOCHREALTIME)"
"$PY" -c 'import libtorrent' 2>/dev/null || die "$PY cannot import libtorrent (apt-get install python3-libtorrent)"

work=${1:-}
if [[ -z "$work" ]]; then
    work=$(mktemp -d /tmp/stampede-bench.XXXXXX) || die "mktemp failed"
fi
mkdir -p "$work" || die "cannot create $work"
work=$(cd "$work" && pwd)
x="$work/xfer.$$"   # everything of this run but the data file

# ---------------------------------------------------------------- cleanup
# Every background process is started by this script and recorded here (its pid is a timeout(1) that leads its
# own process group, or a stdin holder); the trap ends them by id, then removes the scratch folder.
declare -a BG=()
cleanup() {
    local pid
    for pid in "${BG[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null
    done
    for pid in "${BG[@]}"; do
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    rm -rf "$x"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP
mkdir -p "$x/seed" || die "cannot create $x"

# ---------------------------------------------------------------- data and torrent
bytes=$(numfmt --from=iec "${SIZE%iB}" 2>/dev/null) || die "cannot parse SIZE=$SIZE"
name="data-$SIZE.bin"
data="$work/$name"
if [[ -f "$data" && $(stat -c %s "$data") -eq $bytes ]]; then
    log "reusing $data ($bytes bytes)"
else
    log "creating $data ($bytes bytes from /dev/urandom)"
    head -c "$bytes" /dev/urandom > "$data.tmp" && mv "$data.tmp" "$data" || die "cannot create data file"
fi
# the seeders serve the folder $x/seed, which holds the data under the torrent's name (a hard link: no copy)
ln "$data" "$x/seed/$name" 2>/dev/null || cp "$data" "$x/seed/$name" || die "cannot link $data into $x/seed"
torrent="$x/$name.torrent"
timeout "$TIMEOUT" "$PY" "$here/lt_create.py" "$data" -o "$torrent" --v1 --piece-length $PIECE --no-date \
    || die "lt_create.py failed"
log "sha-256 of the original"
want_sha=$(sha256sum "$data" | cut -d' ' -f1) || die "cannot hash $data"

# ---------------------------------------------------------------- page cache
can_drop() { sync && { echo 3 > /proc/sys/vm/drop_caches; } 2>/dev/null; }
case "$CACHE" in
    auto) if can_drop; then CACHE=cold; else CACHE=warm; fi ;;
    cold) can_drop || die "CACHE=cold but /proc/sys/vm/drop_caches is not writable" ;;
    warm) ;;
    *) die "CACHE must be auto, cold or warm" ;;
esac
log "cache mode: $CACHE"
drop() { [[ $CACHE == cold ]] && can_drop; return 0; }

# ./stampede builds itself when its sources changed: do that now, unmeasured, then never during a run
have_stampede=0
if [[ -x "$STAMPEDE" ]] && "$STAMPEDE" --help >/dev/null 2>&1; then
    have_stampede=1
    export STAMPEDE_NO_BUILD=1
    export STAMPEDE_DEBUG=1   # the engine's INFO log (bans, disk errors) goes to the run's log file
else
    log "Stampede skipped: '$STAMPEDE --help' failed (not built?). Set STAMPEDE=/path/to/cli"
fi

# ---------------------------------------------------------------- helpers
now() { echo "${EPOCHREALTIME/,/.}"; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.3f", b-a}'; }

# A process that keeps a FIFO open for writing: its reader (a python tool, which stops at end of stdin) sees
# end of file when the holder is killed. Sets HOLDER (pid); the FIFO is $1.
start_holder() {
    rm -f "$1" && mkfifo "$1" || die "mkfifo $1 failed"
    sleep $((TIMEOUT + 60)) > "$1" &
    HOLDER=$!; BG+=("$HOLDER")
}
stop_pid() {   # stop_pid PID: ends a process we started (and its group), waits for it
    kill -TERM -- "-$1" 2>/dev/null || kill -TERM "$1" 2>/dev/null
    wait "$1" 2>/dev/null
    return 0
}
# wait_exit PID SECONDS: waits for a background process to end; kills its group after SECONDS
wait_exit() {
    local i
    for ((i = 0; i < $2 * 20; i++)); do
        kill -0 "$1" 2>/dev/null || break
        sleep 0.05
    done
    if kill -0 "$1" 2>/dev/null; then
        log "pid $1 still running after $2 s: killing it"
        kill -KILL -- "-$1" 2>/dev/null || kill -KILL "$1" 2>/dev/null
    fi
    wait "$1" 2>/dev/null
}
# fg_wait PID: waits for a process started in the background (so that Ctrl-C reaches the trap at once, not
# after the process ends) and returns its exit status.
fg_wait() { BG+=("$1"); wait "$1"; }
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
# "e maxrss user sys" from a GNU time -o file -> "maxrss cpu" (its last line is the format; the first may be
# "Command exited with non-zero status N")
rss_cpu() { tail -n 1 "$1" | awk '{printf "%d %.2f\n", $2, $3 + $4}'; }

# lt_seed.py in the background, serving $x/seed; sets SEEDER (timeout's pid), SEED_HOLDER, SEED_PORT,
# SEED_READY (seconds from start until it listens, after its hash check). Returns 1 on failure.
start_lt_seeder() {
    local tag=$1 t0 i
    start_holder "$x/seed.stdin"; SEED_HOLDER=$HOLDER
    rm -f "$x/seed.port"
    t0=$(now)
    timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$x/$tag.seeder.time" \
        "$PY" "$here/lt_seed.py" "$torrent" "$x/seed" --port-file "$x/seed.port" --timeout "$TIMEOUT" \
        < "$x/seed.stdin" > "$x/$tag.seeder.out" 2> "$x/$tag.seeder.log" &
    SEEDER=$!; BG+=("$SEEDER")
    for ((i = 0; i < TIMEOUT * 50; i++)); do
        [[ -s "$x/seed.port" ]] && break
        kill -0 "$SEEDER" 2>/dev/null || break
        sleep 0.02
    done
    if [[ ! -s "$x/seed.port" ]]; then
        log "$tag: lt_seed.py did not start: $(tail -n 2 "$x/$tag.seeder.log" | tr '\n' ' ')"
        return 1
    fi
    SEED_READY=$(elapsed "$t0" "$(now)")
    SEED_PORT=$(cat "$x/seed.port")
}
stop_lt_seeder() {   # end of stdin makes lt_seed.py exit 0
    stop_pid "$SEED_HOLDER"
    wait_exit "$SEEDER" 30
}

# `stampede seed` in the background on a port picked here; ready when its summary line ("... verified in ...
# in S s", printed once the data check is done) is on stdout. Sets SEEDER, SEED_PORT, SEED_READY, SEED_CHECK
# (the check time the command reports itself, without JVM start-up).
start_stampede_seeder() {
    local tag=$1 t0 i
    rm -rf "$x/seed/.stampede"   # no resume data: every run checks the data in full, as lt_seed.py does
    SEED_PORT=$(free_port) || return 1
    t0=$(now)
    timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$x/$tag.seeder.time" \
        "$STAMPEDE" seed "$torrent" "$x/seed" --port "$SEED_PORT" --bind 127.0.0.1 \
        < /dev/null > "$x/$tag.seeder.out" 2> "$x/$tag.seeder.log" &
    SEEDER=$!; BG+=("$SEEDER")
    for ((i = 0; i < TIMEOUT * 50; i++)); do
        grep -q ' verified in ' "$x/$tag.seeder.out" 2>/dev/null && break
        kill -0 "$SEEDER" 2>/dev/null || break
        sleep 0.02
    done
    if ! grep -q ' verified in ' "$x/$tag.seeder.out" 2>/dev/null; then
        log "$tag: stampede seed did not get ready: $(tail -n 3 "$x/$tag.seeder.log" | tr '\n' ' ')"
        return 1
    fi
    SEED_READY=$(elapsed "$t0" "$(now)")
    SEED_CHECK=$(sed -n 's/.*) in \([0-9.]*\) s.*/\1/p' "$x/$tag.seeder.out" | head -n 1)
}
stop_stampede_seeder() {   # SIGINT to timeout(1), which passes it on: the command stops cleanly (exit 130)
    kill -INT "$SEEDER" 2>/dev/null
    wait_exit "$SEEDER" 30
}

# The leecher (lt_leech_peer.py) in the foreground against 127.0.0.1:$SEED_PORT; sets R="seconds maxrss cpu".
run_lt_leecher() {
    local tag=$1 t0 t1 rc
    start_holder "$x/leech.stdin"
    t0=$(now)
    timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$x/$tag.leecher.time" \
        "$PY" "$here/lt_leech_peer.py" "$torrent" "$x/dl" --peer "127.0.0.1:$SEED_PORT" --timeout "$TIMEOUT" \
        < "$x/leech.stdin" > "$x/$tag.leecher.out" 2> "$x/$tag.leecher.log" &
    fg_wait $!; rc=$?; t1=$(now)
    stop_pid "$HOLDER"
    if [[ $rc -ne 0 ]] || ! grep -q '"complete": true' "$x/$tag.leecher.out"; then
        log "$tag: lt_leech_peer.py exit $rc: $(cat "$x/$tag.leecher.out" "$x/$tag.leecher.log" | tail -n 2 | tr '\n' ' ')"
        return 1
    fi
    R="$(elapsed "$t0" "$t1") $(rss_cpu "$x/$tag.leecher.time")"
}

# `stampede download` in the foreground; sets R="seconds maxrss cpu transfer_seconds payload_bytes busy_errors"
# (payload: what the summary line says this run downloaded; busy_errors: engine log lines "disk queue is full")
run_stampede_download() {
    local tag=$1 t0 t1 rc transfer payload busy
    t0=$(now)
    timeout -k 10 "$TIMEOUT" /usr/bin/time -f '%e %M %U %S' -o "$x/$tag.dl.time" \
        "$STAMPEDE" download "$torrent" -o "$x/dl" --port 0 --bind 127.0.0.1 --peer "127.0.0.1:$SEED_PORT" \
        < /dev/null > "$x/$tag.dl.out" 2> "$x/$tag.dl.log" &
    fg_wait $!; rc=$?; t1=$(now)
    if [[ $rc -ne 0 ]]; then
        [[ $rc -eq 124 ]] && log "$tag: stampede download TIMEOUT after ${TIMEOUT}s" \
            || log "$tag: stampede download exit $rc"
        # the engine's log lines that say why, counted with info-hashes and numbers masked
        sed 's/^/#   /' < <(grep -E 'banned|failed|error|full' "$x/$tag.dl.log" |
            sed -E 's/[0-9a-f]{40}/<info-hash>/g; s/(piece|block) [0-9]+/\1 N/g' |
            sort | uniq -c | sort -rn | head -n 5;
            grep -v '^stampede: info' "$x/$tag.dl.log" | tail -n 2) >&2
        return 1
    fi
    transfer=$(sed -n 's/.*) in \([0-9.]*\) s.*/\1/p' "$x/$tag.dl.out" | head -n 1)
    payload=$(sed -n 's/.*, \([0-9][0-9]*\) bytes downloaded this run.*/\1/p' "$x/$tag.dl.out" | head -n 1)
    busy=$(grep -c 'disk queue is full' "$x/$tag.dl.log")
    R="$(elapsed "$t0" "$t1") $(rss_cpu "$x/$tag.dl.time") ${transfer:-NA} ${payload:-NA} $busy"
}

check_sha() {   # check_sha LABEL: the downloaded file equals the original
    local got
    got=$(sha256sum "$x/dl/$name" 2>/dev/null | cut -d' ' -f1)
    if [[ "$got" == "$want_sha" ]]; then SHA[$1]="SHA-256 equal"; else SHA[$1]="SHA-256 DIFFERS (${got:-no file})"; fi
    log "$1: ${SHA[$1]}"
}

# ---------------------------------------------------------------- one run of each configuration
# Sets R="seconds maxrss_kb cpu_s extra1 extra2" (extras: see the table header), or returns 1. No command
# substitution around it: the background processes must be started by this shell, so the trap can end them.
run_config() {
    local cfg=$1 i=$2 tag="$1.$2" ok
    rm -rf "$x/dl"; mkdir -p "$x/dl"
    case $cfg in
        dl-stampede|dl-libtorrent)
            start_lt_seeder "$tag" || return 1
            drop
            if [[ $cfg == dl-stampede ]]; then run_stampede_download "$tag"; else run_lt_leecher "$tag"; fi
            ok=$?
            stop_lt_seeder
            [[ $ok -eq 0 ]] || return 1
            # -> "seconds maxrss cpu - transfer [payload busy]"
            if [[ $cfg == dl-stampede ]]; then set -- $R; R="$1 $2 $3 - $4 $5 $6"; else R="$R - -"; fi
            ;;
        seed-stampede|seed-libtorrent)
            drop   # the seeder's hash check reads the data cold too
            if [[ $cfg == seed-stampede ]]; then start_stampede_seeder "$tag" || { stop_pid "$SEEDER"; return 1; }
            else start_lt_seeder "$tag" || { stop_pid "$SEEDER"; return 1; }; SEED_CHECK=-; fi
            drop
            run_lt_leecher "$tag"
            ok=$?
            if [[ $cfg == seed-stampede ]]; then stop_stampede_seeder; else stop_lt_seeder; fi
            [[ $ok -eq 0 ]] || return 1
            R="${R%% *} $(rss_cpu "$x/$tag.seeder.time") $SEED_READY $SEED_CHECK"
            ;;
    esac
}

median() { sort -g | awk '{a[NR]=$1} END{ if(NR==0){print "NA"} else if(NR%2){print a[(NR+1)/2]} else {printf "%.3f\n",(a[NR/2]+a[NR/2+1])/2} }'; }
col() { printf '%s\n' "${@:2}" | awk -v c="$1" '{print $c}'; }

CONFIGS=(dl-libtorrent seed-libtorrent)
[[ $have_stampede == 1 ]] && CONFIGS=(dl-stampede dl-libtorrent seed-stampede seed-libtorrent)
declare -A MED=() BEST=() RSS=() CPU=() EX1=() EX2=() SHA=() OKRUNS=() PAYLOAD=() BUSY=()
for cfg in "${CONFIGS[@]}"; do
    results=()
    for ((i = 1; i <= RUNS; i++)); do
        run_config "$cfg" "$i" || { log "$cfg run $i FAILED: no further runs of it"; break; }
        results+=("$R")
        log "$cfg run $i: $R   (seconds maxrss_kb cpu_s ready_s inner_s [payload_bytes disk_busy_errors])"
        [[ $i -eq 1 ]] && check_sha "$cfg"
    done
    rm -rf "$x/dl"
    OKRUNS[$cfg]=${#results[@]}
    if [[ ${#results[@]} -eq 0 ]]; then MED[$cfg]=FAIL; continue; fi
    MED[$cfg]=$(col 1 "${results[@]}" | median)
    BEST[$cfg]=$(col 1 "${results[@]}" | sort -g | head -n 1)
    RSS[$cfg]=$(col 2 "${results[@]}" | sort -g | tail -n 1)
    CPU[$cfg]=$(col 3 "${results[@]}" | median)
    EX1[$cfg]=$(col 4 "${results[@]}" | grep -v -- '^-$' | median | sed 's/^NA$/-/')
    EX2[$cfg]=$(col 5 "${results[@]}" | grep -v -- '^-$' | median | sed 's/^NA$/-/')
    PAYLOAD[$cfg]=$(col 6 "${results[@]}" | grep -E '^[0-9]+$' | median)
    BUSY[$cfg]=$(col 7 "${results[@]}" | grep -E '^[0-9]+$' | sort -g | tail -n 1)
done

# ---------------------------------------------------------------- report
mib=$(awk -v b="$bytes" 'BEGIN{printf "%.1f", b/1048576}')
ltver=$("$PY" -c 'import libtorrent as lt; print(lt.__version__)')
echo
echo "Transfer benchmark: $mib MiB random file, v1, piece length $PIECE, loopback TCP, runs=$RUNS, cache=$CACHE"
echo "host: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(free -g | awk '/^Mem/{print $2}') GiB RAM; libtorrent $ltver; $($PY --version 2>&1)"
echo "workdir: $work ($(stat -f -c %T "$work"))"
echo "time_s = wall time until the download is complete (download: the downloader process, start-up included;"
echo "seed: the lt_leech_peer.py process, started once the seeder is ready); RSS/CPU = the process under test:"
echo "the downloader, or the seeder over its whole life (its hash check of the data at start included)."
printf '%-16s %-28s %5s %8s %8s %7s %10s %7s %9s %9s\n' config "process measured" runs median_s best_s MiB/s \
    peakRSS_KB cpu_s ready_s inner_s
for cfg in "${CONFIGS[@]}"; do
    case $cfg in
        dl-stampede) what="stampede download" ;;
        dl-libtorrent) what="lt_leech_peer.py" ;;
        seed-stampede) what="stampede seed" ;;
        seed-libtorrent) what="lt_seed.py" ;;
    esac
    if [[ ${MED[$cfg]} == FAIL ]]; then
        printf '%-16s %-28s %5s %8s\n' "$cfg" "$what" "0/$RUNS" FAILED; continue
    fi
    rate=$(awk -v m="$mib" -v s="${MED[$cfg]}" 'BEGIN{ if (s>0) printf "%.0f", m/s; else print "inf" }')
    printf '%-16s %-28s %5s %8s %8s %7s %10s %7s %9s %9s\n' "$cfg" "$what" "${OKRUNS[$cfg]}/$RUNS" "${MED[$cfg]}" \
        "${BEST[$cfg]}" "$rate" "${RSS[$cfg]}" "${CPU[$cfg]}" "${EX1[$cfg]}" "${EX2[$cfg]}"
done
echo "ready_s: seeders only, from start until serving (lt_seed.py prints its port after its check; stampede seed"
echo "prints its summary line after its check). inner_s: what Stampede reports itself, without JVM start-up:"
echo "the transfer (download) or the data check (seed)."
echo
ratio() {   # ratio LABEL STAMPEDE LIBTORRENT
    if [[ -z "$2" || $2 == FAIL || -z "$3" || $3 == FAIL ]]; then echo "ratio stampede/libtorrent $1: n/a"
    else awk -v l="$1" -v s="$2" -v t="$3" 'BEGIN{ if (t>0) printf "ratio stampede/libtorrent %s: %.2f\n", l, s/t; else printf "ratio stampede/libtorrent %s: n/a\n", l }'; fi
}
if [[ $have_stampede == 1 ]]; then
    ratio "download time   (<1 = Stampede faster)" "${MED[dl-stampede]}" "${MED[dl-libtorrent]}"
    ratio "download CPU    " "${CPU[dl-stampede]:-}" "${CPU[dl-libtorrent]:-}"
    ratio "download RSS    " "${RSS[dl-stampede]:-}" "${RSS[dl-libtorrent]:-}"
    ratio "seed time       (<1 = Stampede faster)" "${MED[seed-stampede]}" "${MED[seed-libtorrent]}"
    ratio "seed CPU        " "${CPU[seed-stampede]:-}" "${CPU[seed-libtorrent]:-}"
    ratio "seed RSS        " "${RSS[seed-stampede]:-}" "${RSS[seed-libtorrent]:-}"
    if [[ -n "${PAYLOAD[dl-stampede]:-}" && ${PAYLOAD[dl-stampede]} != NA ]]; then
        awk -v d="${PAYLOAD[dl-stampede]}" -v b="$bytes" -v e="${BUSY[dl-stampede]:-0}" 'BEGIN{
            printf "stampede download: %d payload bytes per run (median), %+.1f %% over the data (blocks fetched again);\n", d, (d - b) * 100 / b
            printf "  \"disk queue is full\" errors in its log: %d in the worst run\n", e }'
    fi
    for cfg in dl-stampede seed-stampede; do
        [[ -n "${RSS[$cfg]:-}" ]] || continue
        awk -v c="$cfg" -v r="${RSS[$cfg]}" -v g="$GOAL_KB" 'BEGIN{ printf "peak RSS %s: %.0f MiB, %s the 256 MiB goal\n", c, r/1024, (r <= g ? "within" : "OVER") }'
    done
    echo "(libtorrent 2.0 reads and writes through memory-mapped files: the pages of the file it maps count in"
    echo " its RSS, so its peak RSS is not comparable with a process that uses read/write.)"
fi
for cfg in "${CONFIGS[@]}"; do
    [[ -n "${SHA[$cfg]:-}" ]] && echo "$cfg, data downloaded in run 1: ${SHA[$cfg]}"
done
fail=0
for cfg in "${CONFIGS[@]}"; do
    if [[ ${OKRUNS[$cfg]} -lt $RUNS ]]; then
        echo "$cfg: run $((OKRUNS[$cfg] + 1)) of $RUNS FAILED (see the log above); the table shows the runs before it"
        fail=1
    fi
    [[ ${SHA[$cfg]:-} == *DIFFERS* ]] && fail=1
done
exit $fail
