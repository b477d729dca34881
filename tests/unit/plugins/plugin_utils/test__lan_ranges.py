# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.plugin_utils._lan_ranges import Claim, LanRangeError, claim_from, plan

SUBNET = "192.0.2.0/24"
POOL = "192.0.2.128/25"


def claim(host: str, index: t.Optional[int] = None, ip_range: str = "", **addresses: str) -> Claim:
    return Claim(host=host, index=index, ip_range=ip_range, addresses=addresses)


def test_ranges_by_index_are_blocks_of_the_pool() -> None:
    result = plan([claim("a", 0), claim("b", 1), claim("c", 7)], SUBNET, POOL, 28)
    assert result.errors == []
    assert result.ranges == {"a": "192.0.2.128/28", "b": "192.0.2.144/28", "c": "192.0.2.240/28"}


def test_a_given_range_wins_over_the_index() -> None:
    result = plan([claim("a", 0, "192.0.2.200/29")], SUBNET, POOL, 28)
    assert result.errors == []
    assert result.ranges == {"a": "192.0.2.200/29"}


def test_no_pool_means_the_whole_subnet() -> None:
    assert plan([claim("a", 3)], SUBNET, "", 26).ranges == {"a": "192.0.2.192/26"}


def test_adding_or_removing_a_host_moves_no_other_range() -> None:
    three = plan([claim("a", 0), claim("b", 1), claim("c", 2)], SUBNET, POOL, 28).ranges
    four = plan([claim("a", 0), claim("b", 1), claim("c", 2), claim("d", 3)], SUBNET, POOL, 28).ranges
    two = plan([claim("a", 0), claim("c", 2)], SUBNET, POOL, 28).ranges
    assert {host: four[host] for host in three} == three
    assert {host: three[host] for host in two} == two


@pytest.mark.parametrize(
    "claims, expected",
    [
        pytest.param([claim("a", 1), claim("b", 1)], ["hosts a, b claim the same index 1; give each host its own index"], id="same-index"),
        pytest.param(
            [claim("a", 0), claim("b", ip_range="192.0.2.136/29")],
            ["host a's range 192.0.2.128/28 overlaps host b's range 192.0.2.136/29; give them ranges apart"],
            id="overlap",
        ),
        pytest.param(
            [claim("a", ip_range="198.51.100.0/28")],
            ["host a: ip_range 198.51.100.0/28 is outside the subnet 192.0.2.0/24; give a range inside the pool 192.0.2.128/25"],
            id="outside-subnet",
        ),
        pytest.param(
            [claim("a", ip_range="192.0.2.0/28")],
            ["host a: ip_range 192.0.2.0/28 is outside the pool 192.0.2.128/25; give a range inside it"],
            id="outside-pool",
        ),
        pytest.param(
            [claim("a", 8)],
            [
                "host a: index 8 is outside the pool 192.0.2.128/25, which holds 8 ranges of /28 (indexes 0 to 7); "
                "give a smaller index, a larger pool or a longer prefix"
            ],
            id="index-beyond-pool",
        ),
        pytest.param([claim("a")], ["host a: has neither an ip_range nor an index; give it a unique index from 0 to 7"], id="no-claim"),
        pytest.param(
            [claim("a", ip_range="192.0.2.130/28")], ["host a: ip_range '192.0.2.130/28' is not an IPv4 network in CIDR notation"], id="bad-range"
        ),
    ],
)
def test_range_problems(claims: t.List[Claim], expected: t.List[str]) -> None:
    errors = plan(claims, SUBNET, POOL, 28).errors
    assert len(errors) == len(expected)
    for error, start in zip(errors, expected):
        assert error.startswith(start)


def test_every_problem_is_reported_at_once() -> None:
    errors = plan([claim("a", 1), claim("b", 1), claim("c", 9), claim("d", ip_range="10.0.0.0/28")], SUBNET, POOL, 28).errors
    assert [e.split(":")[0].split(" claim")[0] for e in errors] == ["hosts a, b", "host c", "host d"]


def test_a_static_address_in_another_hosts_range_fails_and_names_the_fix() -> None:
    errors = plan([claim("a", 0, web="192.0.2.150"), claim("b", 1)], SUBNET, POOL, 28).errors
    assert errors == [
        "host a: web has the static address 192.0.2.150, inside host b's range 192.0.2.144/28, where b's Docker may hand it to another "
        "container; give it an address in its own range 192.0.2.128/28 or one outside every host's range"
    ]


@pytest.mark.parametrize("address", ["192.0.2.130", "192.0.2.10", "192.0.2.130/24"], ids=["own-range", "outside-the-pool", "with-prefix"])
def test_static_addresses_in_the_own_range_or_off_every_range_pass(address: str) -> None:
    assert plan([claim("a", 0, web=address), claim("b", 1)], SUBNET, POOL, 28).errors == []


@pytest.mark.parametrize(
    "claims, expected",
    [
        pytest.param([claim("a", 0, web="198.51.100.7")], "host a: web has the address 198.51.100.7, outside the subnet 192.0.2.0/24", id="outside-subnet"),
        pytest.param([claim("a", 0, web="nope")], "host a: web has the address 'nope', which is not an IPv4 address", id="not-an-address"),
        pytest.param(
            [claim("a", 0, shim="192.0.2.10/32"), claim("b", 1, web="192.0.2.10")],
            "address 192.0.2.10 is used by shim on host a and web on host b; give each its own address",
            id="used-twice",
        ),
    ],
)
def test_address_problems(claims: t.List[Claim], expected: str) -> None:
    assert plan(claims, SUBNET, POOL, 28).errors == [expected]


@pytest.mark.parametrize(
    "subnet, pool, prefix, message",
    [
        ("192.0.2.0/33", "", 28, "subnet '192.0.2.0/33' is not an IPv4 network"),
        ("192.0.2.1/24", "", 28, "subnet '192.0.2.1/24' is not an IPv4 network"),
        (SUBNET, "198.51.100.0/25", 28, "pool 198.51.100.0/25 is outside the subnet 192.0.2.0/24"),
        (SUBNET, POOL, 24, r"prefix /24 must be from /25 \(the pool 192.0.2.128/25\) to /32"),
        (SUBNET, POOL, "big", "prefix 'big' is not an integer"),
    ],
)
def test_unusable_lan_settings_raise(subnet: str, pool: str, prefix: t.Any, message: str) -> None:
    with pytest.raises(LanRangeError, match=message):
        plan([claim("a", 0)], subnet, pool, prefix)


@pytest.mark.parametrize(
    "raw, expected",
    [
        ({"index": 2}, claim("h", 2)),
        ({"index": "2"}, claim("h", 2)),
        ({"index": -1, "ip_range": "192.0.2.128/28"}, claim("h", None, "192.0.2.128/28")),
        ({"index": None, "addresses": {"web": "192.0.2.130", "gone": ""}}, claim("h", None, web="192.0.2.130")),
        ({}, claim("h")),
    ],
)
def test_claim_from_plain_values(raw: t.Dict[str, t.Any], expected: Claim) -> None:
    assert claim_from("h", raw) == expected


@pytest.mark.parametrize("raw, message", [({"index": "x"}, "index 'x' is not an integer"), ({"addresses": ["a"]}, "addresses must be a dict")])
def test_claim_from_rejects(raw: t.Dict[str, t.Any], message: str) -> None:
    with pytest.raises(LanRangeError, match=message):
        claim_from("h", raw)
