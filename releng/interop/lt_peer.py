#!/usr/bin/python3
"""A libtorrent swarm member on 127.0.0.1 that keeps the torrent's trackers, for swarm interop tests.

Usage:
    /usr/bin/python3 lt_peer.py <file.torrent> <save_path> [--seed] [--peer HOST:PORT]...
                                [--timeout S] [--stay]

Unlike lt_seed.py and lt_leech_peer.py (which talk to one given peer), this peer announces to the trackers
in the torrent (our embedded tracker or opentracker) and finds the swarm through them, as a real client does.
With --seed the data in save_path is checked first and must be complete. Prints the TCP listen port as one
line on stdout once ready (after the check when seeding), then one JSON object at the end:
    {"complete": bool, "pieces": N, "have": M, "downloaded": B, "uploaded": B, "hashfails": K,
     "peers_seen": P, "error": null|"..."}
A leecher exits once complete (unless --stay); every peer exits when stdin closes or at --timeout.
Exit status: 0 complete (or a seed stopped by stdin), 3 not complete, 2 torrent rejected, 1 usage error.
Session: listen_interfaces 127.0.0.1:0, DHT/LSD/UPnP/NAT-PMP and uTP off,
allow_multiple_connections_per_ip on. Needs Debian's /usr/bin/python3 (python3-libtorrent).
"""

import argparse
import json
import os
import sys
import threading
import time

try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover
    sys.stderr.write("lt_peer: cannot import libtorrent (%s)\n" % e)
    os._exit(1)


def main(argv):
    p = argparse.ArgumentParser(prog="lt_peer.py")
    p.add_argument("torrent")
    p.add_argument("save_path")
    p.add_argument("--seed", action="store_true")
    p.add_argument("--peer", action="append", default=[])
    p.add_argument("--timeout", type=float, default=120.0)
    p.add_argument("--stay", action="store_true", help="keep running after completing")
    a = p.parse_args(argv[1:])
    os.makedirs(a.save_path, exist_ok=True)
    closed = threading.Event()

    def watch():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        closed.set()
    threading.Thread(target=watch, daemon=True).start()

    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,
        "allow_multiple_connections_per_ip": True,
        "announce_to_all_trackers": True, "announce_to_all_tiers": True,
        "alert_mask": int(lt.alert.category_t.error_notification | lt.alert.category_t.status_notification),
    })
    try:
        with open(a.torrent, "rb") as f:
            ti = lt.torrent_info(f.read())
    except (OSError, RuntimeError) as e:
        sys.stderr.write("lt_peer: %s\n" % e)
        return 2
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = os.path.abspath(a.save_path)
    flags = int(atp.flags)
    for name in ("paused", "auto_managed", "seed_mode", "upload_mode", "stop_when_ready"):
        flags &= ~int(getattr(lt.torrent_flags, name, 0))
    atp.flags = flags
    h = ses.add_torrent(atp)
    deadline = time.monotonic() + a.timeout
    hashfails = 0
    peers_seen = set()
    if a.seed:
        while not h.status().is_seeding:
            st = h.status()
            if st.state not in (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data,
                                lt.torrent_status.allocating) and not st.is_seeding:
                sys.stderr.write("lt_peer: data incomplete: %d of %d pieces\n" % (st.num_pieces, ti.num_pieces()))
                return 3
            if time.monotonic() > deadline:
                return 3
            time.sleep(0.05)
    sys.stdout.write("%d\n" % ses.listen_port())
    sys.stdout.flush()
    for peer in a.peer:
        host, port = peer.rsplit(":", 1)
        h.connect_peer((host, int(port)))
    error = None
    while not closed.is_set() and time.monotonic() < deadline:
        for al in ses.pop_alerts():
            if isinstance(al, lt.hash_failed_alert):
                hashfails += 1
            elif isinstance(al, (lt.torrent_error_alert, lt.file_error_alert)):
                error = al.message()
        for pi in h.get_peer_info():
            peers_seen.add("%s:%d" % pi.ip)
        st = h.status()
        if st.is_seeding and not a.seed and not a.stay:
            break
        time.sleep(0.1)
    st = h.status()
    if error is None and not st.is_seeding and time.monotonic() >= deadline:
        error = "timeout: %d of %d pieces after %gs" % (st.num_pieces, ti.num_pieces(), a.timeout)
    print(json.dumps({"complete": bool(st.is_seeding), "pieces": ti.num_pieces(), "have": st.num_pieces,
                      "downloaded": st.total_payload_download, "uploaded": st.total_payload_upload,
                      "hashfails": hashfails, "peers_seen": len(peers_seen), "error": error}))
    sys.stdout.flush()
    return 0 if st.is_seeding else 3


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    os._exit(code)
