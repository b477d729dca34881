# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import struct
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._probe import (
    Target,
    ToolMissing,
    demultiplex,
    dns_resolved,
    failure_message,
    parse_targets,
    ping_latency_ms,
    probe_command,
    verdict,
)
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

BUSYBOX_PING_OK = """PING db (10.10.0.3): 56 data bytes
64 bytes from 10.10.0.3: seq=0 ttl=64 time=0.104 ms

--- db ping statistics ---
1 packets transmitted, 1 packets received, 0% packet loss
round-trip min/avg/max = 0.104/0.104/0.104 ms
"""
IPUTILS_PING_OK = """PING db (10.10.0.3) 56(84) bytes of data.
64 bytes from db (10.10.0.3): icmp_seq=1 ttl=64 time=0.061 ms

--- db ping statistics ---
1 packets transmitted, 1 received, 0% packet loss, time 0ms
rtt min/avg/max/mdev = 0.061/0.061/0.061/0.000 ms
"""
PING_LOST = """PING 10.10.1.2 (10.10.1.2): 56 data bytes

--- 10.10.1.2 ping statistics ---
1 packets transmitted, 0 packets received, 100% packet loss
"""
BUSYBOX_NSLOOKUP_OK = "Server:\t\t127.0.0.11\nAddress:\t127.0.0.11:53\n\nNon-authoritative answer:\nName:\tapi\nAddress: 10.10.0.4\n"
NSLOOKUP_FAIL = ";; connection timed out; no servers could be reached\n"
MISSING = 'OCI runtime exec failed: exec failed: unable to start container process: exec: "nc": executable file not found in $PATH: unknown'


def frame(kind: int, text: str) -> bytes:
    data = text.encode()
    return struct.pack(">BxxxL", kind, len(data)) + data


@pytest.mark.parametrize(
    "output, expected",
    [
        pytest.param(BUSYBOX_PING_OK, 0.104, id="busybox"),
        pytest.param(IPUTILS_PING_OK, 0.061, id="iputils"),
        pytest.param("64 bytes from 10.0.0.1: seq=0 ttl=64 time=1.5 ms", 1.5, id="reply-line-only"),
        pytest.param(PING_LOST, None, id="lost"),
        pytest.param("", None, id="empty"),
    ],
)
def test_ping_latency(output: str, expected: t.Optional[float]) -> None:
    assert ping_latency_ms(output) == expected


@pytest.mark.parametrize(
    "method, exit_code, output, expected",
    [
        pytest.param("ping", 0, BUSYBOX_PING_OK, "reachable", id="ping-ok"),
        pytest.param("ping", 1, PING_LOST, "unreachable", id="ping-lost"),
        pytest.param("tcp", 0, "", "reachable", id="tcp-connected-and-closed"),
        pytest.param("tcp", 143, "", "reachable", id="tcp-held-open-terminated"),
        pytest.param("tcp", 124, "", "reachable", id="tcp-held-open-timeout"),
        pytest.param("tcp", 1, "nc: can't connect to remote host (10.0.0.3): Connection refused", "unreachable", id="tcp-refused"),
        pytest.param("dns", 0, BUSYBOX_NSLOOKUP_OK, "reachable", id="dns-answer"),
        pytest.param("dns", 1, NSLOOKUP_FAIL, "unreachable", id="dns-timeout"),
        pytest.param("dns", 0, "Server: 127.0.0.11\n** server can't find nope: NXDOMAIN\n", "unreachable", id="dns-nxdomain-exit-0"),
    ],
)
def test_verdict(method: str, exit_code: int, output: str, expected: str) -> None:
    assert verdict(method, exit_code, output) == expected


@pytest.mark.parametrize(
    "method, exit_code, output, tool",
    [
        pytest.param("tcp", 126, MISSING, "nc", id="named-in-runtime-error"),
        pytest.param("tcp", 127, 'exec: "timeout": executable file not found in $PATH', "timeout", id="timeout-missing"),
        pytest.param("ping", 127, "", "ping", id="exit-127-unnamed"),
        pytest.param("dns", 126, "", "nslookup", id="exit-126-unnamed"),
    ],
)
def test_verdict_names_the_missing_tool(method: str, exit_code: int, output: str, tool: str) -> None:
    with pytest.raises(ToolMissing) as exc_info:
        verdict(method, exit_code, output)
    assert str(exc_info.value) == tool


def test_dns_resolved_needs_an_answer_section() -> None:
    assert dns_resolved(BUSYBOX_NSLOOKUP_OK, 0)
    assert not dns_resolved("Server: 127.0.0.11\nAddress: 127.0.0.11:53\n", 0)
    assert not dns_resolved(BUSYBOX_NSLOOKUP_OK, 1)


def test_demultiplex_splits_streams() -> None:
    stream = frame(1, "out1 ") + frame(2, "err") + frame(1, "out2")
    assert demultiplex(stream) == ("out1 out2", "err")


def test_demultiplex_passes_tty_output_through() -> None:
    assert demultiplex(b"plain text output") == ("plain text output", "")


@pytest.mark.parametrize(
    "method, target, expected",
    [
        pytest.param("ping", Target("db", None, "reachable", 3), ["ping", "-c", "1", "-W", "3", "db"], id="ping"),
        pytest.param("tcp", Target("db", 5432, "reachable", 2), ["timeout", "3", "nc", "-w", "2", "db", "5432"], id="tcp"),
        pytest.param("dns", Target("db", None, "unreachable", 2), ["nslookup", "db"], id="dns"),
    ],
)
def test_probe_command(method: str, target: Target, expected: t.List[str]) -> None:
    assert probe_command(method, target) == expected


@pytest.mark.parametrize(
    "method, targets, field",
    [
        pytest.param("ping", [], "targets", id="no-targets"),
        pytest.param("ping", [{"host": ""}], "targets[0].host", id="empty-host"),
        pytest.param("ping", [{"host": "-c9"}], "targets[0].host", id="option-like-host"),
        pytest.param("ping", [{"host": "a b"}], "targets[0].host", id="space-in-host"),
        pytest.param("tcp", [{"host": "db"}], "targets[0].port", id="tcp-needs-port"),
        pytest.param("tcp", [{"host": "db", "port": 70000}], "targets[0].port", id="port-range"),
        pytest.param("ping", [{"host": "db", "timeout": 0}], "targets[0].timeout", id="timeout-zero"),
    ],
)
def test_parse_targets_errors(method: str, targets: t.List[t.Dict[str, t.Any]], field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        parse_targets(method, targets)
    assert exc_info.value.field == field


def test_parse_targets_defaults() -> None:
    assert parse_targets("ping", [{"host": "db", "port": 80}]) == [Target("db", None, "reachable", 2)]
    assert parse_targets("tcp", [{"host": "db", "port": 80, "expect": "unreachable", "timeout": 5}]) == [Target("db", 80, "unreachable", 5)]


def test_failure_message_lists_each_mismatch() -> None:
    results = [
        {"target": "api", "expected": "reachable", "observed": "reachable", "ok": True},
        {"target": "db", "expected": "unreachable", "observed": "reachable", "ok": False},
    ]
    message = failure_message("web", "ping", results)
    assert "1 of 2" in message and "db: expected unreachable, saw reachable" in message and "api" not in message
