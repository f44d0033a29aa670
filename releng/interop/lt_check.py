#!/usr/bin/python3
"""Verify a torrent's piece hashes against data on disk with libtorrent's own checker.

Usage:
    /usr/bin/python3 lt_check.py <file.torrent> <save_path> [--timeout SECONDS]

save_path is the folder that CONTAINS the torrent's content: for a single-file
torrent the folder holding the file, for a multi-file torrent the folder holding
the torrent's root folder (libtorrent's usual save_path meaning).

Prints exactly ONE JSON object on stdout (see README.md):
    {"pieces": N, "verified": M, "complete": M == N, "state": "...", "error": null|"...",
     "missingPieceLayers": null|K}
Exit codes: 0 all pieces verified, 3 not all pieces verified (incl. file errors),
2 libtorrent rejected the torrent (stderr only), 1 usage / IO / missing libtorrent
(stderr only) or timeout (JSON printed, "error" says timeout).

The torrent is added to a loopback-only session (no DHT/LSD/UPnP/NAT-PMP) with no
resume data, not paused, not auto-managed, with stop_when_ready + upload_mode and
its trackers / web seeds overridden by empty lists: libtorrent hashes every piece of
the existing files, pauses itself as soon as the check is done, and never announces,
connects or downloads. Must run with Debian's /usr/bin/python3 (python3-libtorrent).
"""

import argparse
import json
import os
import sys
import time


def _die(code, msg):
    sys.stderr.write("lt_check: %s\n" % msg)
    sys.exit(code)


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
    p = _Parser(prog="lt_check.py", description=__doc__.split("\n")[0])
    p.add_argument("torrent", help=".torrent file")
    p.add_argument("save_path", help="folder containing the file (single-file) or the root folder (multi-file)")
    p.add_argument("--timeout", type=float, default=120.0,
                   help="max seconds to wait for the check (default 120)")
    a = p.parse_args(argv)
    if not a.timeout > 0:
        p.error("--timeout must be > 0")
    return a


def _flags():
    """add_torrent_params flags: full check of existing files, nothing else.

    * paused must be OFF: a paused torrent stays in checking_files and never hashes
      (verified with 2.0.8); auto_managed OFF so the session queue cannot pause it.
    * stop_when_ready: libtorrent pauses the torrent itself on the transition
      checking -> downloading/seeding, i.e. before it would start announcing.
    * upload_mode: never request pieces (no writes to save_path).
    * override_trackers / override_web_seeds (with empty lists): ignore the .torrent's
      announce URLs and url-list, so there is nothing to contact even in principle.
    """
    f = lt.torrent_flags
    flags = int(lt.add_torrent_params().flags)
    for name in ("paused", "auto_managed", "seed_mode", "share_mode", "super_seeding",
                 "sequential_download", "no_verify_files", "duplicate_is_error"):
        flags &= ~int(getattr(f, name, 0))
    for name in ("stop_when_ready", "upload_mode", "override_trackers", "override_web_seeds",
                 "disable_dht", "disable_lsd", "disable_pex"):
        flags |= int(getattr(f, name, 0))
    return flags


def _error_text(st, fs):
    ec = getattr(st, "errc", None)
    if ec is not None and ec.value() != 0:
        msg = ec.message()
        ef = getattr(st, "error_file", -1)  # file_storage index; negative = not a file
        if isinstance(ef, int) and 0 <= ef < fs.num_files():
            msg = "%s (file %s)" % (msg, fs.file_path(ef))
        return msg
    err = getattr(st, "error", "")
    return err or None


def _missing_piece_layers(ti, data):
    """v2: number of (non-pad) files longer than one piece whose "piece layers" entry is
    absent. libtorrent 2.0.8 accepts such torrents and then verifies those files only as
    a whole against their "pieces root" (one bad byte fails ALL pieces of the file).
    None for v1-only torrents (or if the raw file cannot be decoded)."""
    ih = ti.info_hashes() if hasattr(ti, "info_hashes") else None
    if ih is None or not ih.has_v2():
        return None
    try:
        top = lt.bdecode(data)
    except Exception:
        return None
    layers = top.get(b"piece layers") if isinstance(top, dict) else None
    if not isinstance(layers, dict):
        layers = {}
    fs = ti.files()
    pad_flag = int(getattr(lt.file_storage, "flag_pad_file", 1))
    plen = int(ti.piece_length())
    missing = 0
    for i in range(fs.num_files()):
        if int(fs.file_flags(i)) & pad_flag or int(fs.file_size(i)) <= plen:
            continue
        if fs.root(i).to_bytes() not in layers:
            missing += 1
    return missing


def check(data, save_path, timeout):
    """-> (result dict, exit code). Raises RuntimeError when libtorrent rejects the torrent."""
    limits = {"max_buffer_size": 1 << 30, "max_pieces": 1 << 24,
              "max_decode_depth": 100, "max_decode_tokens": 1 << 24}
    ti = lt.torrent_info(data, limits)  # raises RuntimeError on invalid input
    missing_layers = _missing_piece_layers(ti, data)
    if missing_layers:
        sys.stderr.write("lt_check: warning: 'piece layers' missing for %d file(s); libtorrent "
                         "verifies them only as whole files\n" % missing_layers)

    cat = lt.alert.category_t
    ses = lt.session({
        "listen_interfaces": "127.0.0.1:0",
        "enable_dht": False, "enable_lsd": False,
        "enable_upnp": False, "enable_natpmp": False,
        "alert_mask": int(cat.error_notification | cat.status_notification | cat.storage_notification),
    })
    atp = lt.add_torrent_params()
    atp.ti = ti
    atp.save_path = save_path
    atp.storage_mode = lt.storage_mode_t.storage_mode_sparse  # never preallocate
    atp.flags = _flags()
    atp.trackers = []
    atp.url_seeds = []
    # Priority 0 for zero-length files: otherwise libtorrent's storage initialisation
    # CREATES missing empty files (and their parent folders) in save_path (seen with
    # 2.0.8 for v1, v2 and hybrid). They have no pieces, so the check is unaffected.
    fs = ti.files()
    atp.file_priorities = [0 if fs.file_size(i) == 0 else 4 for i in range(fs.num_files())]
    h = ses.add_torrent(atp)  # raises RuntimeError if libtorrent refuses to add it

    checking = (lt.torrent_status.checking_files, lt.torrent_status.checking_resume_data)
    deadline = time.monotonic() + timeout
    checked = False
    alert_error = None
    timed_out = False
    while True:
        for a in ses.pop_alerts():
            if isinstance(a, lt.torrent_checked_alert):
                checked = True
            elif isinstance(a, (lt.torrent_error_alert, lt.file_error_alert)):
                alert_error = alert_error or a.message()
        st = h.status()
        err = _error_text(st, fs)
        if checked or err:
            break
        # stop_when_ready fired (e.g. no file existed, so there was nothing to hash)
        if st.state not in checking and st.paused and not st.stop_when_ready:
            break
        if time.monotonic() >= deadline:
            timed_out = True
            break
        time.sleep(POLL_S)

    st = h.status()
    total = int(ti.num_pieces())
    verified = int(st.num_pieces)
    err = _error_text(st, fs) or alert_error
    if timed_out:
        err = "timeout: checking not finished after %gs%s" % (timeout, "; " + err if err else "")
    out = {
        "pieces": total,
        "verified": verified,
        "complete": verified == total,
        "state": str(st.state),
        "error": err,
        "missingPieceLayers": missing_layers,  # [extra field] null for v1-only torrents
    }
    try:
        ses.remove_torrent(h)  # no delete flags: files stay untouched
    except Exception:
        pass
    del ses
    if timed_out:
        return out, 1
    return out, 0 if out["complete"] else 3


def main(argv):
    a = parse_args(argv[1:])
    try:
        with open(a.torrent, "rb") as f:
            data = f.read()
    except OSError as e:
        _die(1, "cannot read %s: %s" % (a.torrent, e))
    if not os.path.isdir(a.save_path):
        _die(1, "save_path is not a directory: %s" % a.save_path)
    save_path = os.path.abspath(a.save_path)
    try:
        out, code = check(data, save_path, a.timeout)
    except RuntimeError as e:  # torrent_info() / add_torrent() refusals
        _die(2, "libtorrent rejected %s: %s" % (a.torrent, e))
    sys.stdout.write(json.dumps(out, sort_keys=False) + "\n")
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
