#!/bin/sh
# Builds this example and proves that a running Stampede client loads it, switches a torrent to it and lets it go:
#   1. builds the project (a copy of it, under the work folder, so this folder stays clean) with the repository's
#      ./mvnw against the update site of a Stampede build (or STAMPEDE_SITE);
#   2. seeds a small torrent on 127.0.0.1 with ./stampede seed, in the background;
#   3. ./stampede control: install the jar, see `stream-window` in the strategies, switch the torrent's picker to it,
#      uninstall it, see it gone and the torrent back on the default picker;
#   4. stops the seeder with SIGINT (SIGTERM where env cannot reset an ignored SIGINT).
# Every step has a deadline; the script ends within about 20 minutes at worst (the build), a minute or two usually.
# Needs a built Stampede (./mvnw verify at the repository root: the product and the update site).
# Usage: examples/strategy-template/try-it.sh        KEEP=1 keeps the work folder; MAVEN_OFFLINE=1 builds with -o.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
site=${STAMPEDE_SITE:-file:$repo/releng/org.stampede.repository/target/repository}
bsn=org.example.stampede.picker.streamwindow
work=$(mktemp -d "${TMPDIR:-/tmp}/stampede-try-it.XXXXXX")
seeder=

say() { printf 'try-it: %s\n' "$*"; }
fail() {
  printf 'try-it: FAILED: %s\n' "$*" >&2
  [ -f "$work/seed.log" ] && { echo "--- seeder log (last lines)" >&2; tail -n 20 "$work/seed.log" >&2; }
  exit 1
}
# Stops the seeder with signal $1 and waits for it, killing it if it is not gone 30 s later; its exit status in rc.
stop_seeder() {
  kill -"$1" "$seeder" 2>/dev/null || true
  (sleep 30 < /dev/null > /dev/null 2>&1
   kill -KILL "$seeder" 2>/dev/null && echo "try-it: the seeder did not stop within 30 s of SIG$1; killed" >&2) &
  watchdog=$!
  rc=0
  wait "$seeder" || rc=$?
  kill "$watchdog" 2>/dev/null || true
  seeder=
}
cleanup() {
  [ -z "$seeder" ] || stop_seeder TERM
  if [ "${KEEP:-0}" = 1 ]; then say "work folder kept: $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the runs' framework caches and persisted plug-ins in the work folder, not the user's
export XDG_CACHE_HOME="$work/cache" STAMPEDE_DATA_DIR="$work/data"
stampede() { STAMPEDE_NO_BUILD=1 timeout 120 "$repo/stampede" "$@"; }
control() { stampede control --dir "$work/seed" "$@"; }

# ---------------------------------------------------------------- 0. what this needs
case $site in
  file:*) [ -f "${site#file:}/content.jar" ] || [ -f "${site#file:}/content.xml.xz" ] ||
    fail "no update site at ${site#file:}: build Stampede first (./mvnw verify at $repo) or set STAMPEDE_SITE" ;;
esac
[ -f "$repo/releng/org.stampede.headless.product/target/products/org.stampede.headless/linux/gtk/x86_64/configuration/config.ini" ] ||
  fail "no headless product: build Stampede first (./mvnw verify at $repo)"
stampede --help 2>/dev/null | grep -q '^ *control ' ||
  fail "this build of Stampede has no 'control' command; rebuild it (./mvnw verify at $repo)"

# ---------------------------------------------------------------- 1. build the example
say "building the example in $work/build (log: $work/build.log)"
mkdir -p "$work/build"
(cd "$here" && tar cf - --exclude=target --exclude=bin .) | (cd "$work/build" && tar xf -)
offline=
[ "${MAVEN_OFFLINE:-0}" = 1 ] && offline=-o
# shellcheck disable=SC2086  # $offline is one optional word
if ! timeout 1200 "$repo/mvnw" -B -ntp -T1 $offline -f "$work/build/pom.xml" "-Dstampede.site=$site" verify \
    > "$work/build.log" 2>&1; then
  tail -n 30 "$work/build.log" >&2
  fail "the build failed; see above"
fi
jar=$(ls "$work/build/$bsn/target/$bsn"-*.jar 2>/dev/null | grep -v -- '-sources\.jar$' | head -n 1)
[ -n "$jar" ] || fail "the build made no jar in $work/build/$bsn/target"
say "built $(basename "$jar")"

# ---------------------------------------------------------------- 2. a seeder on loopback
mkdir -p "$work/seed"
dd if=/dev/urandom of="$work/seed/data.bin" bs=65536 count=4 2>/dev/null
stampede create "$work/seed/data.bin" -o "$work/data.torrent" --piece-length 16384 > "$work/create.log" 2>&1 ||
  fail "stampede create failed: $(tail -n 3 "$work/create.log")"
# A script's background job starts with SIGINT ignored, and Java then ignores it for good: where env can, undo
# that so that the seeder is stopped the Ctrl-C way; elsewhere stop it with SIGTERM (which stops it the same way).
stop=INT
unignore="env --default-signal=INT"
$unignore true 2>/dev/null || { unignore=; stop=TERM; }
# shellcheck disable=SC2086  # $unignore is a command prefix or nothing
STAMPEDE_NO_BUILD=1 $unignore "$repo/stampede" seed "$work/data.torrent" "$work/seed" --bind 127.0.0.1 --port 0 \
  > "$work/seed.log" 2>&1 &
seeder=$!
say "seeder started (pid $seeder); waiting for $work/seed/.stampede/control.json"
i=0
until [ -s "$work/seed/.stampede/control.json" ]; do
  kill -0 "$seeder" 2>/dev/null || fail "the seeder ended before its control channel was up"
  i=$((i + 1))
  [ "$i" -le 120 ] || fail "no control.json after 60 s"
  sleep 0.5
done

# ---------------------------------------------------------------- 3. install, switch, uninstall
say "install"
control install "$jar" || fail "control install failed"
control strategies --json > "$work/strategies.json" || fail "control strategies failed"
grep -q '"id":"stream-window"' "$work/strategies.json" || fail "stream-window is not among the strategies"
say "stream-window is installed"

control switch data.bin picker stream-window || fail "control switch failed"
control status > "$work/status.txt" || fail "control status failed"
grep -q 'picker stream-window' "$work/status.txt" || fail "the torrent does not use stream-window: $(cat "$work/status.txt")"
say "the torrent's picker is stream-window"

control uninstall "$bsn" || fail "control uninstall failed"
control strategies --json > "$work/strategies.json" || fail "control strategies failed"
if grep -q '"id":"stream-window"' "$work/strategies.json"; then fail "stream-window is still registered"; fi
control status > "$work/status.txt" || fail "control status failed"
if grep -q 'picker stream-window' "$work/status.txt"; then fail "the torrent still uses stream-window"; fi
say "uninstalled; the torrent is back on $(sed -n 's/.*picker \([^,]*\),.*/\1/p' "$work/status.txt")"

# ---------------------------------------------------------------- 4. stop the seeder
stop_seeder "$stop"
[ "$rc" -ne 137 ] || fail "the seeder had to be killed"
say "the seeder stopped (exit status $rc)"
[ ! -e "$work/seed/.stampede/control.json" ] || fail "the seeder left its control.json behind"
say "OK: built, installed, switched to, uninstalled, and the seeder stopped cleanly"
