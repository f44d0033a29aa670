#!/usr/bin/python3
"""Seed existing data with libtorrent on 127.0.0.1, for peer wire interop tests.

Usage:
    /usr/bin/python3 lt_seed.py <file.torrent> <save_path> [--port-file F] [--timeout S]
                                [--upload-limit BYTES_PER_S]

save_path has libtorrent's meaning (the folder that CONTAINS the torrent's content;
see lt_check.py). libtorrent hash-checks the data first; once the torrent is seeding,
the script prints the session's TCP listen port as one decimal line on stdout (and
writes it to --port-file, atomically: the file appears complete or not at all), then
serves peers until stdin reaches end of file (the parent closed it, or died) or
--timeout seconds (default 120) have passed since start.

Exit status: 0 stopped by end of stdin; 4 stopped by the timeout; 3 the data does not
match the torrent (the check did not verify every piece; nothing is printed on
stdout); 2 libtorrent rejected the torrent; 1 usage error, unreadable file, or the
timeout passed before seeding started. Diagnostics go to stderr, one line each.

Session: listen_interfaces 127.0.0.1:0, DHT/LSD/UPnP/NAT-PMP off,
allow_multiple_connections_per_ip on, uTP off (TCP only: Stampede speaks TCP, and a
libtorrent that dials out tries uTP first and falls back to TCP only after a
timeout), encryption allowed but not required (plain BitTorrent connections are
accepted), the torrent's trackers and web seeds dropped, so nothing but loopback
traffic happens. Must run with Debian's /usr/bin/python3 (python3-libtorrent).
"""

import argparse
import os
import sys
import threading
import time


def _die(code, msg):
    sys.stderr.write("lt_seed: %s\n" % msg)
    sys.stderr.flush()
    os._exit(code)


try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover - environment problem
    _die(1, "cannot import libtorrent (%s); use /usr/bin/python3 with python3-libtorrent" % e)

POLL_S = 0.05


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 1 (2 is reserved for libtorrent refusals)
        self.print_usage(sys.stderr)
        _die(1, message)


def parse_args(argv):
    p = _Parser(prog="lt_seed.py", description=__doc__.split("\n")[0])
    p.add_argument("torrent", help=".torrent file")
    p.add_argument("save_path", help="folder containing the content")
    p.add_argument("--port-file", help="also write the listen port to this file")
    p.add_argument("--stats-file", help="keep the payload bytes uploaded so far in this file (one decimal line)")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds before giving up (default 120)")
    p.add_argument("--upload-limit", type=int, default=0, help="bytes per second, 0 = unlimited (default)")
    a = p.parse_args(argv)
    if not a.timeout > 0:
        p.error("--timeout must be > 0")
    if a.upload_limit < 0:
        p.error("--upload-limit must be >= 0")
    return a


def watch_stdin(closed):
    """Sets `closed` when stdin reaches end of file (or fails)."""
    def run():
        try:
            while sys.stdin.buffer.read(4096):
                pass
        except Exception:
            pass
        closed.set()
    threading.Thread(target=run, name="stdin-watch", daemon=True).start()


def session(extra=None):
    settings = {
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False,
        "allow_multiple_connections_per_ip": True,
        "enable_outgoing_utp": False, "enable_incoming_utp": False,  # TCP only, as Stampede speaks
        "alert_mask": int(lt.alert.category_t.error_notification | lt.alert.category_t.status_notification),
    }
    settings.update(extra or {})
    return lt.session(settings)


def load_torrent(path):
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        _die(1, "cannot read %s: %s" % (path, e))
    try:
        return lt.torrent_info(data, {"max_buffer_size": 1 << 30, "max_pieces": 1 << 24,
                                      "max_decode_depth": 100, "max_decode_tokens": 1 << 24})
    except RuntimeError as e:
        _die(2, "libtorrent rejected %s: %s" % (path, e))


def add_params(ti, save_path):
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = save_path
    atp.storage_mode = lt.storage_mode_t.storage_mode_sparse
    flags = int(atp.flags)
    for name in ("paused", "auto_managed", "seed_mode", "share_mode", "upload_mode", "stop_when_ready"):
        flags &= ~int(getattr(lt.torrent_flags, name, 0))
    for name in ("override_trackers", "override_web_seeds", "disable_dht", "disable_lsd", "disable_pex"):
        flags |= int(getattr(lt.torrent_flags, name, 0))
    atp.flags = flags
    atp.trackers = []
    atp.url_seeds = []
    return atp


def write_port_file(path, port):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % port)
    os.replace(tmp, path)


def main(argv):
    a = parse_args(argv[1:])
    start = time.monotonic()
    deadline = start + a.timeout
    if not os.path.isdir(a.save_path):
        _die(1, "save_path is not a directory: %s" % a.save_path)
    closed = threading.Event()
    watch_stdin(closed)

    ti = load_torrent(a.torrent)
    ses = session()
    try:
        h = ses.add_torrent(add_params(ti, os.path.abspath(a.save_path)))
    except RuntimeError as e:
        _die(2, "libtorrent rejected %s: %s" % (a.torrent, e))
    if a.upload_limit:
        h.set_upload_limit(a.upload_limit)

    # wait for the hash check; the torrent is seeding when every piece verified
    checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
    while True:
        for al in ses.pop_alerts():
            if isinstance(al, (lt.torrent_error_alert, lt.file_error_alert, lt.listen_failed_alert)):
                _die(1, al.message())
        st = h.status()
        if st.is_seeding:
            break
        if st.state not in checking and st.state != lt.torrent_status.allocating:
            _die(3, "data does not match the torrent: %d of %d pieces verified (state %s)"
                 % (st.num_pieces, ti.num_pieces(), st.state))
        if closed.is_set():
            _die(0, "stdin closed before seeding started")
        if time.monotonic() >= deadline:
            _die(1, "timeout: not seeding after %gs" % a.timeout)
        time.sleep(POLL_S)

    port = ses.listen_port()
    if a.port_file:
        write_port_file(a.port_file, port)
    sys.stdout.write("%d\n" % port)
    sys.stdout.flush()

    while not closed.wait(POLL_S):
        if a.stats_file:
            write_port_file(a.stats_file, h.status().total_payload_upload)
        for al in ses.pop_alerts():
            if isinstance(al, (lt.torrent_error_alert, lt.file_error_alert)):
                sys.stderr.write("lt_seed: %s\n" % al.message())
        if time.monotonic() >= deadline:
            sys.stderr.write("lt_seed: timeout after %gs\n" % a.timeout)
            return 4
    return 0


if __name__ == "__main__":
    code = main(sys.argv)
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)  # do not wait for libtorrent's session shutdown or the stdin thread
