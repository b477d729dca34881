# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Unix socket that is not a (working) Docker daemon, for the fault tests.

Usage: fake_daemon.py LISTEN_PATH MODE LIFETIME_SECONDS [DAEMON_PATH] [OWNER_UID] [SOCKET_MODE]

MODE:
  close    accept each connection and close it at once, unread
  garbage  answer each connection with a line that is not HTTP, then close it
  http404  answer every request like a web server that knows no Docker API (404, text/html)
  hang     accept and never answer (the client's timeout must fire)
  proxy    forward every connection to DAEMON_PATH (a working daemon behind a socket
           with other owner and permissions)

The socket is chowned to OWNER_UID and chmodded to SOCKET_MODE (octal) when given.
The process exits after LIFETIME_SECONDS.
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


def read_request(client: socket.socket) -> None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = client.recv(65536)
        if not chunk:
            return
        data += chunk


HELD = []


def serve(client: socket.socket, mode: str, daemon_path: str) -> None:
    try:
        if mode == "close":
            client.close()
        elif mode == "garbage":
            read_request(client)
            client.sendall(b"SSH-2.0-OpenSSH_9.2 not a docker daemon\r\n")
            client.close()
        elif mode == "http404":
            while True:
                read_request(client)
                body = b"<html><body>404 page not found</body></html>"
                client.sendall(
                    b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\nContent-Length: "
                    + str(len(body)).encode() + b"\r\n\r\n" + body
                )
        elif mode == "hang":
            HELD.append(client)  # keep it open and silent
        elif mode == "proxy":
            upstream = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            upstream.connect(daemon_path)
            threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
            pipe(client, upstream)
    except OSError:
        pass


def main() -> None:
    listen_path, mode, lifetime = sys.argv[1], sys.argv[2], float(sys.argv[3])
    daemon_path = sys.argv[4] if len(sys.argv) > 4 else ""
    if os.path.exists(listen_path):
        os.unlink(listen_path)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(listen_path)
    if len(sys.argv) > 5 and sys.argv[5]:
        os.chown(listen_path, int(sys.argv[5]), -1)
    if len(sys.argv) > 6 and sys.argv[6]:
        os.chmod(listen_path, int(sys.argv[6], 8))
    server.listen(64)

    def stop() -> None:
        try:
            os.unlink(listen_path)
        except OSError:
            pass
        os._exit(0)

    threading.Timer(lifetime, stop).start()
    while True:
        client = server.accept()[0]
        threading.Thread(target=serve, args=(client, mode, daemon_path), daemon=True).start()


if __name__ == "__main__":
    main()
