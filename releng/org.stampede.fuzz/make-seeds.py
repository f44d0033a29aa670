#!/usr/bin/python3
"""Writes the fuzz targets' seed corpora from real counterparts: torrents made by mktorrent and libtorrent, their
magnet links as libtorrent writes them, what a libtorrent seeder sends on the peer wire, HTTP and UDP replies of
opentracker, libtorrent's announces to an HTTP and a UDP tracker, and control requests as `stampede control` sends them.

Usage (from anywhere; needs python3-libtorrent, mktorrent and opentracker, as the interop tests do):
    /usr/bin/python3 releng/org.stampede.fuzz/make-seeds.py

Each seed goes to src/test/resources/<package>/<Class>Inputs/<method>/seed-<what> (the folders Jazzer's regression
mode replays), replacing a seed of the same name; other corpus entries are left alone. Everything happens on
127.0.0.1 and in a temporary folder. The first byte of a wire, tracker or control seed is the target's set-up byte
(see the fuzz test's comment), the rest is what was received.
"""

import hashlib
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import libtorrent as lt

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.path.join(HERE, "src", "test", "resources", "org", "stampede")
CORPUS = {
    "bencode": os.path.join(RES, "bencode", "BencodeFuzzTestInputs", "decode"),
    "torrent": os.path.join(RES, "metainfo", "MetainfoFuzzTestInputs", "torrent"),
    "magnet": os.path.join(RES, "metainfo", "MetainfoFuzzTestInputs", "magnet"),
    "wire": os.path.join(RES, "wire", "WireFuzzTestInputs", "peer"),
    "http": os.path.join(RES, "tracker", "internal", "TrackerReplyFuzzTestInputs", "http"),
    "udp": os.path.join(RES, "tracker", "internal", "TrackerReplyFuzzTestInputs", "udp"),
    "control": os.path.join(RES, "cli", "internal", "ControlProtocolFuzzTestInputs", "request"),
    "tracker-request": os.path.join(RES, "tracker", "server", "internal", "TrackerRequestFuzzTestInputs", "http"),
    "udp-tracker-request": os.path.join(RES, "tracker", "server", "internal", "TrackerRequestFuzzTestInputs", "udp"),
}
LT_SEED = os.path.join(HERE, "..", "interop", "lt_seed.py")
PIECE = 16384
PEER_ID = b"-SD0010-fuzzseedpeer"


def save(target, name, data):
    os.makedirs(CORPUS[target], exist_ok=True)
    with open(os.path.join(CORPUS[target], "seed-" + name), "wb") as f:
        f.write(data)
    print("%-8s seed-%s (%d bytes)" % (target, name, len(data)))


def content(path, size, salt):
    with open(path, "wb") as f:
        f.write(bytes((i * 7 + salt) % 251 for i in range(size)))


def lt_torrent(src, flags, trackers=(), private=False, comment=None, web_seed=None):
    fs = lt.file_storage()
    lt.add_files(fs, src)
    ct = lt.create_torrent(fs, PIECE, flags)
    for tier, url in enumerate(trackers):
        ct.add_tracker(url, tier)
    if private:
        ct.set_priv(True)
    if comment:
        ct.set_comment(comment)
    if web_seed:
        ct.add_url_seed(web_seed)
    ct.set_creator("libtorrent %s" % lt.__version__)
    lt.set_piece_hashes(ct, os.path.dirname(src))
    return lt.bencode(ct.generate())


def torrents(work):
    single = os.path.join(work, "single", "a.bin")
    os.makedirs(os.path.dirname(single))
    content(single, 3 * PIECE + 1, 1)  # 4 pieces, the last of 1 byte: WireFuzzTest's geometry 1
    multi = os.path.join(work, "multi", "album")
    os.makedirs(os.path.join(multi, "disc 1"))
    content(os.path.join(multi, "disc 1", "01 intro.flac"), 20000, 2)
    content(os.path.join(multi, "disc 1", "02 song.flac"), 100, 3)
    content(os.path.join(multi, "cover.jpg"), PIECE, 4)
    content(os.path.join(multi, "empty.txt"), 0, 5)

    out = {}
    tr = ["http://127.0.0.1:6969/announce", "udp://127.0.0.1:6969/announce"]
    subprocess.run(["mktorrent", "-l", "15", "-a", tr[0], "-c", "made by mktorrent", "-o",
                    os.path.join(work, "mk-single.torrent"), single], check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["mktorrent", "-l", "15", "-a", tr[0] + "," + tr[1], "-p", "-o",
                    os.path.join(work, "mk-multi.torrent"), multi], check=True, stdout=subprocess.DEVNULL)
    for name in ("mk-single", "mk-multi"):
        with open(os.path.join(work, name + ".torrent"), "rb") as f:
            out[name] = f.read()
    out["lt-v1-single"] = lt_torrent(single, lt.create_torrent.v1_only, tr[:1])
    out["lt-v1-multi"] = lt_torrent(multi, lt.create_torrent.v1_only, tr, web_seed="http://127.0.0.1:8080/")
    out["lt-v2-single"] = lt_torrent(single, lt.create_torrent.v2_only, tr[:1])
    out["lt-v2-multi"] = lt_torrent(multi, lt.create_torrent.v2_only, tr, comment="v2 only")
    out["lt-hybrid-single"] = lt_torrent(single, 0, tr)
    out["lt-hybrid-multi"] = lt_torrent(multi, 0, tr, private=True, comment="hybrid, pad files")
    for name, data in out.items():
        save("torrent", name, data)
    return single, out


def magnets(tor):
    for name in ("lt-v1-multi", "lt-v2-single", "lt-hybrid-multi"):
        ti = lt.torrent_info(lt.bdecode(tor[name]))
        save("magnet", name, lt.make_magnet_uri(ti).encode())
    v1 = hashlib.sha1(b"fuzz").hexdigest()
    save("magnet", "bep9-peers", ("magnet:?xt=urn:btih:%s&dn=a%%20b&tr=udp%%3A%%2F%%2F127.0.0.1%%3A6969"
                                  "&x.pe=127.0.0.1:6881&x.pe=[::1]:6881" % v1).encode())
    save("magnet", "bep53-select", ("magnet:?xt=urn:btih:%s&so=0,2,4,6-8&ws=http://127.0.0.1/x" % v1).encode())
    b32 = "MFRGGZDFMZTWQ2LKNNWG23TPOBYXE43U"  # base32 btih
    save("magnet", "btih-base32", ("magnet:?xt=urn:btih:%s&dn=base32" % b32).encode())


def lt_seeder(torrent_path, save_path):
    p = subprocess.Popen(["/usr/bin/python3", LT_SEED, torrent_path, save_path, "--timeout", "60"],
                         stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    port = int(p.stdout.readline())
    return p, port


def handshake(info_hash, fast, ext):
    reserved = bytearray(8)
    if ext:
        reserved[5] |= 0x10
    if fast:
        reserved[7] |= 0x04
    return bytes([19]) + b"BitTorrent protocol" + bytes(reserved) + info_hash + PEER_ID


def frame(msg_id, payload=b""):
    return struct.pack(">IB", 1 + len(payload), msg_id) + payload


def receive(sock, quiet=1.0, limit=2 << 20):
    data = b""
    sock.settimeout(quiet)
    while len(data) < limit:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        if not chunk:
            break
        data += chunk
    return data


def wire(work, single, tor):
    with open(os.path.join(work, "lt-v1-single.torrent"), "wb") as f:
        f.write(tor["lt-v1-single"])
    info_hash = bytes.fromhex(str(lt.torrent_info(lt.bdecode(tor["lt-v1-single"])).info_hash()))
    seeder, port = lt_seeder(os.path.join(work, "lt-v1-single.torrent"), os.path.dirname(single))
    try:
        for fast, ext in ((True, True), (False, False)):
            with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
                s.sendall(handshake(info_hash, fast, ext))
                if ext:
                    s.sendall(frame(20, b"\x00" + lt.bencode({"m": {"ut_metadata": 3}, "v": "fuzz seeds"})))
                s.sendall(frame(15) if fast else frame(5, b"\x00"))  # have none / empty bitfield
                s.sendall(frame(2))  # interested
                got = receive(s)
                for index, begin, length in ((0, 0, PIECE), (1, 1000, 100), (3, 0, 1)):
                    s.sendall(frame(6, struct.pack(">III", index, begin, length)))
                got += receive(s)
            setup = (1 if fast else 0) | (2 if ext else 0) | (1 << 2)  # geometry 1: 4 pieces, last of 1 byte
            kind = "fast-ext" if fast else "plain"
            for chunking in (0, 1, 5):
                save("wire", "libtorrent-%s-chunks%d" % (kind, chunking), bytes([setup | chunking << 5]) + got)
            # the extension handshake libtorrent sent, for the bencode target
            at = 68
            while at + 5 <= len(got):
                (length,) = struct.unpack(">I", got[at:at + 4])
                if length >= 2 and got[at + 4] == 20 and got[at + 5] == 0:
                    save("bencode", "libtorrent-extension-handshake", got[at + 6:at + 4 + length])
                at += 4 + length
    finally:
        seeder.stdin.close()
        seeder.wait(10)


def free_port(kind):
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def trackers(work, tor):
    hashes = [bytes.fromhex(str(lt.torrent_info(lt.bdecode(tor[n])).info_hash()))
              for n in ("lt-v1-single", "lt-v1-multi")]
    with open(os.path.join(work, "whitelist"), "w") as f:
        f.write("".join(h.hex() + "\n" for h in hashes))
    os.chmod(work, 0o755)  # opentracker reads its whitelist after dropping privileges
    os.chmod(os.path.join(work, "whitelist"), 0o644)
    http, udp = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    ot = subprocess.Popen(["opentracker", "-i", "127.0.0.1", "-p", str(http), "-P", str(udp), "-d", work, "-w",
                           "whitelist"], cwd=work, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = "http://127.0.0.1:%d" % http
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", http), timeout=1).close()
                break
            except OSError:
                time.sleep(0.05)

        def get(path, **q):
            url = base + path + "?" + "&".join("%s=%s" % (k, urllib.parse.quote(v, safe="") if isinstance(v, str)
                                                          else urllib.parse.quote_from_bytes(v)) for k, v in q.items())
            with urllib.request.urlopen(url, timeout=5) as r:
                return r.read()

        def announce(h, peer, port, **extra):
            return get("/announce", info_hash=h, peer_id=peer, port=str(port), uploaded="0", downloaded="0",
                       left="0", compact="1", **extra)

        announce(hashes[0], b"-SD0010-aaaaaaaaaaaa", 6881, event="started")
        announce(hashes[0], b"-SD0010-bbbbbbbbbbbb", 6882, event="started")
        save("http", "opentracker-announce", b"\x00" + announce(hashes[0], b"-SD0010-cccccccccccc", 6883))
        save("http", "opentracker-announce-nopeers", b"\x00" + announce(hashes[1], PEER_ID, 6884))
        save("http", "opentracker-scrape", b"\x01" + get("/scrape", info_hash=hashes[0]))
        save("bencode", "opentracker-scrape", get("/scrape", info_hash=hashes[0]))
        refused = announce(hashlib.sha1(b"not whitelisted").digest(), PEER_ID, 6885)
        save("http", "opentracker-refused", b"\x00" + refused)
        save("http", "opentracker-refused-retry", b"\x08" + refused)
        save("bencode", "opentracker-announce", announce(hashes[0], PEER_ID, 6886))

        u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        u.settimeout(5)

        def udp_request(packet):
            u.sendto(packet, ("127.0.0.1", udp))
            return u.recv(8192)

        conn = udp_request(struct.pack(">QII", 0x41727101980, 0, 1))[8:16]

        def udp_announce(h, txn, port):
            return udp_request(conn + struct.pack(">II", 1, txn) + h + PEER_ID
                               + struct.pack(">QQQIIIiH", 0, 0, 0, 2, 0, 7, 50, port))

        save("udp", "opentracker-announce", b"\x00" + udp_announce(hashes[0], 2, 6887))
        save("udp", "opentracker-scrape", b"\x02" + udp_request(conn + struct.pack(">II", 2, 3) + hashes[0]))
        save("udp", "opentracker-scrape-two", b"\x0a" + udp_request(conn + struct.pack(">II", 2, 4) + hashes[0]
                                                                    + hashes[1]))
        save("udp", "opentracker-refused", b"\x00" + udp_announce(hashlib.sha1(b"no").digest(), 5, 6888))
        u.close()
    finally:
        ot.terminate()
        ot.wait(10)


def tracker_requests(work, single, tor):
    """The announce and scrape requests libtorrent sends to an HTTP tracker (a socket here that answers them)."""
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(4)
    srv.settimeout(20)
    url = "http://127.0.0.1:%d/announce" % srv.getsockname()[1]
    ses = lt.session({"listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False,
                      "enable_upnp": False, "enable_natpmp": False})
    atp = lt.add_torrent_params()
    atp.ti = lt.torrent_info(lt.bdecode(tor["lt-v1-single"]))
    atp.save_path = os.path.dirname(single)
    atp.trackers = [url]
    h = ses.add_torrent(atp)
    conn, _ = srv.accept()
    conn.settimeout(5)
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = conn.recv(4096)
        if not chunk:
            break
        head += chunk
    body = b"d8:intervali1800e5:peers0:e"
    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
    conn.close()
    # libtorrent scrapes only when asked and not right after an announce: its announce, turned into a scrape
    line, rest = head.split(b"\r\n", 1)
    info_hash = [p for p in line.split(b" ")[1].split(b"?", 1)[1].split(b"&") if p.startswith(b"info_hash=")][0]
    scrape = b"GET /scrape?" + info_hash + b" HTTP/1.1\r\n" + rest
    for name, data in (("libtorrent-announce", head), ("libtorrent-scrape", scrape)):
        for chunking in (0, 1):
            save("tracker-request", "%s-chunks%d" % (name, chunking), bytes([chunking]) + data)
    srv.close()

    # UDP: libtorrent's connect and announce to a socket here that hands out a connection id
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.bind(("127.0.0.1", 0))
    u.settimeout(20)
    h.replace_trackers([lt.announce_entry("udp://127.0.0.1:%d/announce" % u.getsockname()[1])])
    h.force_reannounce()
    connect, peer = u.recvfrom(2048)
    save("udp-tracker-request", "libtorrent-connect", connect)
    u.sendto(struct.pack(">II", 0, struct.unpack(">I", connect[12:16])[0]) + b"CONNID42", peer)
    announce, peer = u.recvfrom(2048)
    save("udp-tracker-request", "libtorrent-announce", announce)
    ih = announce[16:36]
    save("udp-tracker-request", "scrape-two", announce[:8] + struct.pack(">II", 2, 77) + ih + hashlib.sha1(b"x").digest())
    save("udp-tracker-request", "bad-action", announce[:8] + struct.pack(">II", 9, 78))
    u.close()
    save("tracker-request", "curl-absolute-form", b"\x05GET http://127.0.0.1:6969/scrape HTTP/1.0\n\n")
    save("tracker-request", "post", b"\x00POST /announce HTTP/1.1\r\nContent-Length: 0\r\n\r\n")


def control():
    tok = '"token":"t0k3n"'
    lines = {
        "status": '{%s,"op":"status"}' % tok,
        "strategies": '{%s,"op":"strategies"}' % tok,
        "plugins": '{%s,"op":"plugins"}' % tok,
        "switch": '{%s,"op":"switch","torrent":"aabb","kind":"picker","id":"sequential"}' % tok,
        "pause-resume": '{%s,"op":"pause","torrent":"alpha"}\n{%s,"op":"resume","torrent":"alpha"}' % (tok, tok),
        "install": '{%s,"op":"install","path":"/nonexistent/x.strategies.jar","persist":true}' % tok,
        "uninstall": '{%s,"op":"uninstall","bundle":"org.stampede.picker.sequential"}' % tok,
        "wrong-token": '{"token":"nope","op":"status"}',
        "not-json": '{"token":"t0k3n","op":',
    }
    for name, line in lines.items():
        save("control", name, (line + "\n").encode())


def bencode_extras():
    save("bencode", "bep5-ping", b"d1:ad2:id20:abcdefghij0123456789e1:q4:ping1:t2:aa1:y1:qe")
    save("bencode", "bep5-get-peers-reply", b"d1:rd2:id20:abcdefghij01234567895:token8:aoeusnth6:valuesl6:axje.u"
         b"6:idhtnmee1:t2:aa1:y1:re")
    save("bencode", "lenient", b"d1:bi007e1:ai-0e1:cl003:abcee")


def main():
    with tempfile.TemporaryDirectory(prefix="stampede-seeds-") as work:
        single, tor = torrents(work)
        for name in ("mk-single", "lt-hybrid-multi"):
            save("bencode", "torrent-" + name, tor[name])
        magnets(tor)
        wire(work, single, tor)
        trackers(work, tor)
        tracker_requests(work, single, tor)
    control()
    bencode_extras()


if __name__ == "__main__":
    sys.exit(main())
