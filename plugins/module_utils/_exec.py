# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Run a command inside a running container through the Engine API's exec endpoints."""

from __future__ import annotations

import time
import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._probe import demultiplex


class ExecResult(t.NamedTuple):
    exit_code: int
    stdout: str
    stderr: str
    seconds: float


def exec_run(client: DockerClient, container_id: str, argv: t.Sequence[str]) -> ExecResult:
    created = client.post(f"/containers/{container_id}/exec", {"Cmd": list(argv), "AttachStdout": True, "AttachStderr": True, "Tty": False})
    started = time.monotonic()
    try:
        stream = client.post_raw(f"/exec/{created['Id']}/start", {"Detach": False, "Tty": False})
    except DockerError as exc:
        # Some engines report a missing program as a failed start rather than as exit code 127.
        if "executable file not found" in str(exc) or "no such file or directory" in str(exc).lower():
            return ExecResult(127, "", str(exc), time.monotonic() - started)
        raise
    seconds = time.monotonic() - started
    stdout, stderr = demultiplex(stream)
    details = client.get(f"/exec/{created['Id']}/json") or {}
    exit_code = details.get("ExitCode")
    return ExecResult(int(exit_code) if exit_code is not None else 1, stdout, stderr, seconds)
