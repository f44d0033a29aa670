#!/usr/bin/python3
"""Make libtorrent download a torrent from one given peer on loopback, for peer wire interop tests.

Usage:
    /usr/bin/python3 lt_leech_peer.py <file.torrent> <save_path> --peer HOST:PORT [--timeout S]

libtorrent adds the torrent with save_path (normally an empty folder: it has none of
the data), connects out to HOST:PORT (again every 2 s while it has no peer) with a
plain, unencrypted BitTorrent handshake, and downloads from that peer, verifying every
piece against the torrent's hashes, until it has all pieces, or stdin reaches end of
file, or --timeout seconds (default 120) have passed.

Prints exactly one JSON object (one line) on stdout at the end:
    {"complete": bool, "pieces": N, "have": M, "state": "...",
     "downloaded": BYTES, "hashfails": K, "error": null|"..."}
"have" counts verified pieces; "downloaded" is payload received; "hashfails" counts
pieces that failed their hash check (bad data from the peer).

Exit status: 0 complete; 3 not complete (timeout, stdin closed, or an error); 2
libtorrent rejected the torrent (stderr only); 1 usage error or unreadable file
(stderr only).

Session: listen_interfaces 127.0.0.1:0, DHT/LSD/UPnP/NAT-PMP off,
allow_multiple_connections_per_ip on, uTP off (TCP only: Stampede speaks TCP, and
libtorrent would otherwise try uTP first and fall back to TCP only after a timeout),
outgoing encryption disabled, trackers and web seeds dropped. Must run with Debian's
/usr/bin/python3 (python3-libtorrent).
"""

import argparse
import json
import os
import sys
import threading
import time


def _die(code, msg):
    sys.stderr.write("lt_leech_peer: %s\n" % msg)
    sys.stderr.flush()
    os._exit(code)


try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover - environment problem
    _die(1, "cannot import libtorrent (%s); use /usr/bin/python3 with python3-libtorrent" % e)

POLL_S = 0.05
RECONNECT_S = 2.0
PE_DISABLED = 2  # settings_pack::pe_disabled


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.print_usage(sys.stderr)
        _die(1, message)


def _host_port(text):
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError("expected HOST:PORT, got %r" % text)
    return host.strip("[]"), int(port)


def parse_args(argv):
    p = _Parser(prog="lt_leech_peer.py", description=__doc__.split("\n")[0])
    p.add_argument("torrent", help=".torrent file")
    p.add_argument("save_path", help="folder to download into")
    p.add_argument("--peer", type=_host_port, required=True, help="the peer to download from, HOST:PORT")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before giving up (default 120)")
    a = p.parse_args(argv)
    if not a.timeout > 0:
        p.error("--timeout must be > 0")
    return a


def main(argv):
    a = parse_args(argv[1:])
    deadline = time.monotonic() + a.timeout
    if not os.path.isdir(a.save_path):
        _die(1, "save_path is not a directory: %s" % a.save_path)
    closed = threading.Event()

    def watch_stdin():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        closed.set()
    threading.Thread(target=watch_stdin, name="stdin-watch", daemon=True).start()

    try:
        with open(a.torrent, "rb") as f:
            data = f.read()
    except OSError as e:
        _die(1, "cannot read %s: %s" % (a.torrent, e))
    try:
        ti = lt.torrent_info(data, {"max_buffer_size": 1 << 30, "max_pieces": 1 << 24,
                                    "max_decode_depth": 100, "max_decode_tokens": 1 << 24})
    except RuntimeError as e:
        _die(2, "libtorrent rejected %s: %s" % (a.torrent, e))

    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,  # TCP only, as Stampede speaks
        "out_enc_policy": PE_DISABLED,
        "alert_mask": int(lt.alert.category_t.error_notification | lt.alert.category_t.status_notification),
    })
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = os.path.abspath(a.save_path)
    atp.storage_mode = lt.storage_mode_t.storage_mode_sparse
    flags = int(atp.flags)
    for name in ("paused", "auto_managed", "seed_mode", "share_mode", "upload_mode", "stop_when_ready"):
        flags &= ~int(getattr(lt.torrent_flags, name, 0))
    for name in ("override_trackers", "override_web_seeds", "disable_dht", "disable_lsd", "disable_pex"):
        flags |= int(getattr(lt.torrent_flags, name, 0))
    atp.flags = flags
    atp.trackers = []
    atp.url_seeds = []
    try:
        h = ses.add_torrent(atp)
    except RuntimeError as e:
        _die(2, "libtorrent rejected %s: %s" % (a.torrent, e))

    error = None
    hashfails = 0
    last_connect = -RECONNECT_S
    checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
    while True:
        for al in ses.pop_alerts():
            if isinstance(al, lt.hash_failed_alert):
                hashfails += 1
            elif isinstance(al, (lt.torrent_error_alert, lt.file_error_alert)):
                error = error or al.message()
        st = h.status()
        if st.is_seeding or error:
            break
        if closed.is_set():
            error = "stdin closed"
            break
        if time.monotonic() >= deadline:
            error = "timeout: %d of %d pieces after %gs" % (st.num_pieces, ti.num_pieces(), a.timeout)
            break
        if st.state not in checking and st.num_peers == 0 and time.monotonic() - last_connect >= RECONNECT_S:
            h.connect_peer(a.peer)
            last_connect = time.monotonic()
        time.sleep(POLL_S)

    st = h.status()
    out = {
        "complete": bool(st.is_seeding),
        "pieces": int(ti.num_pieces()),
        "have": int(st.num_pieces),
        "state": str(st.state),
        "downloaded": int(st.total_payload_download),
        "hashfails": hashfails,
        "error": None if st.is_seeding else error,
    }
    sys.stdout.write(json.dumps(out) + "\n")
    return 0 if st.is_seeding else 3


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # do not wait for libtorrent's session shutdown or the stdin thread
