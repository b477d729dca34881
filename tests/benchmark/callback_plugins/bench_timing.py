# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Records when each task of a benchmark playbook starts and when each of its results arrives.

Enabled by bench.py only (ANSIBLE_CALLBACKS_ENABLED=bench_timing); writes one JSON file,
BENCH_TIMING_FILE, when the playbook ends. A task's time runs from its start to its last
result, so the ansible-playbook start-up is not part of any measurement, and each loop
item's time is the gap between its result and the one before (the first: from the task start).
"""

from __future__ import annotations

import json
import os
import time
import typing as t

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_timing
type: aggregate
short_description: per-task and per-item times for the dockernet.core benchmark
description: Writes task start, item result times and changed/failed counts to the file named by BENCH_TIMING_FILE.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self) -> None:
        super().__init__()
        self._tasks: t.List[t.Dict[str, t.Any]] = []

    def _current(self) -> t.Dict[str, t.Any]:
        return self._tasks[-1]

    def v2_playbook_on_task_start(self, task: t.Any, is_conditional: bool) -> None:
        self._tasks.append({"name": task.get_name(), "start": time.monotonic(), "end": None, "items": [], "changed": 0, "failed": 0})

    def _item(self, result: t.Any, failed: bool) -> None:
        entry, now = self._current(), time.monotonic()
        entry["items"].append(now)
        entry["end"] = now
        entry["changed"] += 1 if result._result.get("changed") else 0
        entry["failed"] += 1 if failed else 0

    def v2_runner_item_on_ok(self, result: t.Any) -> None:
        self._item(result, False)

    def v2_runner_item_on_failed(self, result: t.Any) -> None:
        self._item(result, True)

    def _task_result(self, result: t.Any, failed: bool) -> None:
        entry = self._current()
        entry["end"] = time.monotonic()
        if not entry["items"]:  # a loop's final result only sums up its items
            entry["changed"] += 1 if result._result.get("changed") else 0
            entry["failed"] += 1 if failed else 0
        elif failed and not entry["failed"]:
            entry["failed"] = 1

    def v2_runner_on_ok(self, result: t.Any) -> None:
        self._task_result(result, False)

    def v2_runner_on_failed(self, result: t.Any, ignore_errors: bool = False) -> None:
        self._task_result(result, True)

    def v2_playbook_on_stats(self, stats: t.Any) -> None:
        path = os.environ.get("BENCH_TIMING_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self._tasks, handle)
