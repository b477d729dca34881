# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""community.docker.docker_network options whose meaning differs here, and what to write instead.

Same-meaning spellings (network_name, ipam_driver_options) are plain aliases. MIGRATION_SPEC declares
the others only so that a migrating task fails with the equivalent: AnsibleModule rejects an undeclared
option with a generic "Unsupported parameters" before the module's code runs, and reading the raw
arguments first would bypass its alias and type handling. Plain values in, one ValidationError out.
"""

from __future__ import annotations

import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

MIGRATION_SPEC: t.Dict[str, t.Dict[str, t.Any]] = {
    "connected": {"type": "list", "elements": "raw"},
    "appends": {"type": "bool", "aliases": ["incremental"]},
}


def _containers_advice(connected: t.Optional[t.Sequence[t.Any]], appends: t.Optional[bool], containers: t.Any) -> str:
    """What to write instead of community.docker's connected/appends pair."""
    mode = "append" if appends else "exact"
    if not connected and containers is not None:
        # community.docker's own alias of connected is containers, which this module also takes
        return f"write containers_mode: {mode} next to containers"
    if not connected:
        # community.docker reads a missing or empty connected as "the containers attached now"
        advice = (
            "leave containers out: community.docker reads a missing or empty connected as the containers already "
            "attached and changes none of them, and so does a task without containers here (containers: [] "
            "disconnects every container)"
        )
        if appends is not None:
            advice += f"; with a containers list, containers_mode: {mode} means what appends: {str(appends).lower()} did"
        return advice
    advice = ("with containers_mode: append (containers not listed stay attached)" if appends
              else "(containers_mode: exact, the default, disconnects the containers not listed)")
    return (
        f"write containers: [{', '.join(str(value) for value in connected)}] {advice}; unlike connected, a container that "
        "does not exist fails the task instead of being skipped, and an item may be a dict with endpoint settings "
        "(aliases, ipv4_address, ...) that are then compared"
    )


def migration_problems(params: t.Mapping[str, t.Any]) -> t.List[t.Tuple[str, str]]:
    """(option, what to write instead) for each community.docker option used with another meaning."""
    problems: t.List[t.Tuple[str, str]] = []
    connected, appends = params.get("connected"), params.get("appends")
    given = [name for name, value in (("connected", connected), ("appends", appends)) if value is not None]
    if given:
        problems.append((
            " and ".join(given),
            f"community.docker.docker_network's option{'s' if len(given) > 1 else ''} for the attached containers, "
            "not this module's; " + _containers_advice(connected, appends, params.get("containers")),
        ))
    if params.get("force") and params.get("state", "present") == "present":
        problems.append((
            "force",
            "true with state: present recreates the network on every run in community.docker; here force only "
            "applies to state: absent (disconnect the containers, then remove the network). Write recreate: always "
            "to recreate it on every run (its containers are reconnected with their settings), or leave force out: "
            "a network that differs from the task is recreated anyway (recreate: on_change, the default)",
        ))
    return problems


def check_migration(params: t.Mapping[str, t.Any]) -> None:
    """Fail before anything is sent, with one message for all of them, so a migrated task is fixed in one round."""
    problems = migration_problems(params)
    if problems:
        (field, detail), rest = problems[0], problems[1:]
        raise ValidationError(field, "; ".join([detail] + [f"{other}: {other_detail}" for other, other_detail in rest]))
