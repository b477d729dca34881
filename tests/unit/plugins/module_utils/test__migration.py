# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests of the community.docker migration checks: which options fail, and what they advise."""

from __future__ import annotations

import typing as t

import pytest
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.dockernet.core.plugins.module_utils._argspec import NETWORK_SPEC, spec
from ansible_collections.dockernet.core.plugins.module_utils._migration import MIGRATION_SPEC, check_migration, migration_problems
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

BASE: t.Dict[str, t.Any] = {"state": "present", "force": False, "connected": None, "appends": None, "containers": None}


def params(**overrides: t.Any) -> t.Dict[str, t.Any]:
    return {**BASE, **overrides}


@pytest.mark.parametrize(
    "given",
    [
        pytest.param({}, id="nothing-from-community-docker"),
        pytest.param({"force": True, "state": "absent"}, id="force-with-absent"),
        pytest.param({"force": False}, id="force-false-with-present"),
        pytest.param({"containers": ["web"]}, id="containers-alone"),
    ],
)
def test_accepted(given: t.Dict[str, t.Any]) -> None:
    assert migration_problems(params(**given)) == []
    check_migration(params(**given))


# options given, the fields the error names, fragments its message must hold, fragments it must not hold
REFUSED = [
    pytest.param({"connected": ["web", "db"]}, "connected",
                 ["containers: [web, db]", "containers_mode: exact", "does not exist fails"], ["append"], id="connected"),
    pytest.param({"connected": ["web"], "appends": True}, "connected and appends",
                 ["containers: [web]", "containers_mode: append"], ["containers_mode: exact"], id="connected-appends"),
    pytest.param({"connected": ["web"], "appends": False}, "connected and appends",
                 ["containers: [web]", "containers_mode: exact"], ["containers_mode: append"], id="connected-appends-false"),
    pytest.param({"connected": []}, "connected",
                 ["leave containers out", "containers: [] disconnects every container"], ["containers_mode"], id="connected-empty"),
    pytest.param({"appends": True}, "appends",
                 ["leave containers out", "containers_mode: append means what appends: true did"], [], id="appends-alone"),
    pytest.param({"appends": False}, "appends",
                 ["containers_mode: exact means what appends: false did"], [], id="appends-false-alone"),
    pytest.param({"appends": True, "containers": ["web"]}, "appends",
                 ["write containers_mode: append next to containers"], ["leave containers out"], id="appends-with-containers"),
    pytest.param({"force": True}, "force",
                 ["true with state: present", "recreate: always", "recreate: on_change", "state: absent"], [], id="force-present"),
    pytest.param({"connected": ["web"], "force": True}, "connected",
                 ["containers: [web]", "; force: true with state: present", "recreate: always"], [], id="all-in-one-message"),
]


@pytest.mark.parametrize("given, field, fragments, absent_fragments", REFUSED)
def test_refused_with_the_equivalent(given: t.Dict[str, t.Any], field: str, fragments: t.List[str], absent_fragments: t.List[str]) -> None:
    with pytest.raises(ValidationError) as caught:
        check_migration(params(**given))
    assert caught.value.field == field
    message = str(caught.value)
    assert message.startswith(f"{field}: ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message
    for fragment in absent_fragments:
        assert fragment not in message


def test_every_problem_is_reported() -> None:
    problems = migration_problems(params(connected=["web"], appends=True, force=True))
    assert [field for field, _detail in problems] == ["connected and appends", "force"]


@pytest.mark.parametrize(
    "task, option, value",
    [
        pytest.param({"network_name": "backend"}, "name", "backend", id="network_name"),
        pytest.param({"name": "backend", "ipam_driver_options": {"foo": "bar"}}, "ipam_options", {"foo": "bar"}, id="ipam_driver_options"),
        pytest.param({"name": "backend", "incremental": True}, "appends", True, id="incremental"),
    ],
)
def test_community_docker_spellings_reach_the_option(task: t.Dict[str, t.Any], option: str, value: t.Any) -> None:
    validator = ArgumentSpecValidator(spec(NETWORK_SPEC, MIGRATION_SPEC))
    outcome = validator.validate(task)
    assert outcome.error_messages == []
    assert outcome.validated_parameters[option] == value


def test_migration_options_have_no_default() -> None:
    # "not given" must stay None: appends: false is refused too, and only when written
    validated = ArgumentSpecValidator(spec(NETWORK_SPEC, MIGRATION_SPEC)).validate({"name": "backend"}).validated_parameters
    assert validated["connected"] is None
    assert validated["appends"] is None
