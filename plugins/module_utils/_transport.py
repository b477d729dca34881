# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""HTTP/1.1 to the Docker daemon, spoken on the socket itself for unix, TCP and TLS; ssh:// through the SDK.

Every task is a fresh process: importing requests and the SDK (about 140 ms) or http.client (which imports
ssl and email) would cost more than a no-change task does. Failures on the way raise OSError.
"""

from __future__ import annotations

import ipaddress
import os
import select
import socket
import typing as t
import urllib.parse
from dataclasses import dataclass

from ansible_collections.dockernet.core.plugins.module_utils._options import ConnectionSettings, OptionError

if t.TYPE_CHECKING:
    import ssl

USER_AGENT = "dockernet.core"


@dataclass(frozen=True)
class Address:
    scheme: str  # unix, http, https or ssh
    host: str = ""
    port: int = 0
    path: str = ""  # the socket's path for unix


def parse_docker_host(docker_host: str, uses_tls: bool) -> Address:
    """unix:///path, tcp://HOST[:PORT] (http:// and https:// too) or ssh://[USER@]HOST[:PORT]."""
    def bad(problem: str) -> OptionError:
        return OptionError(f"docker_host={docker_host!r}{problem}")

    scheme, _sep, rest = docker_host.partition("://")
    scheme = scheme.lower()
    if scheme == "unix":
        if not rest or rest == "/":
            raise bad(" names no socket; write it as unix:///path/to/docker.sock")
        return Address("unix", path=rest)
    if scheme == "ssh":
        return Address("ssh", host=rest)
    if scheme == "npipe":
        raise bad(": Windows named pipes are not supported; use tcp:// or ssh://")
    if scheme not in ("tcp", "http", "https"):
        raise bad(f" has the scheme {scheme!r}; use unix:///path/to/docker.sock, tcp://HOST:PORT or ssh://USER@HOST")
    if scheme == "https" and not uses_tls:
        raise bad(" asks for HTTPS; set validate_certs: true (with ca_path) or tls: true, or write tcp://HOST:PORT")
    parsed = urllib.parse.urlsplit(f"tcp://{rest}")
    if parsed.path not in ("", "/") or parsed.query or parsed.fragment:
        raise bad(" has a path; write it as tcp://HOST:PORT")
    try:
        port = parsed.port
    except ValueError:
        raise bad(" has no valid port; write it as tcp://HOST:PORT") from None
    if not parsed.hostname:
        raise bad(" names no host; write it as tcp://HOST:PORT")
    if port is None:
        port = 2376 if uses_tls else 2375
    return Address("https" if uses_tls else "http", host=parsed.hostname, port=port)


def is_loopback_host(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1 (also written as an IPv4-mapped IPv6 address): reachable from this machine only."""
    name = host.strip().strip("[]").rstrip(".").lower()
    if name == "localhost":
        return True
    try:
        address = ipaddress.ip_address(name)
    except ValueError:
        return False  # any other host name may resolve to an address others can reach
    return (getattr(address, "ipv4_mapped", None) or address).is_loopback


def plain_tcp_warning(settings: ConnectionSettings) -> t.Optional[str]:
    """For a tcp:// docker_host without TLS that others may reach (an unparsable one is left to connecting)."""
    if settings.uses_tls:
        return None
    try:
        address = parse_docker_host(settings.docker_host, uses_tls=False)
    except OptionError:
        return None
    if address.scheme != "http" or is_loopback_host(address.host):
        return None
    return (
        f"docker_host={settings.docker_host} talks to the Docker daemon over TCP without TLS: anyone who can reach "
        f"port {address.port} on {address.host} controls that Docker host as root. Turn TLS on - start dockerd "
        "with --tlsverify, --tlscacert, --tlscert and --tlskey, and set validate_certs: true with ca_path, "
        "client_cert and client_key here (or DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH) - or use an ssh:// docker_host."
    )


def _readable_file(option: str, path: str) -> None:
    if not os.path.isfile(path):
        raise OptionError(f"{option}={path!r}: no such file; give the path of a PEM file (or set DOCKER_CERT_PATH)")
    if not os.access(path, os.R_OK):
        raise OptionError(f"{option}={path!r}: not readable by this user; run the task with become: true or fix its mode")


def tls_context(settings: ConnectionSettings) -> ssl.SSLContext:
    """The TLS settings of the Docker CLI: verify against ca_path (or the system's CAs) when validate_certs is on."""
    import ssl  # pylint: disable=import-outside-toplevel,redefined-outer-name

    if bool(settings.client_cert) != bool(settings.client_key):
        raise OptionError("client_cert and client_key must be given together for TLS client authentication")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)  # verifies the certificate and the host name unless told not to
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    if not settings.validate_certs:
        # tls: true without validate_certs: encrypted, but the daemon is not verified (the CLI's --tls)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
    elif settings.ca_path:
        _readable_file("ca_path", settings.ca_path)
        try:
            context.load_verify_locations(cafile=settings.ca_path)
        except ssl.SSLError as exc:
            raise OptionError(f"ca_path={settings.ca_path!r} holds no usable CA certificate ({exc}); give a PEM file") from None
    else:
        context.load_default_certs()
    if settings.client_cert and settings.client_key:
        _readable_file("client_cert", settings.client_cert)
        _readable_file("client_key", settings.client_key)
        try:
            context.load_cert_chain(settings.client_cert, settings.client_key)
        except ssl.SSLError as exc:
            raise OptionError(
                f"client_cert={settings.client_cert!r} and client_key={settings.client_key!r} are not a usable pair ({exc}); "
                "give the PEM certificate and its unencrypted key"
            ) from None
    return context


class Reply(t.NamedTuple):
    status: int
    body: bytes


class ClosedConnection(ConnectionError):
    """The daemon hung up before a whole answer, or answered with something that is not HTTP."""


class HttpTransport:
    """One kept-alive HTTP/1.1 connection to the daemon, opened on the first request."""

    def __init__(self, settings: ConnectionSettings, address: Address) -> None:
        self._address = address
        self._timeout = float(settings.timeout)
        self._server_hostname = settings.tls_hostname or address.host
        self._host = "localhost" if address.scheme == "unix" else f"{f'[{address.host}]' if ':' in address.host else address.host}:{address.port}"
        # checked before anything is sent: a bad ca_path fails the task with its own message
        self._context = tls_context(settings) if address.scheme == "https" else None
        self._sock: t.Optional[socket.socket] = None
        self._reader: t.Optional[t.BinaryIO] = None

    def _connect(self) -> t.Tuple[socket.socket, t.BinaryIO]:
        if self._address.scheme == "unix":
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        else:
            sock = socket.create_connection((self._address.host, self._address.port), self._timeout)
        try:
            if self._address.scheme == "unix":
                sock.settimeout(self._timeout)
                sock.connect(self._address.path)
            if self._context is not None:
                sock = self._context.wrap_socket(sock, server_hostname=self._server_hostname)
        except BaseException:
            sock.close()
            raise
        self._sock, self._reader = sock, t.cast(t.BinaryIO, sock.makefile("rb"))
        return self._sock, self._reader

    def _drop_if_closed(self) -> bool:
        """Close a kept-alive connection the daemon has closed meanwhile; True when one is still open."""
        if self._sock is None:
            return False
        try:
            readable, _w, _x = select.select([self._sock], [], [], 0)
        except (OSError, ValueError):
            readable = [self._sock]
        if readable:  # an idle HTTP connection only becomes readable when the peer closed it
            self.close()
        return not readable

    def request(self, method: str, target: str, body: t.Optional[bytes] = None,
                headers: t.Optional[t.Mapping[str, str]] = None) -> Reply:
        all_headers = {"User-Agent": USER_AGENT, **(headers or {})}
        reused = self._drop_if_closed()
        try:
            return self._exchange(method, target, body, all_headers)
        except ConnectionError:
            self.close()
            # A reads-only request on a connection the daemon dropped between our check and the send is
            # safe to send once more; a POST or DELETE may have been carried out, so it is not.
            if not (reused and method == "GET"):
                raise
        return self._exchange(method, target, body, all_headers)

    def _exchange(self, method: str, target: str, body: t.Optional[bytes], headers: t.Mapping[str, str]) -> Reply:
        sock, reader = (self._sock, self._reader) if self._sock and self._reader else self._connect()
        head = [f"{method} {target} HTTP/1.1", f"Host: {self._host}", *(f"{k}: {v}" for k, v in headers.items())]
        if body is not None or method in ("POST", "PUT"):
            head.append(f"Content-Length: {len(body or b'')}")
        sock.sendall("\r\n".join(head).encode("latin-1") + b"\r\n\r\n" + (body or b""))
        version, _sp, rest = reader.readline(65537).decode("latin-1").partition(" ")
        if not version.startswith("HTTP/") or not rest[:3].isdigit():
            raise ClosedConnection(f"no HTTP answer ({version} {rest})".strip() if version else "the daemon closed the connection without an answer")
        fields: t.Dict[str, str] = {}
        for line in iter(lambda: reader.readline(65537).strip(), b""):
            key, _c, value = line.decode("latin-1").partition(":")
            fields[key.strip().lower()] = value.strip()
        closes = version != "HTTP/1.1" or fields.get("connection", "").lower() == "close"
        if "chunked" in fields.get("transfer-encoding", "").lower():
            data = b"".join(iter(lambda: _chunk(reader), b""))
        elif "content-length" in fields:
            data = _exactly(reader, int(fields["content-length"]))
        elif rest.startswith(("204", "304")) or method == "HEAD":
            data = b""
        else:  # exec streams end when the daemon closes the connection
            data, closes = reader.read(), True
        if closes:
            self.close()
        return Reply(int(rest[:3]), data)

    def close(self) -> None:
        for part in (self._reader, self._sock):
            if part is not None:
                part.close()
        self._sock = self._reader = None


def _exactly(reader: t.BinaryIO, size: int) -> bytes:
    data = reader.read(size)
    if len(data) < size:
        raise ClosedConnection(f"the answer ended after {len(data)} of {size} bytes")
    return data


def _chunk(reader: t.BinaryIO) -> bytes:
    """One chunk of a chunked answer; b"" for the last one, after its trailer."""
    line = reader.readline(65537)
    try:
        size = int(line.split(b";")[0], 16)
    except ValueError:
        raise ClosedConnection(f"a chunked answer broke off ({line[:40]!r})") from None
    while size == 0 and reader.readline(65537).strip():
        pass  # the trailer
    return _exactly(reader, size + 2)[:-2] if size else b""


class TransportError(OSError):
    """A failure reported by the SDK's transport, as text (requests' exceptions are not OSErrors)."""


class SdkTransport:
    """ssh:// through the Docker SDK; it imports paramiko either way, so use_ssh_client needs it too."""

    def __init__(self, settings: ConnectionSettings) -> None:
        import docker  # pylint: disable=import-outside-toplevel
        import requests  # pylint: disable=import-outside-toplevel
        from docker.errors import DockerException  # pylint: disable=import-outside-toplevel
        from paramiko.ssh_exception import SSHException  # pylint: disable=import-outside-toplevel

        # paramiko's errors (unknown host key, refused key) are neither OSErrors nor requests'
        self._errors: t.Tuple[t.Type[BaseException], ...] = (requests.exceptions.RequestException, DockerException, SSHException)
        self._timeout = settings.timeout
        try:
            # A pinned version keeps the SDK from asking the daemon: DockerClient negotiates itself.
            self._api = docker.APIClient(
                base_url=settings.docker_host, version=docker.constants.DEFAULT_DOCKER_API_VERSION,
                timeout=settings.timeout, use_ssh_client=settings.use_ssh_client,
            )
        except self._errors as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from None

    def request(self, method: str, target: str, body: t.Optional[bytes] = None,
                headers: t.Optional[t.Mapping[str, str]] = None) -> Reply:
        try:
            response = self._api.request(method, self._api.base_url + target, data=body, timeout=self._timeout,
                                         headers={"User-Agent": USER_AGENT, **(headers or {})})
        except self._errors as exc:
            raise TransportError(f"{type(exc).__name__}: {exc}") from None
        return Reply(response.status_code, response.content)

    def close(self) -> None:
        self._api.close()


def sdk_import_error(settings: ConnectionSettings) -> t.Optional[str]:
    """Why the SDK that ssh:// needs cannot be imported (None when it can, or when it is not needed)."""
    if not settings.docker_host.lower().startswith("ssh://"):
        return None
    try:
        for name in ("docker", "paramiko", "requests"):
            __import__(name)
    except ImportError:
        import traceback  # pylint: disable=import-outside-toplevel
        return traceback.format_exc()
    return None


def open_transport(settings: ConnectionSettings) -> t.Union[HttpTransport, SdkTransport]:
    address = parse_docker_host(settings.docker_host, settings.uses_tls)
    return SdkTransport(settings) if address.scheme == "ssh" else HttpTransport(settings, address)
