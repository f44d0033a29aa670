#!/usr/bin/python3
"""Let libtorrent announce one torrent, known only by its v1 info-hash, to the given trackers.

Usage:
    /usr/bin/python3 lt_announce.py <info-hash-hex40> <tracker-url>... [--timeout SECONDS] [--hold]

Each tracker URL is put in a tier of its own and libtorrent is told to announce to
all trackers of all tiers. The torrent has no metadata (like a magnet link), so
libtorrent announces with event=started and waits for peers; nothing is downloaded.

Prints exactly ONE JSON object (one line) on stdout as soon as every tracker has
answered (or failed), or when the timeout passes:
    {"listenPort": P,
     "trackers": {"<url>": {"replied": bool, "numPeers": N|null, "error": null|"..."}}}
With --hold the session then stays up, announced, until stdin is closed (or the
timeout passes again), so the caller can look at the tracker's state; it then
removes the torrent, which makes libtorrent announce event=stopped, waits up to
5 s for those announces to be under way, and shuts the session down (which waits
for them up to libtorrent's stop_tracker_timeout).

Exit codes: 0 every tracker replied; 3 some tracker failed or did not answer in
time (JSON printed); 1 usage error or libtorrent missing (stderr only).
Session: loopback only (127.0.0.1:0), DHT/LSD/UPnP/NAT-PMP off. Must run with
Debian's /usr/bin/python3 (python3-libtorrent).
"""

import argparse
import json
import select
import sys
import tempfile
import time


def _die(code, msg):
    sys.stderr.write("lt_announce: %s\n" % msg)
    sys.exit(code)


try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover - environment problem
    _die(1, "cannot import libtorrent (%s); use /usr/bin/python3 with python3-libtorrent" % e)

POLL_S = 0.05


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        _die(1, message)


def parse_args(argv):
    p = _Parser(prog="lt_announce.py", description=__doc__.split("\n")[0])
    p.add_argument("info_hash", help="v1 info-hash, 40 hex digits")
    p.add_argument("trackers", nargs="+", help="announce URLs (http://, udp://)")
    p.add_argument("--timeout", type=float, default=30.0, help="max seconds to wait for replies (default 30)")
    p.add_argument("--hold", action="store_true", help="stay announced until stdin is closed")
    a = p.parse_args(argv)
    try:
        raw = bytes.fromhex(a.info_hash)
    except ValueError:
        raw = b""
    if len(raw) != 20:
        p.error("info-hash must be 40 hex digits")
    if not a.timeout > 0:
        p.error("--timeout must be > 0")
    a.raw_hash = raw
    return a


def _url(alert):
    u = getattr(alert, "tracker_url", None)
    return u() if callable(u) else getattr(alert, "url", None)


def main(argv):
    a = parse_args(argv[1:])
    cat = lt.alert.category_t
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_trackers": True, "announce_to_all_tiers": True,
        "alert_mask": int(cat.error_notification | cat.status_notification | cat.tracker_notification),
    })
    save = tempfile.mkdtemp(prefix="lt_announce-")
    atp = lt.add_torrent_params()
    atp.info_hashes = lt.info_hash_t(lt.sha1_hash(a.raw_hash))
    atp.save_path = save
    atp.trackers = list(a.trackers)
    atp.tracker_tiers = list(range(len(a.trackers)))
    flags = int(atp.flags)
    for name in ("paused", "auto_managed"):
        flags &= ~int(getattr(lt.torrent_flags, name, 0))
    for name in ("upload_mode", "disable_dht", "disable_lsd", "disable_pex"):
        flags |= int(getattr(lt.torrent_flags, name, 0))
    atp.flags = flags
    h = ses.add_torrent(atp)

    results = {u: {"replied": False, "numPeers": None, "error": None} for u in a.trackers}
    deadline = time.monotonic() + a.timeout
    while time.monotonic() < deadline:
        for al in ses.pop_alerts():
            u = _url(al)
            if u not in results:
                continue
            if isinstance(al, lt.tracker_reply_alert):
                results[u].update(replied=True, numPeers=int(al.num_peers), error=None)
            elif isinstance(al, lt.tracker_error_alert) and not results[u]["replied"]:
                reason = al.failure_reason() if callable(getattr(al, "failure_reason", None)) else ""
                results[u]["error"] = reason or al.message()
        if all(r["replied"] or r["error"] for r in results.values()):
            break
        time.sleep(POLL_S)
    for r in results.values():
        if not r["replied"] and not r["error"]:
            r["error"] = "timeout: no reply after %gs" % a.timeout
    sys.stdout.write(json.dumps({"listenPort": ses.listen_port(), "trackers": results}) + "\n")
    sys.stdout.flush()

    if a.hold:
        select.select([sys.stdin], [], [], a.timeout)  # returns when stdin is closed (readable at EOF)
    ses.remove_torrent(h)  # announces event=stopped
    # libtorrent posts no reply alert for a stopped announce; wait until each is on its way,
    # then let the session's destructor finish them (it waits up to stop_tracker_timeout)
    stop_deadline = time.monotonic() + 5.0
    pending = set(a.trackers)
    while pending and time.monotonic() < stop_deadline:
        for al in ses.pop_alerts():
            if isinstance(al, lt.tracker_announce_alert) and int(al.event) == int(lt.event_t.stopped):
                pending.discard(_url(al))
        time.sleep(POLL_S)
    del ses
    return 0 if all(r["replied"] for r in results.values()) else 3


if __name__ == "__main__":
    sys.exit(main(sys.argv))
