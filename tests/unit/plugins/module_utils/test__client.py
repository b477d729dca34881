# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for the pure helpers of the client: error messages and filter encoding (no daemon)."""

from __future__ import annotations

import json
import socket
import ssl
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._client import (
    DockerError,
    _short,
    _unreachable_message,
    encode_filters,
)
from ansible_collections.dockernet.core.plugins.module_utils._options import resolve_connection
from ansible_collections.dockernet.core.plugins.module_utils._transport import ClosedConnection, TransportError

UNIX = "unix:///var/run/docker.sock"
TCP = "tcp://192.0.2.10:2376"


def _wrapped(outer: BaseException, inner: BaseException, cause: bool = True) -> BaseException:
    """outer raised from inner (cause) or while handling it (context)."""
    if cause:
        outer.__cause__ = inner
    else:
        outer.__context__ = inner
    return outer


@pytest.mark.parametrize(
    "host, error, expected_fragments",
    [
        pytest.param(
            UNIX, FileNotFoundError(2, "No such file or directory"),
            ["at unix:///var/run/docker.sock", "the socket /var/run/docker.sock does not exist", "DOCKER_HOST"],
            id="missing-socket",
        ),
        pytest.param(
            UNIX, _wrapped(OSError("connect failed"), FileNotFoundError(2, "No such file or directory")),
            ["does not exist"],
            id="missing-socket-as-cause",
        ),
        pytest.param(
            UNIX, PermissionError(13, "Permission denied"),
            ["permission denied on /var/run/docker.sock", "become: true"],
            id="permission-denied",
        ),
        pytest.param(
            UNIX, _wrapped(OSError("connect failed"), PermissionError(13, "Permission denied"), cause=False),
            ["permission denied on /var/run/docker.sock"],
            id="permission-denied-as-context",
        ),
        pytest.param(
            UNIX, OSError("No such file or directory, Permission denied"),
            ["Cannot reach the Docker daemon at unix:///var/run/docker.sock (", "No such file"],
            id="words-without-the-type-are-generic",
        ),
        pytest.param(
            "unix:///run/user/1000/docker.sock", ConnectionRefusedError(111, "Connection refused"),
            ["nothing listens on /run/user/1000/docker.sock", "start dockerd"],
            id="refused",
        ),
        pytest.param(
            TCP, ssl.SSLError(1, "[SSL: WRONG_VERSION_NUMBER] wrong version number (_ssl.c:1006)"),
            ["TLS connection to the Docker daemon at tcp://192.0.2.10:2376 failed", "WRONG_VERSION_NUMBER", "ca_path"],
            id="ssl-error",
        ),
        pytest.param(
            TCP, ssl.SSLCertVerificationError(1, "certificate verify failed: unable to get local issuer Certificate"),
            ["TLS connection", "certificate verify failed"],
            id="certificate-error",
        ),
        pytest.param(
            TCP, _wrapped(OSError("handshake"), ssl.SSLEOFError(8, "EOF occurred in violation of protocol")),
            ["TLS connection", "handshake"],
            id="ssl-error-as-cause",
        ),
        pytest.param(
            TCP, OSError("[SSL: WRONG_VERSION_NUMBER] in the text alone"),
            ["Cannot reach the Docker daemon at tcp://192.0.2.10:2376 ("],
            id="ssl-words-without-the-type-are-generic",
        ),
        pytest.param(
            TCP, ConnectionAbortedError(103, "Software caused connection abort"),
            ["closed the connection", "tls: true"],
            id="aborted",
        ),
        pytest.param(
            UNIX, ClosedConnection("the daemon closed the connection without an answer"),
            ["closed the connection", "without an answer", "tls: true"],
            id="closed-without-an-answer",
        ),
        pytest.param(
            UNIX, ClosedConnection("no HTTP answer (garbage)"),
            ["closed the connection", "garbage"],
            id="not-http",
        ),
        pytest.param(
            TCP, TimeoutError("timed out"),
            ["did not answer within 60 seconds", "raise timeout"],
            id="timeout",
        ),
        pytest.param(
            TCP, socket.timeout("timed out"),
            ["did not answer within 60 seconds"],
            id="socket-timeout",
        ),
        pytest.param(
            TCP, ConnectionRefusedError(111, "Connection refused"),
            ["Cannot reach the Docker daemon at tcp://192.0.2.10:2376 (", "Connection refused", "DOCKER_HOST"],
            id="tcp-refused-is-generic",
        ),
        pytest.param(
            "ssh://admin@192.0.2.10", OSError("ssh: connect to host 192.0.2.10 port 22: No route to host"),
            ["Cannot reach the Docker daemon at ssh://admin@192.0.2.10", "No route to host"],
            id="generic",
        ),
        pytest.param(
            "ssh://admin@192.0.2.10", TransportError("ConnectionError: ssh: connect to host 192.0.2.10 port 22: Connection refused"),
            ["(Connection refused: nothing listens there)"],
            id="sdk-words-refused",
        ),
        pytest.param(
            "ssh://admin@192.0.2.10", TransportError("ReadTimeout: Read timed out. (read timeout=60)"),
            ["did not answer within 60 seconds"],
            id="sdk-words-timeout",
        ),
    ],
)
def test_unreachable_message(host: str, error: BaseException, expected_fragments: t.List[str]) -> None:
    message = _unreachable_message(resolve_connection({"docker_host": host}, {}), error)
    for fragment in expected_fragments:
        assert fragment in message


@pytest.mark.parametrize(
    "text, expected",
    [
        pytest.param("short", "short", id="short"),
        pytest.param("a\n  b\tc", "a b c", id="whitespace-collapsed"),
        pytest.param("x" * 300, "x" * 300, id="exactly-300"),
        pytest.param("x" * 301, "x" * 297 + "...", id="truncated"),
    ],
)
def test_short(text: str, expected: str) -> None:
    assert _short(text) == expected


@pytest.mark.parametrize(
    "error",
    [
        pytest.param(ConnectionResetError(104, "Connection reset by peer"), id="reset"),
        pytest.param(ClosedConnection("the daemon closed the connection without an answer"), id="closed-without-an-answer"),
        pytest.param(BrokenPipeError(32, "Broken pipe"), id="broken-pipe"),
    ],
)
def test_hang_up_over_tls_points_at_the_certificates(error: BaseException) -> None:
    # a daemon that refuses the client certificate hangs up after the handshake
    settings = resolve_connection({"docker_host": TCP, "validate_certs": True}, {})
    message = _unreachable_message(settings, error)
    assert message.startswith("TLS connection to the Docker daemon at tcp://192.0.2.10:2376 failed")
    assert "client_cert" in message


SSH = "ssh://admin@192.0.2.10:2222"


@pytest.mark.parametrize(
    "error, fragments",
    [
        pytest.param(
            TransportError("SSHException: Server '[192.0.2.10]:2222' not found in known_hosts"),
            [f"SSH host key of the Docker host {SSH} is not known", "~/.ssh/known_hosts", "ssh-keyscan"],
            id="unknown-host-key",
        ),
        pytest.param(
            TransportError("AuthenticationException: Authentication failed."),
            [f"SSH login to the Docker host {SSH} was refused", "Authentication failed", "IdentityFile"],
            id="key-refused",
        ),
        pytest.param(
            TransportError("ConnectionError: ('Connection aborted.', RemoteDisconnected('Remote end closed connection without response'))"),
            [f"The SSH connection to {SSH} ended", "'ssh -p 2222 admin@192.0.2.10 docker system dial-stdio'"],
            id="ssh-client-ended",
        ),
    ],
)
def test_ssh_failures_speak_ssh(error: BaseException, fragments: t.List[str]) -> None:
    message = _unreachable_message(resolve_connection({"docker_host": SSH}, {}), error)
    for fragment in fragments:
        assert fragment in message
    assert "TLS" not in message


def test_ssh_command_without_port_or_user() -> None:
    message = _unreachable_message(resolve_connection({"docker_host": "ssh://daemon.example"}, {}), BrokenPipeError(32, "Broken pipe"))
    assert "'ssh daemon.example docker system dial-stdio'" in message


def test_hang_up_on_a_unix_socket_is_no_tls_failure() -> None:
    # DOCKER_TLS_VERIFY in the environment does not make a socket speak TLS
    settings = resolve_connection({"docker_host": UNIX, "validate_certs": True}, {})
    message = _unreachable_message(settings, ClosedConnection("the daemon closed the connection without an answer"))
    assert message.startswith("The Docker daemon at unix:///var/run/docker.sock closed the connection")


def test_unreachable_message_shortens_long_errors() -> None:
    message = _unreachable_message(resolve_connection({"docker_host": TCP}, {}), OSError("boom " * 200))
    assert "..." in message
    assert len(message) < 500


@pytest.mark.parametrize(
    "filters, expected",
    [
        pytest.param({}, {}, id="empty"),
        pytest.param({"name": ["web", "db", "web"]}, {"name": ["db", "web"]}, id="sorted-unique"),
        pytest.param({"name": [], "driver": ["bridge"]}, {"driver": ["bridge"]}, id="empty-list-dropped"),
    ],
)
def test_encode_filters(filters: t.Dict[str, t.List[str]], expected: t.Dict[str, t.List[str]]) -> None:
    assert json.loads(encode_filters(filters)) == expected


@pytest.mark.parametrize(
    "status, not_found",
    [pytest.param(404, True, id="404"), pytest.param(409, False, id="409"), pytest.param(None, False, id="none")],
)
def test_docker_error_not_found(status: t.Optional[int], not_found: bool) -> None:
    error = DockerError("message", status=status)
    assert error.not_found is not_found
    assert error.status == status
    assert str(error) == "message"


@pytest.mark.parametrize(
    "error, expected",
    [
        pytest.param(FileNotFoundError(2, "No such file or directory"), "the socket /var/run/docker.sock does not exist; "
                     "start dockerd there, or point docker_host (or DOCKER_HOST) at the daemon's socket.", id="missing"),
        pytest.param(PermissionError(13, "Permission denied"), "permission denied on /var/run/docker.sock; "
                     "run the task with become: true or as a member of the socket's group.", id="permission"),
        pytest.param(ConnectionRefusedError(111, "Connection refused"), "nothing listens on /var/run/docker.sock; "
                     "start dockerd, or point docker_host (or DOCKER_HOST) at a running daemon.", id="refused"),
    ],
)
def test_unix_socket_messages_word_for_word(error: BaseException, expected: str) -> None:
    message = _unreachable_message(resolve_connection({"docker_host": UNIX}, {}), error)
    assert message == f"Cannot reach the Docker daemon at {UNIX}: {expected}"
