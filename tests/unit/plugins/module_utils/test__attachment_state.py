# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The MAC address a reconnect of one endpoint does not keep, reported and predicted."""

from __future__ import annotations

import copy
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import (
    AttachmentRequest,
    member_requests,
    plan_connect,
)
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

T = t.TypeVar("T")

# What the fake daemon gives every endpoint it connects.
FAKE_MAC = "02:42:ac:11:00:02"
RANDOM_MAC = "6a:1f:3c:88:02:d1"


def applied(daemon: t.Any, result: T) -> T:
    """A real run: the plan applied to the daemon."""
    apply(daemon, [result.plan])  # type: ignore[attr-defined]
    return result


def _attached(daemon: t.Any, mac: str, running: bool = True) -> t.Dict[str, t.Any]:
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    container["State"]["Running"] = running
    daemon.attach(container, network, ["old"])
    container["NetworkSettings"]["Networks"]["web"]["MacAddress"] = mac
    return container


@pytest.mark.parametrize(("running", "reported", "expected"), [
    (False, RANDOM_MAC, None),  # a stopped container has no MAC address to lose
    (True, FAKE_MAC, None),
    (True, RANDOM_MAC.upper(), {"old": FAKE_MAC, "new": RANDOM_MAC}),
    (True, None, {"old": FAKE_MAC, "new": None}),  # read back off the network
])
def test_settle_reports_a_mac_address_the_reconnect_did_not_keep(
    daemon: t.Any, running: bool, reported: t.Optional[str], expected: t.Optional[t.Dict[str, t.Any]],
) -> None:
    _attached(daemon, FAKE_MAC, running=running)

    def read_back(client: t.Any, container_id: str) -> t.Dict[str, t.Any]:
        container = copy.deepcopy(daemon.containers[container_id])
        networks = container["NetworkSettings"]["Networks"]
        if reported is None:
            networks.clear()
        else:
            networks["web"]["MacAddress"] = reported
        return container

    request = AttachmentRequest("app", "web", endpoint=Endpoint(aliases=("new",)))
    result = applied(daemon, plan_connect(daemon, request, read_back=read_back))
    assert (result.attachment is None) == (reported is None)
    assert (result.attachment or {}).get("mac_address") == reported
    assert result.changed_mac_address == expected
    assert result.as_dict()["changed_mac_address"] == expected


def test_a_reconnect_that_gets_another_mac_address_reports_both(daemon: t.Any) -> None:
    _attached(daemon, RANDOM_MAC)
    result = applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=("new",)))))
    assert result.changed
    assert result.changed_mac_address == {"old": RANDOM_MAC, "new": FAKE_MAC}


def test_a_reconnect_that_keeps_the_mac_address_reports_none(daemon: t.Any) -> None:
    _attached(daemon, FAKE_MAC)
    result = applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=("new",)))))
    assert result.changed
    assert result.changed_mac_address is None


def test_check_mode_predicts_the_loss_of_a_mac_address_not_derived_from_the_kept_ipv4_address(daemon: t.Any) -> None:
    _attached(daemon, RANDOM_MAC)
    calls = len(daemon.calls)
    result = plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=("new",))))
    assert result.changed_mac_address == {"old": RANDOM_MAC, "new": None}
    assert not [c for c in daemon.calls[calls:] if not c.startswith("GET ")]


def test_check_mode_predicts_no_loss_for_a_mac_address_derived_from_a_static_ipv4_address(daemon: t.Any) -> None:
    _attached(daemon, "02:42:0a:01:00:0a")
    request = AttachmentRequest("app", "web", endpoint=Endpoint(aliases=("new",), ipv4_address="10.1.0.10"))
    assert plan_connect(daemon, request).changed_mac_address is None


@pytest.mark.parametrize(("running", "endpoint"), [
    (False, Endpoint(aliases=("new",))),
    (True, Endpoint(aliases=("new",), mac_address="02:00:00:00:00:01")),
])
def test_a_stopped_container_or_an_asked_mac_address_is_no_loss(daemon: t.Any, running: bool, endpoint: Endpoint) -> None:
    _attached(daemon, RANDOM_MAC, running=running)
    assert plan_connect(daemon, AttachmentRequest("app", "web", endpoint=endpoint)).changed_mac_address is None
    assert applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=endpoint))).changed_mac_address is None


def test_connecting_a_missing_container_names_the_field(daemon: t.Any) -> None:
    daemon.add_network("web", "10.1.0.0/24")
    with pytest.raises(ValidationError) as error:
        plan_connect(daemon, AttachmentRequest("ghost", "web"))
    assert error.value.field == "container"
    assert "no container named 'ghost' (names and full IDs only); create it first or fix the name" in str(error.value)


@pytest.mark.parametrize("key", ["aliases", "links", "link_local_ips"])
def test_a_list_setting_of_a_listed_container_must_be_a_list(key: str) -> None:
    with pytest.raises(ValidationError) as error:
        member_requests("web", ["db", {"name": "app", key: "x"}])
    assert error.value.field == f"containers[1].{key}"
    assert "'x' is not a list; write it as a YAML list" in str(error.value)
