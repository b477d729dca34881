"""Read the artifacts of one ansible-runner job, as AWX does, and check them.

Usage: python runner_job.py ARTIFACT_DIR --changed {some,none} [--module-root DIR]

ARTIFACT_DIR is PRIVATE_DATA_DIR/artifacts/IDENT. The job must have status `successful` and rc 0,
its events must hold one playbook_on_stats with no failed or unreachable host, and the changed
count must be above zero (`some`) or zero (`none`), both in the stats and in the task events.
With --module-root, every dockernet.core module file the job reported using (the `Using module
file` lines of a -vvv job) must lie under DIR, and there must be at least one. Prints a summary
line, and one line per failed check; exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import sys
import typing as t

MODULE_FILE = re.compile(r"Using module file (\S+)")


def read(path: str) -> str:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return "<missing>"


def load_events(artifact_dir: str) -> list[dict[str, t.Any]]:
    events = []
    for path in glob.glob(os.path.join(artifact_dir, "job_events", "*.json")):
        with open(path, encoding="utf-8") as f:
            events.append(json.load(f))
    return sorted(events, key=lambda event: event.get("counter", 0))


def check(artifact_dir: str, changed: str, module_root: str | None) -> list[str]:
    errors: list[str] = []
    ident = os.path.basename(artifact_dir.rstrip("/"))
    status, rc = read(os.path.join(artifact_dir, "status")), read(os.path.join(artifact_dir, "rc"))
    events = load_events(artifact_dir)
    stats = [event["event_data"] for event in events if event.get("event") == "playbook_on_stats"]
    task_changes = [
        event["event_data"].get("task", "?")
        for event in events
        if event.get("event") == "runner_on_ok" and (event["event_data"].get("res") or {}).get("changed")
    ]
    totals = {key: sum((stats[-1].get(key) or {}).values()) if stats else 0 for key in ("ok", "changed", "failures", "dark", "skipped")}
    print(
        f"job {ident}: status={status} rc={rc} events={len(events)} ok={totals['ok']} changed={totals['changed']} "
        f"failed={totals['failures']} unreachable={totals['dark']} skipped={totals['skipped']}"
    )
    for task in task_changes:
        print(f"job {ident}:   changed: {task}")

    if status != "successful":
        errors.append(f"status is {status}, expected successful (see {artifact_dir}/stdout)")
    if rc != "0":
        errors.append(f"rc is {rc}, expected 0")
    if len(stats) != 1:
        errors.append(f"{len(stats)} playbook_on_stats events in job_events, expected 1")
    if totals["failures"] or totals["dark"]:
        errors.append(f"{totals['failures']} failed and {totals['dark']} unreachable tasks, expected none")
    if changed == "some" and (totals["changed"] == 0 or not task_changes):
        errors.append(f"changed={totals['changed']} in the stats and {len(task_changes)} changed task events, expected changes")
    if changed == "none" and (totals["changed"] != 0 or task_changes):
        errors.append(f"changed={totals['changed']} in the stats ({', '.join(task_changes)}), expected changed=0")

    if module_root is not None:
        root = os.path.realpath(module_root) + os.sep
        used = sorted(
            {
                match.group(1)
                for event in events
                for match in MODULE_FILE.finditer(event.get("stdout") or "")
                if "/ansible_collections/dockernet/core/" in match.group(1)
            }
        )
        if not used:
            errors.append("no 'Using module file' line for a dockernet.core module in the job's output (run it with -vvv)")
        for path in used:
            where = "" if os.path.realpath(path).startswith(root) else f" NOT under {module_root}"
            print(f"job {ident}:   module file {path}{where}")
            if where:
                errors.append(f"module file {path} is not under {module_root}")
    return errors


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("artifact_dir")
    parser.add_argument("--changed", choices=["some", "none"], required=True)
    parser.add_argument("--module-root")
    args = parser.parse_args()
    errors = check(args.artifact_dir, args.changed, args.module_root)
    for error in errors:
        print(f"job {os.path.basename(args.artifact_dir.rstrip('/'))}: FAILED: {error}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
