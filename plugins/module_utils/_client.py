# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""A plain Docker Engine API client: JSON over _transport, raising DockerError, knowing nothing about Ansible."""

from __future__ import annotations

import json
import socket
import sys
import typing as t
import urllib.parse

from ansible_collections.dockernet.core.plugins.module_utils._options import (
    ConnectionSettings,
    api_at_least,
    parse_api_version,
)
from ansible_collections.dockernet.core.plugins.module_utils._transport import ClosedConnection, TransportError, open_transport


class DockerError(Exception):
    """The one exception type for daemon, connection and API-version problems."""

    def __init__(self, message: str, status: t.Optional[int] = None, result: t.Optional[t.Dict[str, t.Any]] = None) -> None:
        super().__init__(message)
        self.status = status
        # what the task did before the failure, returned with it (see failing_on_errors)
        self.result: t.Dict[str, t.Any] = result or {}

    @property
    def not_found(self) -> bool:
        return self.status == 404


# The SDK's (ssh://) errors are known only by their text, which names the exception it wrapped.
_CLOSED = ("ConnectionResetError", "BrokenPipeError", "RemoteDisconnected", "BadStatusLine", "IncompleteRead", "Connection aborted")


def _unreachable_message(settings: ConnectionSettings, error: BaseException) -> str:
    host = settings.docker_host
    shown = str(error) or type(error).__name__
    chain: t.List[BaseException] = []  # the error and those it was raised from or while handling
    cause: t.Optional[BaseException] = error
    while cause is not None and cause not in chain:
        chain.append(cause)
        cause = cause.__cause__ or cause.__context__

    def caused_by(*types: t.Type[BaseException]) -> bool:
        return any(isinstance(cause, types) for cause in chain)

    words = f"{type(error).__name__}: {shown}" if isinstance(error, TransportError) else ""
    # a peer that hangs up: over TLS, that is how a daemon refuses a client certificate
    closed = caused_by(ConnectionResetError, BrokenPipeError, ConnectionAbortedError, ClosedConnection) or any(n in words for n in _CLOSED)
    refused = caused_by(ConnectionRefusedError) or "Connection refused" in words
    if host.startswith("unix://"):
        path = host[len("unix://"):]
        for cause_found, what, fix in (
            (caused_by(FileNotFoundError), f"the socket {path} does not exist",
             "start dockerd there, or point docker_host (or DOCKER_HOST) at the daemon's socket"),
            (caused_by(PermissionError), f"permission denied on {path}",
             "run the task with become: true or as a member of the socket's group"),
            (refused, f"nothing listens on {path}", "start dockerd, or point docker_host (or DOCKER_HOST) at a running daemon"),
        ):
            if cause_found:
                return f"Cannot reach the Docker daemon at {host}: {what}; {fix}."
    if host.lower().startswith("ssh://"):
        message = _ssh_message(host, words, shown, closed)
        if message:
            return message
    if refused:
        return (
            f"Cannot reach the Docker daemon at {host} (Connection refused: nothing listens there); "
            "start dockerd, or point docker_host (or DOCKER_HOST) at a running daemon."
        )
    if caused_by(socket.timeout, TimeoutError) or "timed out" in words.lower():
        return (
            f"The Docker daemon at {host} did not answer within {settings.timeout} seconds ({_short(shown)}); "
            "check that dockerd there is healthy, or raise timeout."
        )
    ssl = sys.modules.get("ssl")  # imported for TLS only: without it, no error is a TLS one
    over_tls = settings.uses_tls and not host.startswith("unix://")  # TLS settings do not apply to a socket
    if (ssl is not None and caused_by(ssl.SSLError)) or (closed and over_tls):
        return (
            f"TLS connection to the Docker daemon at {host} failed ({_short(shown)}); "
            "check ca_path, client_cert, client_key and tls_hostname, and that the daemon speaks TLS."
        )
    if closed:
        return (
            f"The Docker daemon at {host} closed the connection ({_short(shown)}); "
            "if the daemon requires TLS, set tls: true or validate_certs: true with its certificates."
        )
    return (
        f"Cannot reach the Docker daemon at {host} ({_short(shown)}); "
        "check that dockerd runs there and that docker_host (or DOCKER_HOST) is right."
    )


def _ssh_command(host: str) -> str:
    """The ssh command line that reaches the same daemon as docker_host, to try by hand."""
    try:
        parts = urllib.parse.urlsplit(host)
        port = parts.port
    except ValueError:
        return f"ssh {host[len('ssh://'):]}"
    login = f"{parts.username}@{parts.hostname}" if parts.username else str(parts.hostname)
    return f"ssh -p {port} {login}" if port else f"ssh {login}"


def _ssh_message(host: str, text: str, shown: str, closed: bool) -> t.Optional[str]:
    """What went wrong on an ssh:// connection, in ssh's terms (None: the generic messages fit)."""
    if "known_hosts" in text or "BadHostKeyException" in text:
        return (
            f"The SSH host key of the Docker host {host} is not known or has changed ({_short(shown)}); add the right key "
            "to ~/.ssh/known_hosts of the user that runs the task (for example from ssh-keyscan), then retry."
        )
    if "AuthenticationException" in text or "Authentication failed" in text or "Permission denied (publickey" in text:
        return (
            f"SSH login to the Docker host {host} was refused ({_short(shown)}); authorize the key of the user that runs "
            "the task (~/.ssh/id_* or the IdentityFile in ~/.ssh/config) for that login on the daemon's host."
        )
    if closed:
        return (
            f"The SSH connection to {host} ended before the Docker daemon answered ({_short(shown)}); run "
            f"'{_ssh_command(host)} docker system dial-stdio' as the user that runs the task to see why "
            "(no ssh server there, a refused key, or no docker command on that host)."
        )
    return None


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


class DockerClient:
    def __init__(self, settings: ConnectionSettings) -> None:
        self.settings = settings
        self._version_info: t.Optional[t.Dict[str, t.Any]] = None
        try:
            self._transport = open_transport(settings)
        except OSError as exc:  # the SDK's ssh set-up
            raise DockerError(_unreachable_message(settings, exc)) from None
        if settings.api_version.lower() == "auto":
            self.api_version = self._server_api_version()
        else:
            parse_api_version(settings.api_version)
            self.api_version = settings.api_version

    def _server_api_version(self) -> str:
        # GET /version is the one unversioned request: it tells which version to speak.
        found = self._request("get", "/version", None, None, versioned=False)
        version = found.get("ApiVersion") if isinstance(found, dict) else None
        if not isinstance(version, str) or not version:
            raise DockerError(
                f"the server at {self.settings.docker_host} is not a Docker daemon: its GET /version has no ApiVersion "
                f"({_short(str(found))}). Point docker_host (or DOCKER_HOST) at the daemon"
            )
        self._version_info = found
        return version

    def version_info(self) -> t.Dict[str, t.Any]:
        """GET /version, asked once and only by callers that need more than the API version (_engine.identify)."""
        if self._version_info is None:
            self._version_info = self.get("/version") or {}
        return self._version_info

    def require_api(self, option: str, minimum: str) -> None:
        """Fail before sending anything: the daemon silently drops fields it does not know."""
        if not api_at_least(self.api_version, minimum):
            raise DockerError(
                f"{option} needs Docker Engine API {minimum} or newer, but the daemon at "
                f"{self.settings.docker_host} speaks API {self.api_version}. Upgrade the engine, or leave {option} out."
            )

    def _request(self, method: str, path: str, params: t.Optional[t.Mapping[str, t.Any]], body: t.Any,
                 raw: bool = False, versioned: bool = True) -> t.Any:
        target = request_target(self.api_version if versioned else None, path, params)
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {} if body is None else {"Content-Type": "application/json"}
        try:
            reply = self._transport.request(method.upper(), target, data, headers)
        except OSError as exc:
            raise DockerError(_unreachable_message(self.settings, exc)) from None
        if reply.status >= 400:
            text = reply.body.decode("utf-8", errors="replace")
            if "HTTP request to an HTTPS server" in text:
                raise DockerError(
                    f"The Docker daemon at {self.settings.docker_host} requires TLS; set validate_certs: true with ca_path, "
                    "client_cert and client_key (or DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)."
                )
            detail = _json(reply.body)
            if not (isinstance(detail, dict) and "message" in detail):
                # Only a Docker daemon answers with {"message": ...}; anything else (a web server's 404
                # page) must not pass for "not found", which would let a task succeed without a daemon.
                raise DockerError(
                    f"the server at {self.settings.docker_host} is not a Docker daemon: it answered {method.upper()} {path} "
                    f"with HTTP {reply.status} ({_short(text)}). Point docker_host (or DOCKER_HOST) at the daemon"
                )
            message = detail["message"] or text
            raise DockerError(
                f"the Docker daemon refused {method.upper()} {path} (HTTP {reply.status}): {_short(str(message))}",
                status=reply.status,
            )
        if raw:
            return reply.body
        if reply.status == 204 or not reply.body:
            return None
        return _json(reply.body)

    def get(self, path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        return self._request("get", path, params, None)

    def post(self, path: str, body: t.Any = None, raw: bool = False) -> t.Any:
        """raw: the body as bytes (exec output streams are not JSON)."""
        return self._request("post", path, None, body, raw=raw)

    def delete(self, path: str) -> t.Any:
        return self._request("delete", path, None, None)

    def close(self) -> None:
        self._transport.close()


def _json(body: bytes) -> t.Any:
    """The parsed JSON, or the text when the body is not JSON."""
    try:
        return json.loads(body)
    except ValueError:
        return body.decode("utf-8", errors="replace")


def request_target(api_version: t.Optional[str], path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> str:
    """The request line's target: /vVERSION/path?query, with names in the path quoted."""
    target = urllib.parse.quote(path, safe="/:@")
    if api_version is not None:
        target = f"/v{api_version}{target}"
    if params:
        target += "?" + urllib.parse.urlencode({key: str(value) for key, value in params.items()})
    return target


def encode_filters(filters: t.Mapping[str, t.Iterable[str]]) -> str:
    """The Engine API's filter format: a JSON object of name -> list of values."""
    return json.dumps({key: sorted(set(values)) for key, values in filters.items() if values})
