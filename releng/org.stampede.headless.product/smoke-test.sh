#!/usr/bin/env bash
# End-to-end test of the materialized headless product, run by the build after the product is assembled
# (integration-test phase): the real launcher, real exit codes, real stderr. Cross-checks `info --json`
# with libtorrent when its Python bindings are installed. Prints "N passed, N failed"; exits 1 on failure.
set -u
product=$1
repo=$(cd "$(dirname "$0")/../.." && pwd)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
launcher=$(ls "$product"/plugins/org.eclipse.equinox.launcher_*.jar | head -n 1)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0

stampede() { timeout 120 "$java" -jar "$launcher" "$@"; }
ok() { passed=$((passed + 1)); echo "ok   $1"; }
bad() { failed=$((failed + 1)); echo "FAIL $1"; [ -n "${2:-}" ] && sed 's/^/     /' <<<"$2"; }

# expect NAME STATUS CMD...: exit status STATUS; for status 2, exactly one stderr line starting "error:"
expect() {
  local name=$1 want=$2; shift 2
  stampede "$@" >"$work/out" 2>"$work/err"; local got=$?
  if [ "$got" != "$want" ]; then bad "$name (exit $got, wanted $want)" "$(cat "$work/err")"; return; fi
  if [ "$want" = 2 ]; then
    if [ "$(wc -l <"$work/err")" != 1 ] || ! grep -q '^error: ' "$work/err"; then
      bad "$name: stderr is not one 'error:' line" "$(cat "$work/err")"; return
    fi
  fi
  if grep -qE '^\s+at |Exception in thread' "$work/err"; then bad "$name: stack trace on stderr" "$(cat "$work/err")"; return; fi
  ok "$name"
}

mkdir -p "$work/data/sub"
head -c 3000000 /dev/urandom >"$work/data/a.bin"
head -c 70000 /dev/urandom >"$work/data/sub/b.bin"

expect "--version" 0 --version
grep -q "Stampede" "$work/out" && ok "--version names Stampede" || bad "--version names Stampede" "$(cat "$work/out")"
expect "no command is bad input" 2
expect "unknown option is bad input" 2 info --no-such-option x
for v in v1 v2 hybrid; do
  expect "create --$v" 0 create "$work/data" -o "$work/$v.torrent" --$v --piece-length 64K \
    --tracker http://127.0.0.1:6969/announce --comment "smoke test"
  expect "info --json of --$v" 0 info "$work/$v.torrent" --json
  cp "$work/out" "$work/$v.json"
  expect "info of --$v" 0 info "$work/$v.torrent"
done
expect "create of a missing file" 2 create "$work/missing" -o "$work/x.torrent"
expect "create with a bad piece length" 2 create "$work/data" -o "$work/x.torrent" --piece-length 1000
expect "create with a bad tracker" 2 create "$work/data" -o "$work/x.torrent" --tracker "not a url"
expect "info of a missing file" 2 info "$work/missing.torrent"
printf 'd4:infod4:name1:x12:piece lengthi0eee' >"$work/bad.torrent"
expect "info of a malformed torrent" 2 info "$work/bad.torrent"
head -c 5000 /dev/urandom >"$work/noise.torrent"
expect "info of random bytes" 2 info "$work/noise.torrent"
head -c 300 "$work/v1.torrent" >"$work/truncated.torrent"
expect "info of a truncated torrent" 2 info "$work/truncated.torrent"
expect "info of a bad magnet" 2 info "magnet:?xt=urn:btih:nothex"
expect "info --json of a magnet" 0 info --json "magnet:?xt=urn:btih:0123456789abcdef0123456789abcdef01234567&dn=x&tr=udp%3A%2F%2F127.0.0.1%3A6969"
grep -q '"infoHashV1": "0123456789abcdef0123456789abcdef01234567"' "$work/out" && ok "magnet info-hash" || bad "magnet info-hash" "$(cat "$work/out")"

if /usr/bin/python3 -c 'import libtorrent' 2>/dev/null; then
  for v in v1 v2 hybrid; do
    /usr/bin/python3 "$repo/releng/interop/lt_info.py" "$work/$v.torrent" >"$work/$v.lt.json" 2>"$work/err" \
      || { bad "libtorrent loads --$v" "$(cat "$work/err")"; continue; }
    if /usr/bin/python3 - "$work/$v.json" "$work/$v.lt.json" <<'PY'
import json, sys
ours, lt = (json.load(open(p)) for p in sys.argv[1:3])
files = lambda d: [(f["path"], f["length"]) for f in d["files"] if not f["padding"]]
assert ours["infoHashV1"] == lt["infoHashV1"], (ours["infoHashV1"], lt["infoHashV1"])
assert ours["infoHashV2"] == lt["infoHashV2"], (ours["infoHashV2"], lt["infoHashV2"])
assert ours["pieceCount"] == lt["pieceCount"] and ours["pieceLength"] == lt["pieceLength"]
assert ours["name"] == lt["name"] and files(ours) == files(lt), (files(ours), files(lt))
assert ours["totalLength"] == lt["contentLength"] and ours["trackers"] == lt["trackers"]
PY
    then ok "info --json of --$v agrees with libtorrent"; else bad "info --json of --$v agrees with libtorrent"; fi
  done
elif [ "${STAMPEDE_REQUIRE_INTEROP:-0}" = 1 ]; then
  bad "python3-libtorrent is installed (required on CI)"
else
  echo "skip libtorrent cross-checks: python3-libtorrent not installed"
fi

echo "smoke: $passed passed, $failed failed"
[ "$failed" = 0 ]
