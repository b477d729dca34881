# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the transport: docker_host parsing, TLS settings, and HTTP over a real unix socket.

The HTTP tests talk to a small server in a thread of the test process, on a unix socket in a
temporary directory: the transport's own code runs, with nothing faked.
"""

from __future__ import annotations

import os
import socket
import ssl
import tempfile
import threading
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils import _transport
from ansible_collections.dockernet.core.plugins.module_utils._client import request_target
from ansible_collections.dockernet.core.plugins.module_utils._options import OptionError, resolve_connection
from ansible_collections.dockernet.core.plugins.module_utils._transport import (
    Address,
    ClosedConnection,
    HttpTransport,
    is_loopback_host,
    open_transport,
    parse_docker_host,
    plain_tcp_warning,
    sdk_import_error,
    tls_context,
)


@pytest.mark.parametrize(
    "host, tls, expected",
    [
        pytest.param("unix:///var/run/docker.sock", False, Address("unix", path="/var/run/docker.sock"), id="unix"),
        pytest.param("unix:///var/run/docker.sock", True, Address("unix", path="/var/run/docker.sock"), id="unix-ignores-tls"),
        pytest.param("tcp://192.0.2.10:2376", True, Address("https", "192.0.2.10", 2376), id="tcp-tls"),
        pytest.param("tcp://192.0.2.10:2375", False, Address("http", "192.0.2.10", 2375), id="tcp-plain"),
        pytest.param("tcp://daemon.example", False, Address("http", "daemon.example", 2375), id="default-plain-port"),
        pytest.param("tcp://daemon.example", True, Address("https", "daemon.example", 2376), id="default-tls-port"),
        pytest.param("tcp://daemon.example:2376/", True, Address("https", "daemon.example", 2376), id="trailing-slash"),
        pytest.param("tcp://[2001:db8::1]:2376", True, Address("https", "2001:db8::1", 2376), id="ipv6"),
        pytest.param("http://192.0.2.10:2375", False, Address("http", "192.0.2.10", 2375), id="http"),
        pytest.param("https://192.0.2.10:2376", True, Address("https", "192.0.2.10", 2376), id="https"),
        pytest.param("TCP://192.0.2.10:2375", False, Address("http", "192.0.2.10", 2375), id="scheme-case"),
        pytest.param("ssh://admin@192.0.2.10", False, Address("ssh", "admin@192.0.2.10"), id="ssh"),
    ],
)
def test_parse_docker_host(host: str, tls: bool, expected: Address) -> None:
    assert parse_docker_host(host, tls) == expected


@pytest.mark.parametrize(
    "host, tls, fragments",
    [
        pytest.param("unix://", False, ["names no socket", "unix:///path"], id="unix-no-path"),
        pytest.param("npipe:////./pipe/docker_engine", False, ["named pipes are not supported"], id="npipe"),
        pytest.param("fd://", False, ["scheme 'fd'", "tcp://HOST:PORT"], id="unknown-scheme"),
        pytest.param("https://192.0.2.10:2376", False, ["asks for HTTPS", "validate_certs: true"], id="https-without-tls"),
        pytest.param("tcp://192.0.2.10:port", False, ["no valid port"], id="bad-port"),
        pytest.param("tcp://192.0.2.10:99999", False, ["no valid port"], id="port-out-of-range"),
        pytest.param("tcp://:2375", False, ["names no host"], id="no-host"),
        pytest.param("tcp://192.0.2.10:2375/v1.41", False, ["has a path"], id="path"),
    ],
)
def test_parse_docker_host_refuses(host: str, tls: bool, fragments: t.List[str]) -> None:
    with pytest.raises(OptionError) as caught:
        parse_docker_host(host, tls)
    for fragment in [f"docker_host={host!r}", *fragments]:
        assert fragment in str(caught.value)


@pytest.mark.parametrize(
    "host, loopback",
    [
        pytest.param("127.0.0.1", True, id="ipv4-loopback"),
        pytest.param("127.8.9.10", True, id="anywhere-in-127/8"),
        pytest.param("::1", True, id="ipv6-loopback"),
        pytest.param("[::1]", True, id="ipv6-loopback-bracketed"),
        pytest.param("::ffff:127.0.0.1", True, id="ipv4-mapped-loopback"),
        pytest.param("localhost", True, id="localhost"),
        pytest.param("LocalHost.", True, id="localhost-any-case-fqdn"),
        pytest.param("128.0.0.1", False, id="just-outside-127/8"),
        pytest.param("0.0.0.0", False, id="unspecified"),
        pytest.param("::", False, id="ipv6-unspecified"),
        pytest.param("198.18.0.2", False, id="private-range"),
        pytest.param("::ffff:192.0.2.1", False, id="ipv4-mapped-other"),
        pytest.param("localhost.example", False, id="name-starting-with-localhost"),
        pytest.param("docker.example", False, id="other-name"),
    ],
)
def test_is_loopback_host(host: str, loopback: bool) -> None:
    assert is_loopback_host(host) is loopback


@pytest.mark.parametrize(
    "params, warns",
    [
        pytest.param({"docker_host": "tcp://192.0.2.10:2375"}, True, id="tcp-plain-remote"),
        pytest.param({"docker_host": "tcp://192.0.2.10"}, True, id="tcp-plain-default-port"),
        pytest.param({"docker_host": "http://192.0.2.10:2375"}, True, id="http-remote"),
        pytest.param({"docker_host": "tcp://docker.example:2375"}, True, id="tcp-plain-name"),
        pytest.param({"docker_host": "tcp://[2001:db8::1]:2375"}, True, id="tcp-plain-ipv6"),
        pytest.param({"docker_host": "tcp://0.0.0.0:2375"}, True, id="tcp-plain-unspecified"),
        pytest.param({"docker_host": "tcp://127.0.0.1:2375"}, False, id="tcp-plain-loopback"),
        pytest.param({"docker_host": "tcp://127.0.0.3:2375"}, False, id="tcp-plain-loopback-range"),
        pytest.param({"docker_host": "tcp://[::1]:2375"}, False, id="tcp-plain-ipv6-loopback"),
        pytest.param({"docker_host": "tcp://localhost:2375"}, False, id="tcp-plain-localhost"),
        pytest.param({"docker_host": "tcp://192.0.2.10:2376", "validate_certs": True}, False, id="tcp-verified-tls"),
        pytest.param({"docker_host": "tcp://192.0.2.10:2376", "tls": True}, False, id="tcp-tls"),
        pytest.param({"docker_host": "https://192.0.2.10:2376", "tls": True}, False, id="https"),
        pytest.param({"docker_host": "unix:///var/run/docker.sock"}, False, id="unix"),
        pytest.param({"docker_host": "ssh://root@192.0.2.10"}, False, id="ssh"),
        pytest.param({"docker_host": "tcp://192.0.2.10:port"}, False, id="unparsable-left-to-connect"),
    ],
)
def test_plain_tcp_warning(params: t.Dict[str, t.Any], warns: bool) -> None:
    warning = plain_tcp_warning(resolve_connection(params, {}))
    assert (warning is not None) is warns
    if warning is not None:
        assert params["docker_host"] in warning
        assert "root" in warning
        assert "validate_certs: true" in warning
        assert "\n" not in warning


def test_plain_tcp_warning_reads_the_environment() -> None:
    assert plain_tcp_warning(resolve_connection({}, {"DOCKER_HOST": "tcp://192.0.2.10:2375"})) is not None
    assert plain_tcp_warning(resolve_connection({}, {"DOCKER_HOST": "tcp://192.0.2.10:2376", "DOCKER_TLS_VERIFY": "1"})) is None


@pytest.mark.parametrize(
    "version, path, params, expected",
    [
        pytest.param("1.41", "/networks/web", None, "/v1.41/networks/web", id="versioned"),
        pytest.param(None, "/version", None, "/version", id="unversioned"),
        pytest.param("1.41", "/networks", {"filters": '{"name": ["a b"]}'}, "/v1.41/networks?filters=%7B%22name%22%3A+%5B%22a+b%22%5D%7D",
                     id="query-encoded"),
        pytest.param("1.41", "/containers/json", {"all": "true"}, "/v1.41/containers/json?all=true", id="query"),
        pytest.param("1.41", "/networks/a b#c", None, "/v1.41/networks/a%20b%23c", id="path-quoted"),
        pytest.param("1.41", "/networks/web", {}, "/v1.41/networks/web", id="empty-params"),
    ],
)
def test_request_target(version: t.Optional[str], path: str, params: t.Optional[t.Dict[str, str]], expected: str) -> None:
    assert request_target(version, path, params) == expected


def _settings(**params: t.Any) -> t.Any:
    return resolve_connection({"docker_host": "tcp://192.0.2.10:2376", **params}, {})


def test_tls_context_verifies_with_validate_certs() -> None:
    context = tls_context(_settings(validate_certs=True))
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.minimum_version >= ssl.TLSVersion.TLSv1_2


def test_tls_context_tls_only_encrypts() -> None:
    context = tls_context(_settings(tls=True))
    assert context.verify_mode == ssl.CERT_NONE
    assert not context.check_hostname


def test_tls_context_validate_certs_wins_over_tls() -> None:
    assert tls_context(_settings(tls=True, validate_certs=True)).verify_mode == ssl.CERT_REQUIRED


@pytest.mark.parametrize(
    "params, fragments",
    [
        pytest.param({"validate_certs": True, "ca_path": "/nonexistent/ca.pem"}, ["ca_path='/nonexistent/ca.pem'", "no such file"], id="missing-ca"),
        pytest.param({"tls": True, "client_cert": "/nonexistent/cert.pem"}, ["client_cert and client_key must be given together"], id="cert-alone"),
        pytest.param({"tls": True, "client_key": "/nonexistent/key.pem"}, ["client_cert and client_key must be given together"], id="key-alone"),
        pytest.param({"tls": True, "client_cert": "/nonexistent/cert.pem", "client_key": "/nonexistent/key.pem"},
                     ["client_cert='/nonexistent/cert.pem'", "no such file"], id="missing-cert"),
    ],
)
def test_tls_context_refuses(params: t.Dict[str, t.Any], fragments: t.List[str]) -> None:
    with pytest.raises(OptionError) as caught:
        tls_context(_settings(**params))
    for fragment in fragments:
        assert fragment in str(caught.value)


def test_tls_context_refuses_a_file_that_is_no_certificate(tmp_path: t.Any) -> None:
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate\n")
    with pytest.raises(OptionError) as caught:
        tls_context(_settings(validate_certs=True, ca_path=str(not_pem)))
    assert "holds no usable CA certificate" in str(caught.value)


@pytest.mark.parametrize(
    "host, needs_sdk",
    [pytest.param("unix:///var/run/docker.sock", False, id="unix"), pytest.param("tcp://192.0.2.10:2376", False, id="tcp")],
)
def test_sdk_needed_only_for_ssh(host: str, needs_sdk: bool) -> None:
    assert (sdk_import_error(resolve_connection({"docker_host": host}, {})) is not None) is needs_sdk


# ---- HTTP over a real unix socket -------------------------------------------------------

Handler = t.Callable[[socket.socket, bytes], bool]  # answers one request; False closes the connection


class UnixServer:
    """Accepts connections one after another and answers each request with the handler."""

    def __init__(self, handler: Handler) -> None:
        self.directory = tempfile.mkdtemp(prefix="dntransport")
        self.path = os.path.join(self.directory, "docker.sock")
        self.handler = handler
        self.requests: t.List[bytes] = []
        self.connections = 0
        self.closed = threading.Event()  # set each time the server has closed a connection
        self._listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._listener.bind(self.path)
        self._listener.listen(4)
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _peer = self._listener.accept()
            except OSError:
                return
            self.connections += 1
            with conn:
                buffer = b""
                while True:
                    head, sep, rest = buffer.partition(b"\r\n\r\n")
                    if not sep:
                        chunk = conn.recv(65536)
                        if not chunk:
                            break
                        buffer += chunk
                        continue
                    length = next((int(line.split(b":", 1)[1]) for line in head.split(b"\r\n")
                                   if line.lower().startswith(b"content-length:")), 0)
                    while len(rest) < length:
                        rest += conn.recv(65536)
                    self.requests.append(head.split(b"\r\n", 1)[0] + b" " + rest[:length])
                    buffer = rest[length:]
                    if not self.handler(conn, head):
                        break
            self.closed.set()

    def transport(self) -> HttpTransport:
        settings = resolve_connection({"docker_host": f"unix://{self.path}", "timeout": 5}, {})
        return HttpTransport(settings, parse_docker_host(settings.docker_host, False))

    def close(self) -> None:
        self._listener.close()
        os.unlink(self.path)
        os.rmdir(self.directory)


@pytest.fixture
def serve() -> t.Iterator[t.Callable[[Handler], UnixServer]]:
    servers: t.List[UnixServer] = []

    def start(handler: Handler) -> UnixServer:
        servers.append(UnixServer(handler))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def _json_reply(body: bytes = b'{"ok": true}') -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def test_one_connection_is_kept_alive(serve: t.Callable[[Handler], UnixServer]) -> None:
    server = serve(lambda conn, head: conn.sendall(_json_reply()) is None)
    transport = server.transport()
    replies = [transport.request("GET", f"/v1.41/networks/n{i}") for i in range(3)]
    reply = transport.request("POST", "/v1.41/networks/create", b'{"Name": "n"}', {"Content-Type": "application/json"})
    transport.close()
    assert [r.status for r in replies] == [200, 200, 200]
    assert replies[0].body == b'{"ok": true}'
    assert reply.status == 200
    assert server.connections == 1
    assert server.requests[-1] == b'POST /v1.41/networks/create HTTP/1.1 {"Name": "n"}'


def test_a_connection_closed_while_idle_is_replaced(serve: t.Callable[[Handler], UnixServer]) -> None:
    # the server closes after every answer, as a daemon restart or an idle timeout would
    server = serve(lambda conn, head: conn.sendall(_json_reply()) is not None)
    transport = server.transport()
    first = transport.request("GET", "/v1.41/version")
    assert server.closed.wait(5)
    second = transport.request("POST", "/v1.41/networks/n/connect", b"{}")
    transport.close()
    assert (first.status, second.status) == (200, 200)
    assert server.connections == 2
    assert len(server.requests) == 2


def test_a_stream_is_read_until_the_daemon_closes(serve: t.Callable[[Handler], UnixServer]) -> None:
    # POST /exec/ID/start answers with a raw stream that has no length and ends with the connection
    stream = b"\x01\x00\x00\x00\x00\x00\x00\x03ok\n"

    def hijack(conn: socket.socket, head: bytes) -> bool:
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/vnd.docker.raw-stream\r\n\r\n" + stream)
        return False

    server = serve(hijack)
    transport = server.transport()
    reply = transport.request("POST", "/v1.41/exec/abc/start", b'{"Detach": false}')
    again = transport.request("POST", "/v1.41/exec/abc/start", b'{"Detach": false}')
    transport.close()
    assert reply.body == stream
    assert again.body == stream
    assert server.connections == 2


def test_error_status_and_body_are_returned(serve: t.Callable[[Handler], UnixServer]) -> None:
    body = b'{"message": "network n not found"}'
    server = serve(lambda conn, head: conn.sendall(
        b"HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)) is None)
    transport = server.transport()
    reply = transport.request("GET", "/v1.41/networks/n")
    transport.close()
    assert (reply.status, reply.body) == (404, body)


def test_chunked_answers_are_joined(serve: t.Callable[[Handler], UnixServer]) -> None:
    server = serve(lambda conn, head: conn.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n[1,\r\n2\r\n2]\r\n0\r\n\r\n") is None)
    transport = server.transport()
    assert transport.request("GET", "/v1.41/networks").body == b"[1,2]"
    assert transport.request("GET", "/v1.41/networks").body == b"[1,2]"
    transport.close()
    assert server.connections == 1


def test_a_missing_socket_raises_file_not_found() -> None:
    settings = resolve_connection({"docker_host": "unix:///nonexistent/dockernet/docker.sock"}, {})
    transport = HttpTransport(settings, parse_docker_host(settings.docker_host, False))
    with pytest.raises(FileNotFoundError):
        transport.request("GET", "/version")


def test_a_server_that_hangs_up_raises(serve: t.Callable[[Handler], UnixServer]) -> None:
    server = serve(lambda conn, head: False)
    transport = server.transport()
    with pytest.raises(ConnectionError):
        transport.request("POST", "/v1.41/networks/create", b"{}")
    transport.close()
    assert len(server.requests) == 1  # a POST is never sent twice


@pytest.mark.parametrize(
    "answer, fragment",
    [
        pytest.param(b"garbage\r\n\r\n", "no HTTP answer", id="not-http"),
        pytest.param(b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", "ended after 5 of 10 bytes", id="short-body"),
        pytest.param(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunked answer broke off", id="bad-chunk"),
    ],
)
def test_a_broken_answer_raises_closed_connection(serve: t.Callable[[Handler], UnixServer], answer: bytes, fragment: str) -> None:
    server = serve(lambda conn, head: conn.sendall(answer) is not None)
    transport = server.transport()
    with pytest.raises(ClosedConnection, match=fragment):
        transport.request("GET", "/v1.41/version")
    transport.close()


def test_a_chunked_trailer_is_skipped(serve: t.Callable[[Handler], UnixServer]) -> None:
    server = serve(lambda conn, head: conn.sendall(
        b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\nX-Trailer: 1\r\n\r\n") is None)
    transport = server.transport()
    assert [transport.request("GET", "/v1.41/version").body for _i in range(2)] == [b"ok", b"ok"]
    transport.close()
    assert server.connections == 1


def test_a_task_without_tls_imports_neither_ssl_nor_http_client(loaded_by_import: t.Callable[[str], t.Set[str]]) -> None:
    # each task is a fresh process: ssl and http.client (with email) would cost it about 15 ms
    loaded = loaded_by_import("ansible_collections.dockernet.core.plugins.modules.network")
    assert sorted(loaded & {"ssl", "http.client", "email"}) == []


def test_open_transport_speaks_http_itself_and_ssh_through_the_sdk(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_transport, "SdkTransport", lambda settings: ("sdk", settings.docker_host))
    assert isinstance(open_transport(resolve_connection({"docker_host": "unix:///run/docker.sock"}, {})), HttpTransport)
    assert isinstance(open_transport(resolve_connection({"docker_host": "tcp://192.0.2.10:2375"}, {})), HttpTransport)
    assert open_transport(resolve_connection({"docker_host": "ssh://admin@192.0.2.10"}, {})) == ("sdk", "ssh://admin@192.0.2.10")
