# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Reachability probes run inside a container: commands, running them through the exec endpoints, verdicts."""

from __future__ import annotations

import re
import struct
import time
import typing as t
from dataclasses import dataclass

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

DEFAULT_TIMEOUT = 2
TOOLS = {"ping": "ping", "tcp": "nc", "dns": "nslookup"}
# timeout(1) exit codes when it had to stop a command that was still running.
STOPPED_BY_TIMEOUT = (124, 143)
_MISSING_PROGRAM = re.compile(r'exec: "([^"]+)": executable file not found')
# Exit codes of a shell or runtime that could not run the tool at all.
TOOL_MISSING_CODES = (126, 127)
_PING_SUMMARY = re.compile(r"(?:round-trip|rtt)[^=]*=\s*[\d.]+/([\d.]+)/")
_PING_TIME = re.compile(r"time[=<]\s*([\d.]+)\s*ms")


class ToolMissing(Exception):
    """The container has no program for the probe method."""


@dataclass(frozen=True)
class Target:
    host: str
    port: t.Optional[int]
    expect: str
    timeout: int = DEFAULT_TIMEOUT

    def label(self) -> str:
        return f"{self.host}:{self.port}" if self.port is not None else self.host


def parse_targets(method: str, targets: t.Sequence[t.Mapping[str, t.Any]]) -> t.List[Target]:
    """The checks the argument spec cannot make (its choices and types have passed already)."""
    if not targets:
        raise ValidationError("targets", "is empty; give at least one target with a host")
    parsed = []
    for index, raw in enumerate(targets):
        field = f"targets[{index}]"
        host = str(raw.get("host") or "").strip()
        if not host or host.startswith("-") or any(c.isspace() for c in host):
            raise ValidationError(f"{field}.host", f"{raw.get('host')!r} is not a host name or address")
        port = raw.get("port")
        if method == "tcp":
            if port is None:
                raise ValidationError(f"{field}.port", "is required with method tcp; give the TCP port to connect to")
            port = int(port)  # the argument spec's int lets a bool through
            if not 0 < port < 65536:
                raise ValidationError(f"{field}.port", f"{port} is not a port number between 1 and 65535")
        timeout = DEFAULT_TIMEOUT if raw.get("timeout") is None else raw["timeout"]
        if not isinstance(timeout, int) or isinstance(timeout, bool) or not 1 <= timeout <= 60:
            raise ValidationError(f"{field}.timeout", f"{timeout!r} is not a number of seconds from 1 to 60")
        parsed.append(Target(host=host, port=port if method == "tcp" else None, expect=str(raw.get("expect") or "reachable"), timeout=timeout))
    return parsed


def probe_command(method: str, target: Target) -> t.List[str]:
    if method == "ping":
        return ["ping", "-c", "1", "-W", str(target.timeout), target.host]
    if method == "tcp":
        # nc's -w bounds only the connect; a server that keeps the connection open would hold nc
        # forever, so timeout ends it a second later (exit 124 or 143: connected and held open).
        return ["timeout", str(target.timeout + 1), "nc", "-w", str(target.timeout), target.host, str(target.port)]
    return ["nslookup", target.host]


def demultiplex(stream: bytes) -> t.Tuple[str, str]:
    """Split Docker's multiplexed exec output (8-byte frame headers) into stdout and stderr."""
    out: t.List[bytes] = []
    err: t.List[bytes] = []
    offset = 0
    while offset + 8 <= len(stream):
        kind, size = struct.unpack(">BxxxL", stream[offset:offset + 8])
        if kind not in (0, 1, 2):
            return stream.decode("utf-8", "replace"), ""  # not multiplexed (a TTY exec)
        (err if kind == 2 else out).append(stream[offset + 8:offset + 8 + size])
        offset += 8 + size
    return b"".join(out).decode("utf-8", "replace"), b"".join(err).decode("utf-8", "replace")


class ExecResult(t.NamedTuple):
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def exec_run(client: DockerClient, container_id: str, argv: t.Sequence[str]) -> ExecResult:
    created = client.post(f"/containers/{container_id}/exec", {"Cmd": list(argv), "AttachStdout": True, "AttachStderr": True, "Tty": False})
    started = time.monotonic()
    try:
        stream = client.post(f"/exec/{created['Id']}/start", {"Detach": False, "Tty": False}, raw=True)
    except DockerError as exc:
        # Some engines report a missing program as a failed start rather than as exit code 127.
        if "executable file not found" in str(exc) or "no such file or directory" in str(exc).lower():
            return ExecResult(127, "", str(exc), time.monotonic() - started)
        raise
    seconds = time.monotonic() - started
    stdout, stderr = demultiplex(stream)
    exit_code = (client.get(f"/exec/{created['Id']}/json") or {}).get("ExitCode")
    return ExecResult(int(exit_code) if exit_code is not None else 1, stdout, stderr, seconds)


def ping_latency_ms(output: str) -> t.Optional[float]:
    match = _PING_SUMMARY.search(output) or _PING_TIME.search(output)
    return float(match.group(1)) if match else None


def dns_resolved(output: str, exit_code: int) -> bool:
    """busybox and bind nslookup both exit 0 only when an answer came back."""
    return exit_code == 0 and "Address" in output.partition("Name:")[2]


def verdict(method: str, exit_code: int, output: str) -> str:
    """'reachable' or 'unreachable'; raises ToolMissing when the tool could not run at all."""
    if exit_code in TOOL_MISSING_CODES or "executable file not found" in output:
        named = _MISSING_PROGRAM.search(output)
        raise ToolMissing(named.group(1) if named else TOOLS[method])
    if method == "dns":
        return "reachable" if dns_resolved(output, exit_code) else "unreachable"
    if method == "tcp" and exit_code in STOPPED_BY_TIMEOUT:
        return "reachable"
    return "reachable" if exit_code == 0 else "unreachable"


def failure_message(container: str, method: str, results: t.Sequence[t.Mapping[str, t.Any]]) -> str:
    wrong = [r for r in results if not r["ok"]]
    lines = "; ".join(f"{r['target']}: expected {r['expected']}, saw {r['observed']}" for r in wrong)
    return f"{len(wrong)} of {len(results)} {method} probe(s) from container {container!r} did not match: {lines}"
