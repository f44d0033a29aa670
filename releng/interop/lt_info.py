#!/usr/bin/python3
"""Dump what libtorrent (rasterbar, Python bindings) sees in a .torrent file, as JSON.

Usage:
    /usr/bin/python3 lt_info.py [--no-padding] <file.torrent>

Prints exactly ONE JSON object on stdout (see README.md for the schema).
Exit codes: 0 ok, 1 usage / missing libtorrent / unreadable file, 2 libtorrent rejected the torrent.

Must run with Debian's /usr/bin/python3 (python3-libtorrent is installed for that
interpreter only).

Path convention for "files[].path":
  * multi-file torrent:  path components WITHOUT the torrent name
                         (libtorrent's file_path() is "<name>/<a>/<b>"; we drop "<name>")
  * single-file torrent: [name]
"""

import json
import os
import sys


def _die(code, msg):
    sys.stderr.write("lt_info: %s\n" % msg)
    sys.exit(code)


try:
    import libtorrent as lt
except ImportError as e:  # pragma: no cover - environment problem
    _die(1, "cannot import libtorrent (%s); use /usr/bin/python3 with python3-libtorrent" % e)


def _hex(h):
    """sha1_hash / sha256_hash -> lower hex, or None for the all-zero hash."""
    if h is None:
        return None
    if hasattr(h, "to_bytes"):
        raw = h.to_bytes()
        s = raw.hex()
    else:  # older bindings: str(hash) is hex
        s = str(h).lower()
    if s.strip("0") == "":
        return None
    return s.lower()


def _info_hashes(ti):
    """Return (v1_hex_or_None, v2_hex_or_None) across binding variants."""
    if hasattr(ti, "info_hashes"):
        ih = ti.info_hashes()
        v1 = _hex(ih.v1) if ih.has_v1() else None
        v2 = _hex(ih.v2) if ih.has_v2() else None
        return v1, v2
    # libtorrent 1.2: only v1 exists
    return _hex(ti.info_hash()), None


def _split(path):
    parts = [p for p in path.split(os.sep) if p != ""]
    if os.sep != "/":
        parts = [q for p in parts for q in p.split("/") if q != ""]
    return parts


def _is_single_file(ti):
    """Decide from the raw info dict (not from libtorrent's file_storage, which
    inserts synthetic pad files for v2 torrents)."""
    try:
        info = lt.bdecode(ti.info_section())
    except Exception:
        info = None
    if isinstance(info, dict):
        if b"length" in info:
            return True
        if b"files" in info:
            return False
        tree = info.get(b"file tree")
        if isinstance(tree, dict) and len(tree) == 1:
            (key, node), = tree.items()
            name = info.get(b"name")
            return isinstance(node, dict) and b"" in node and (name is None or key == name)
        return False
    # Fallback: one real file whose path equals the torrent name.
    fs = ti.files()
    return fs.num_files() >= 1 and fs.file_path(0) == ti.name()


def _raw_tracker_order(raw):
    """url -> position in the file's announce-list (or announce); {} if unknown."""
    order = {}
    if not raw:
        return order
    try:
        top = lt.bdecode(raw)
    except Exception:
        return order
    if not isinstance(top, dict):
        return order
    urls = []
    for tier in top.get(b"announce-list") or []:
        if isinstance(tier, list):
            urls.extend(u for u in tier if isinstance(u, bytes))
    if isinstance(top.get(b"announce"), bytes):
        urls.append(top[b"announce"])
    for u in urls:
        order.setdefault(u.decode("utf-8", "replace"), len(order))
    return order


def describe(ti, include_padding=True, raw=None):
    fs = ti.files()
    name = ti.name()
    single = _is_single_file(ti)
    pad_flag = getattr(lt.file_storage, "flag_pad_file", 1)
    v1, v2 = _info_hashes(ti)

    files = []
    content = 0
    prefix = name + os.sep
    for i in range(fs.num_files()):
        p = fs.file_path(i)
        size = int(fs.file_size(i))
        padding = bool(int(fs.file_flags(i)) & int(pad_flag))
        if p == name:
            comps = [name]
        elif p.startswith(prefix):
            comps = _split(p[len(prefix):])
        else:
            comps = _split(p)
        if not padding:
            content += size
        elif not include_padding:
            continue
        entry = {"path": comps, "length": size, "padding": padding}
        root = None
        if v2 is not None and hasattr(fs, "root") and not padding:
            try:
                root = _hex(fs.root(i))
            except Exception:
                root = None
        entry["piecesRoot"] = root
        files.append(entry)

    # libtorrent shuffles the URLs inside each tier when it parses announce-list
    # (BEP 12), so its order is random.  Keep libtorrent's view of WHICH urls are
    # in WHICH tier, but order them within a tier as they appear in the file.
    order = _raw_tracker_order(raw)
    tiers = {}
    for ae in ti.trackers():
        tiers.setdefault(int(ae.tier), []).append(ae.url)
    trackers = []
    for t in sorted(tiers):
        urls = tiers[t]
        trackers.append(sorted(urls, key=lambda u, urls=urls: (order.get(u, len(order)), urls.index(u))))

    web_seeds = []
    for ws in ti.web_seeds():
        if isinstance(ws, dict):
            # type 0 = url seed (BEP 19), 1 = http seed (BEP 17)
            if ws.get("type", 0) == 0:
                web_seeds.append(ws["url"])
        else:
            web_seeds.append(str(ws))

    return {
        "name": name,
        "infoHashV1": v1,
        "infoHashV2": v2,
        "pieceLength": int(ti.piece_length()),
        "pieceCount": int(ti.num_pieces()),
        "totalLength": int(ti.total_size()),
        "contentLength": content,
        "singleFile": single,
        "files": files,
        "trackers": trackers,
        "private": bool(ti.priv()),
        "webSeeds": web_seeds,
    }


def main(argv):
    args = argv[1:]
    include_padding = True
    if "--no-padding" in args:
        include_padding = False
        args = [a for a in args if a != "--no-padding"]
    if len(args) != 1 or args[0] in ("-h", "--help"):
        sys.stderr.write("usage: lt_info.py [--no-padding] <file.torrent>\n")
        return 1
    path = args[0]
    try:
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        _die(1, "cannot read %s: %s" % (path, e))
    try:
        # Parse the raw bytes (NOT bdecode()->dict, which would re-encode the info
        # dict and could change the info-hash of non-canonically encoded input).
        limits = {"max_buffer_size": 1 << 30, "max_pieces": 1 << 24,
                  "max_decode_depth": 100, "max_decode_tokens": 1 << 24}
        try:
            ti = lt.torrent_info(data, limits)
        except TypeError:  # bindings without the (bytes, dict) overload
            ti = lt.torrent_info(path)
        out = describe(ti, include_padding, data)
    except Exception as e:  # RuntimeError from libtorrent on invalid torrents
        _die(2, "libtorrent rejected %s: %s" % (path, e))
    sys.stdout.write(json.dumps(out, sort_keys=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
