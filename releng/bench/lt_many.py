#!/usr/bin/env python3
"""Loads every .torrent in a folder into one libtorrent session as seeds (data beside them), the reference for
ManyTorrentsBenchmark. Prints one line: load seconds (until every torrent is seeding), CPU seconds of this process
over IDLE seconds after that, and peak RSS in MiB.

    python3 lt_many.py <torrent-dir> <data-dir> [IDLE=60]
"""
import os
import resource
import sys
import time

import libtorrent as lt


def main(argv):
    tdir, ddir = argv[1], argv[2]
    idle = float(argv[3]) if len(argv) > 3 else 60.0
    files = sorted(f for f in os.listdir(tdir) if f.endswith(".torrent"))
    s = lt.session({
        "listen_interfaces": "127.0.0.1:0", "enable_dht": False, "enable_lsd": False, "enable_upnp": False,
        "enable_natpmp": False, "enable_outgoing_utp": False, "enable_incoming_utp": False,
        # every torrent active, as Stampede keeps them: no queueing limits
        "active_downloads": -1, "active_seeds": -1, "active_limit": -1, "active_checking": 4,
        "alert_mask": 0,
    })
    t0 = time.monotonic()
    handles = []
    for f in files:
        atp = lt.add_torrent_params()
        atp.ti = lt.torrent_info(os.path.join(tdir, f))
        atp.save_path = ddir
        flags = int(atp.flags)
        for name in ("paused", "auto_managed", "seed_mode"):
            flags &= ~int(getattr(lt.torrent_flags, name, 0))
        atp.flags = flags
        handles.append(s.add_torrent(atp))
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        if all(h.status().is_seeding for h in handles):
            break
        time.sleep(0.2)
    load = time.monotonic() - t0
    seeding = sum(1 for h in handles if h.status().is_seeding)
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    time.sleep(idle)
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    print("libtorrent %d torrents (%d seeding): load %.2f s, idle cpu %.2f s over %.0f s (%.2f %% of a core), "
          "peak rss %.0f MiB" % (len(files), seeding, load, cpu, idle, 100 * cpu / idle, r1.ru_maxrss / 1024))


if __name__ == "__main__":
    main(sys.argv)
