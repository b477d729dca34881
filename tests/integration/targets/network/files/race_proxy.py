# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Unix socket proxy to the Docker daemon that holds the first N clients at a barrier.

Usage: race_proxy.py LISTEN_PATH DAEMON_PATH N LIFETIME_SECONDS

Each of the first N connections is forwarded only once all N have connected, so N module
runs talk to the daemon at the same moment (a real race instead of runs one after another).
The proxy exits once those N connections are closed again, or after LIFETIME_SECONDS.
"""

import os
import socket
import sys
import threading


def pipe(source: socket.socket, target: socket.socket) -> None:
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            target.sendall(data)
    except OSError:
        pass
    finally:
        for sock in (source, target):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


HELD_OPEN = []
LOCK = threading.Lock()


def serve(client: socket.socket, daemon_path: str, barrier: threading.Barrier, held: bool) -> None:
    if held:
        try:
            barrier.wait(timeout=30)
        except threading.BrokenBarrierError:
            pass
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    upstream.connect(daemon_path)
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    pipe(client, upstream)
    if held:
        with LOCK:
            HELD_OPEN.pop()
            if not HELD_OPEN:
                os._exit(0)


def main() -> None:
    listen_path, daemon_path, count, lifetime = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    server.listen(64)
    barrier = threading.Barrier(count)
    HELD_OPEN.extend(range(count))
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    accepted = 0
    while True:
        client = server.accept()[0]
        accepted += 1
        threading.Thread(target=serve, args=(client, daemon_path, barrier, accepted <= count), daemon=True).start()


if __name__ == "__main__":
    main()
