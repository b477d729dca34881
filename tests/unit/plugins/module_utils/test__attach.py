# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How a disconnect names the network: by ID for a running container, by name for a stopped one (a removal, a disconnect, a reconnect)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attach import network_ref
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import AttachmentRequest, plan_connect, plan_disconnect
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply

NETWORK = {"Id": "f00d" * 16, "Name": "web"}


@pytest.mark.parametrize("running, expected", [(True, "f00d" * 16), (False, "web")])
def test_network_ref(running: bool, expected: str) -> None:
    assert network_ref(NETWORK, running) == expected


def test_stopped_container_is_disconnected_by_network_name(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    daemon.attach(container, network, [])
    container["State"]["Running"] = False
    result = plan_disconnect(daemon, AttachmentRequest(container="app", network="web", state="disconnected"))
    assert [step.path for step in result.plan.steps] == ["/networks/web/disconnect"]
    apply(daemon, [result.plan])
    assert "POST /networks/web/disconnect" in daemon.calls
    assert "web" not in container["NetworkSettings"]["Networks"]


def test_removal_takes_a_stopped_container_off_by_network_name(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    running, stopped = daemon.add_container("up"), daemon.add_container("down")
    daemon.attach(running, network, [])
    daemon.attach(stopped, network, [])
    stopped["State"]["Running"] = False
    result = plan_absent(daemon, "web", force=True)
    assert [step.path for step in result.plan.steps] == [
        "/networks/web/disconnect", f"/networks/{network['Id']}/disconnect", f"/networks/{network['Id']}",
    ]


def test_reconnect_takes_a_stopped_container_off_by_network_name(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    daemon.attach(container, network, ["old"])
    container["State"]["Running"] = False
    result = plan_connect(daemon, AttachmentRequest(container="app", network="web", endpoint=Endpoint(aliases=("new",)), purge_aliases=True))
    assert [step.path for step in result.plan.steps] == ["/networks/web/disconnect", f"/networks/{network['Id']}/connect"]
    apply(daemon, [result.plan])
    assert "new" in container["NetworkSettings"]["Networks"]["web"]["Aliases"]
