# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Unix socket proxy to the Docker daemon that makes races happen on purpose.

Usage:
  proxy.py barrier LISTEN_PATH DAEMON_PATH N LIFETIME_SECONDS
      The first connection of each client process (told apart by SO_PEERCRED) waits until N such
      first connections are waiting, then all N go on together; this repeats for every group of N.
      N module runs started by separate processes then talk to the daemon at the same moment.
  proxy.py hold LISTEN_PATH DAEMON_PATH MATCH HELD_FILE RELEASE_FILE LIFETIME_SECONDS
      Forwards everything, except that the first POST .../networks/<id>/connect whose body contains
      MATCH (a container ID) is held: the proxy writes HELD_FILE and forwards the request only once
      RELEASE_FILE exists, so a test can change the daemon between a module's inspect and its connect.

The proxy exits after LIFETIME_SECONDS.
"""

import os
import re
import socket
import struct
import sys
import threading
import time
import typing as t

CONNECT = re.compile(rb"^POST /(v[0-9.]+/)?networks/[^/ ]+/connect ")
STATE = {"held": False}
LOCK = threading.Lock()


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


def requests_from(client: socket.socket) -> t.Iterator[t.Tuple[bytes, bytes]]:
    """Yield each HTTP request the client sends as (head, body) bytes; raw data after a request that
    cannot be framed (chunked or an upgrade) is yielded as (data, b"") pieces."""
    buffer = b""
    framed = True
    while True:
        if framed:
            end = buffer.find(b"\r\n\r\n")
            if end >= 0:
                head, rest = buffer[:end + 4], buffer[end + 4:]
                match = re.search(rb"\r\ncontent-length:\s*(\d+)", head, re.IGNORECASE)
                if match is None and (b"chunked" in head.lower() or b"upgrade:" in head.lower()):
                    framed = False
                    yield head, b""
                    buffer = rest
                    continue
                length = int(match.group(1)) if match else 0
                if len(rest) >= length:
                    yield head, rest[:length]
                    buffer = rest[length:]
                    continue
        elif buffer:
            yield buffer, b""
            buffer = b""
        data = client.recv(65536)
        if not data:
            return
        buffer += data


def forward_requests(client: socket.socket, upstream: socket.socket, match: bytes, held_file: str, release_file: str) -> None:
    try:
        for head, body in requests_from(client):
            if CONNECT.match(head) and match in body:
                with LOCK:
                    hold = not STATE["held"]
                    STATE["held"] = True
                if hold:
                    with open(held_file, "w", encoding="utf-8") as marker:
                        marker.write(head.split(b"\r\n", 1)[0].decode("latin-1") + "\n")
                    deadline = time.monotonic() + 120
                    while not os.path.exists(release_file) and time.monotonic() < deadline:
                        time.sleep(0.05)
            upstream.sendall(head + body)
    except OSError:
        pass
    finally:
        for sock in (client, upstream):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Barrier:
    """Releases waiting first connections in groups of N (a cyclic barrier with a timeout)."""

    def __init__(self, count: int) -> None:
        self.count = count
        self.seen_pids: t.Set[int] = set()
        self.condition = threading.Condition()
        self.waiting = 0
        self.generation = 0

    def first_of(self, pid: int) -> bool:
        with self.condition:
            if pid in self.seen_pids:
                return False
            self.seen_pids.add(pid)
            return True

    def wait(self, timeout: float) -> None:
        with self.condition:
            generation = self.generation
            self.waiting += 1
            if self.waiting >= self.count:
                self.waiting = 0
                self.generation += 1
                self.condition.notify_all()
                return
            self.condition.wait_for(lambda: self.generation != generation, timeout=timeout)
            if self.generation == generation:
                self.waiting -= 1  # gave up: the partner never came


def peer_pid(client: socket.socket) -> int:
    creds = client.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
    return int(struct.unpack("3i", creds)[0])


def serve(client: socket.socket, daemon_path: str, mode: str, args: t.List[str], barrier: t.Optional[Barrier]) -> None:
    if barrier is not None and barrier.first_of(peer_pid(client)):
        barrier.wait(timeout=20)
    upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        upstream.connect(daemon_path)
    except OSError:
        client.close()
        return
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    if mode == "hold":
        forward_requests(client, upstream, args[0].encode(), args[1], args[2])
    else:
        pipe(client, upstream)


def main() -> None:
    mode, listen_path, daemon_path = sys.argv[1], sys.argv[2], sys.argv[3]
    args, lifetime = sys.argv[4:-1], float(sys.argv[-1])
    barrier = Barrier(int(args[0])) if mode == "barrier" else None
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    os.chmod(listen_path, 0o600)
    server.listen(64)
    threading.Timer(lifetime, lambda: os._exit(0)).start()
    while True:
        client = server.accept()[0]
        threading.Thread(target=serve, args=(client, daemon_path, mode, args, barrier), daemon=True).start()


if __name__ == "__main__":
    main()
