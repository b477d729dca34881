# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A counting proxy for the Docker Engine API.

It listens on a unix socket of its own and forwards every byte, unchanged, to the
daemon (a unix socket, or plain TCP). On the way to the daemon it reads the HTTP
request heads (request line, Content-Length / chunked body) to count requests
and remember "METHOD /path" for each. Responses are not parsed. A connection
that upgrades (attach, exec start) is passed through without further counting.

Used by bench.py: point docker_host at ``unix://<proxy socket>``, run one task,
read ``take()``.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import typing as t

_HEX_ID = re.compile(r"/[0-9a-f]{64}(?=/|$)")
_VERSION_PREFIX = re.compile(r"^/v[0-9]+\.[0-9]+(?=/)")
_BENCH_NAME = re.compile(r"/bench-[A-Za-z0-9_.-]+")


def normalise_path(target: str) -> str:
    """'/v1.41/networks/bench-net-007?verbose=true' -> '/networks/{name}?verbose'."""
    path, _sep, query = target.partition("?")
    path = _VERSION_PREFIX.sub("", path)
    path = _HEX_ID.sub("/{id}", path)
    path = _BENCH_NAME.sub("/{name}", path)
    if query:
        keys = sorted({part.split("=", 1)[0] for part in query.split("&") if part})
        path += "?" + "&".join(keys)
    return path


class _RequestParser:
    """Incremental parser of a client->daemon byte stream; calls on_request(method, target)."""

    def __init__(self, on_request: t.Callable[[str, str], None]) -> None:
        self._on_request = on_request
        self._buffer = b""
        self._state = "head"  # head | body | chunk-size | chunk-data | chunk-trailer | raw
        self._remaining = 0

    def feed(self, data: bytes) -> None:
        if self._state == "raw":
            return
        self._buffer += data
        while self._step():
            pass

    def _consume(self, next_state: str) -> bool:
        """Drop up to _remaining bytes of a body or chunk; move to next_state once all have passed."""
        if not self._buffer:
            return False
        taken = min(self._remaining, len(self._buffer))
        self._buffer = self._buffer[taken:]
        self._remaining -= taken
        if self._remaining == 0:
            self._state = next_state
            return True
        return False

    def _step(self) -> bool:
        """Consume what the buffer allows; True when another step may make progress."""
        if self._state == "head":
            end = self._buffer.find(b"\r\n\r\n")
            if end < 0:
                return False
            head = self._buffer[:end].decode("latin-1")
            self._buffer = self._buffer[end + 4:]
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) < 2:
                return bool(self._buffer)
            headers = {}
            for line in lines[1:]:
                key, _sep, value = line.partition(":")
                headers[key.strip().lower()] = value.strip()
            self._on_request(parts[0], parts[1])
            if "upgrade" in headers.get("connection", "").lower():
                self._state = "raw"
                self._buffer = b""
                return False
            if "chunked" in headers.get("transfer-encoding", "").lower():
                self._state = "chunk-size"
            elif int(headers.get("content-length") or 0) > 0:
                self._state = "body"
                self._remaining = int(headers["content-length"])
            return True
        if self._state == "body":
            return self._consume("head")
        if self._state == "chunk-size":
            end = self._buffer.find(b"\r\n")
            if end < 0:
                return False
            size = int(self._buffer[:end].split(b";")[0].strip() or b"0", 16)
            self._buffer = self._buffer[end + 2:]
            if size == 0:
                self._state = "chunk-trailer"
            else:
                self._state = "chunk-data"
                self._remaining = size + 2  # the data and its CRLF
            return True
        if self._state == "chunk-data":
            return self._consume("chunk-size")
        if self._state == "chunk-trailer":
            end = self._buffer.find(b"\r\n")
            if end < 0:
                return False
            trailer = self._buffer[:end]
            self._buffer = self._buffer[end + 2:]
            if not trailer:
                self._state = "head"
            return True
        return False


class CountingProxy:
    """Forwards connections from listen_path to the daemon at upstream (unix:// or tcp://)."""

    def __init__(self, listen_path: str, upstream: str) -> None:
        if upstream.startswith("unix://"):
            self._family, self._address = socket.AF_UNIX, upstream[len("unix://"):]
        elif upstream.startswith(("tcp://", "http://")):
            host, _sep, port = upstream.split("://", 1)[1].rstrip("/").rpartition(":")
            self._family, self._address = socket.AF_INET, (host, int(port))  # type: ignore[assignment]
        else:
            raise ValueError(f"the counting proxy can forward to unix:// or plain tcp:// only, not {upstream!r}")
        self.listen_path = listen_path
        self.url = "unix://" + listen_path
        self._lock = threading.Lock()
        self._requests: t.List[str] = []
        self._server: t.Optional[socket.socket] = None
        self._stopping = False

    def start(self) -> "CountingProxy":
        if os.path.exists(self.listen_path):
            os.unlink(self.listen_path)
        server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        server.bind(self.listen_path)
        server.listen(64)
        self._server = server
        threading.Thread(target=self._accept_loop, name="proxy-accept", daemon=True).start()
        return self

    def stop(self) -> None:
        self._stopping = True
        if self._server is not None:
            self._server.close()
        if os.path.exists(self.listen_path):
            os.unlink(self.listen_path)

    def take(self) -> t.List[str]:
        """The requests seen since the last take(), as 'METHOD /normalised/path', and reset."""
        with self._lock:
            seen, self._requests = self._requests, []
        return seen

    def _record(self, method: str, target: str) -> None:
        with self._lock:
            self._requests.append(f"{method} {normalise_path(target)}")

    def _accept_loop(self) -> None:
        assert self._server is not None
        while not self._stopping:
            try:
                client, _address = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), name="proxy-conn", daemon=True).start()

    def _serve(self, client: socket.socket) -> None:
        upstream = socket.socket(self._family, socket.SOCK_STREAM)
        try:
            upstream.connect(self._address)
        except OSError:
            client.close()
            upstream.close()
            return
        parser = _RequestParser(self._record)
        back = threading.Thread(target=self._pump, args=(upstream, client, None), name="proxy-back", daemon=True)
        back.start()
        self._pump(client, upstream, parser)
        back.join(timeout=10)
        client.close()
        upstream.close()

    @staticmethod
    def _pump(source: socket.socket, sink: socket.socket, parser: t.Optional[_RequestParser]) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                if parser is not None:
                    parser.feed(data)
                sink.sendall(data)
        except OSError:
            pass
        # Pass the end of this direction on; the other direction ends when its peer sees it.
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass
