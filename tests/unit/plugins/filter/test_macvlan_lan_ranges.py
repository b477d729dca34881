# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.dockernet.core.plugins.filter.macvlan_lan_ranges import FilterModule


def test_the_filter_is_registered_and_plans() -> None:
    ranges = FilterModule().filters()["macvlan_lan_ranges"]
    claims = {"docker1": {"index": 0, "addresses": {"web": "192.0.2.130"}}, "docker2": {"index": "1"}, "docker3": {"ip_range": "192.0.2.176/28"}}
    assert ranges(claims, "192.0.2.0/24", pool="192.0.2.128/25", prefix="28") == {
        "ranges": {"docker1": "192.0.2.128/28", "docker2": "192.0.2.144/28", "docker3": "192.0.2.176/28"},
        "errors": [],
    }


@pytest.mark.parametrize(
    "claims, kwargs, message",
    [
        pytest.param(["docker1"], {}, "expected a dict of host -> claim, got list", id="not-a-dict"),
        pytest.param({"docker1": 0}, {}, "host docker1: the claim must be a dict, got int", id="claim-not-a-dict"),
        pytest.param({"docker1": {"index": 0}}, {"pool": "10.0.0.0/8"}, "pool 10.0.0.0/8 is outside the subnet", id="pool"),
    ],
)
def test_errors_are_filter_errors(claims: t.Any, kwargs: t.Dict[str, t.Any], message: str) -> None:
    ranges = FilterModule().filters()["macvlan_lan_ranges"]
    with pytest.raises(AnsibleFilterError, match="dockernet.core.macvlan_lan_ranges: " + message):
        ranges(claims, "192.0.2.0/24", **kwargs)
