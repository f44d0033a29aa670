#!/usr/bin/python3
"""Create a .torrent with libtorrent's create_torrent (reference implementation).

Usage:
    /usr/bin/python3 lt_create.py <file-or-dir> -o out.torrent
        [--v1 | --v2 | --hybrid]          (default: --hybrid, libtorrent 2.0 default)
        [--piece-length N]                bytes, K/M suffix allowed (0/absent = libtorrent auto)
        [--tracker URL[,URL...]]...       each option = one tier; commas = same tier
        [--private] [--web-seed URL]...
        [--comment TEXT] [--creator TEXT] [--no-date]
        [--no-tail-padding]               hybrid/v1: no pad file after the last file
        [--time]                          print timing (seconds) to stderr

Exit codes: 0 ok, 1 usage / missing libtorrent / IO error, 2 libtorrent refused.
Must run with Debian's /usr/bin/python3 (python3-libtorrent lives there only).
"""

import argparse
import os
import sys
import time


def _die(code, msg):
    sys.stderr.write("lt_create: %s\n" % msg)
    sys.exit(code)


try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover
    _die(1, "cannot import libtorrent (%s); use /usr/bin/python3 with python3-libtorrent" % e)


def _size(text):
    t = text.strip().upper()
    mult = 1
    for suf, m in (("KIB", 1 << 10), ("MIB", 1 << 20), ("K", 1 << 10), ("M", 1 << 20)):
        if t.endswith(suf):
            mult, t = m, t[: -len(suf)]
            break
    try:
        v = int(t) * mult
    except ValueError:
        raise argparse.ArgumentTypeError("bad size: %r" % text)
    if v < 0:
        raise argparse.ArgumentTypeError("negative size: %r" % text)
    return v


class _Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors exit 1 (2 is reserved for libtorrent refusals)
        self.print_usage(sys.stderr)
        _die(1, message)


def parse_args(argv):
    p = _Parser(prog="lt_create.py", description=__doc__.split("\n")[0])
    p.add_argument("source", help="file or directory to make a torrent of")
    p.add_argument("-o", "--output", required=True, help="output .torrent path")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--v1", dest="mode", action="store_const", const="v1")
    mode.add_argument("--v2", dest="mode", action="store_const", const="v2")
    mode.add_argument("--hybrid", dest="mode", action="store_const", const="hybrid")
    p.set_defaults(mode="hybrid")
    p.add_argument("--piece-length", type=_size, default=0)
    p.add_argument("--tracker", action="append", default=[])
    p.add_argument("--private", action="store_true")
    p.add_argument("--web-seed", action="append", default=[])
    p.add_argument("--comment")
    p.add_argument("--creator")
    p.add_argument("--no-date", action="store_true")
    p.add_argument("--no-tail-padding", action="store_true")
    p.add_argument("--time", action="store_true")
    return p.parse_args(argv)


def main(argv):
    a = parse_args(argv[1:])
    t0 = time.monotonic()
    src = os.path.abspath(a.source)
    if not os.path.exists(src):
        _die(1, "no such file or directory: %s" % a.source)
    parent = os.path.dirname(src.rstrip(os.sep)) or os.sep

    flags = 0
    if a.mode == "v1":
        flags |= lt.create_torrent.v1_only
    elif a.mode == "v2":
        flags |= lt.create_torrent.v2_only
    if a.no_tail_padding:
        flags |= getattr(lt.create_torrent, "canonical_files_no_tail_padding", 0)

    try:
        fs = lt.file_storage()
        lt.add_files(fs, src)
        if fs.num_files() == 0:
            _die(1, "no files found under %s" % a.source)
        content = int(fs.total_size())  # before create_torrent adds pad files
        ct = lt.create_torrent(fs, a.piece_length, flags)
        for tier, spec in enumerate(a.tracker):
            for url in [u for u in spec.split(",") if u]:
                ct.add_tracker(url, tier)
        for url in a.web_seed:
            ct.add_url_seed(url)
        if a.private:
            ct.set_priv(True)
        if a.comment is not None:
            ct.set_comment(a.comment)
        if a.creator is not None:
            ct.set_creator(a.creator)
        t1 = time.monotonic()
        lt.set_piece_hashes(ct, parent)
        t2 = time.monotonic()
        entry = ct.generate()
        if a.no_date and isinstance(entry, dict):
            entry.pop(b"creation date", None)
            entry.pop("creation date", None)
        data = lt.bencode(entry)
    except SystemExit:
        raise
    except Exception as e:  # RuntimeError / ValueError from libtorrent
        _die(2, "libtorrent failed: %s" % e)

    try:
        with open(a.output, "wb") as f:
            f.write(data)
    except OSError as e:
        _die(1, "cannot write %s: %s" % (a.output, e))
    t3 = time.monotonic()
    if a.time:
        sys.stderr.write(
            "lt_create: mode=%s pieces=%d piece_length=%d bytes=%d "
            "setup=%.3fs hash=%.3fs total=%.3fs\n"
            % (a.mode, ct.num_pieces(), ct.piece_length(), content,
               t1 - t0, t2 - t1, t3 - t0))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
