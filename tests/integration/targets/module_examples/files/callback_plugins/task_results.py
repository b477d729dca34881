# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stdout callback for the module_examples target: every task result, as JSON, in a file.

ansible-core has no JSON stdout callback of its own (ansible.posix.json is another collection), and
the target needs each task's result to tell which examples changed something. The results go to the
file named by DOCKERNET_TASK_RESULTS (to stdout without it), shaped like the output of ansible.posix.json:
{"plays": [{"play": {"name": ...}, "tasks": [{"task": {"name": ...}, "hosts": {HOST: RESULT}}]}]}.
Stdout gets one line per task result, such as "changed: Detach it".
"""

from __future__ import annotations

import json
import os
import typing as t

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: task_results
type: stdout
short_description: Every task result of the run as one line of JSON
description:
  - Used by the module_examples integration target of dockernet.core.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "stdout"
    CALLBACK_NAME = "task_results"

    def __init__(self) -> None:
        super().__init__()
        self.plays: t.List[t.Dict[str, t.Any]] = []

    def v2_playbook_on_play_start(self, play: t.Any) -> None:
        self.plays.append({"play": {"name": play.get_name()}, "tasks": []})

    def v2_playbook_on_task_start(self, task: t.Any, is_conditional: bool) -> None:
        self.plays[-1]["tasks"].append({"task": {"name": task.get_name()}, "hosts": {}})

    def _record(self, result: t.Any, status: str, **flags: bool) -> None:
        record = dict(result._result, **flags)
        task = self.plays[-1]["tasks"][-1]
        task["hosts"][result._host.get_name()] = record
        message = f": {record.get('msg')}" if status in ("failed", "unreachable") else ""
        self._display.display(f"{status}: {task['task']['name']}{message}")

    def v2_runner_on_ok(self, result: t.Any) -> None:
        self._record(result, "changed" if result._result.get("changed") else "ok")

    def v2_runner_on_failed(self, result: t.Any, ignore_errors: bool = False) -> None:
        self._record(result, "failed", failed=True)

    def v2_runner_on_skipped(self, result: t.Any) -> None:
        self._record(result, "skipped", skipped=True)

    def v2_runner_on_unreachable(self, result: t.Any) -> None:
        self._record(result, "unreachable", unreachable=True)

    def v2_playbook_on_stats(self, stats: t.Any) -> None:
        text = json.dumps({"plays": self.plays}, default=str)
        path = os.environ.get("DOCKERNET_TASK_RESULTS")
        if not path:
            self._display.display(text)
            return
        with open(path, "w", encoding="utf-8") as handle:
            handle.write(text + "\n")
