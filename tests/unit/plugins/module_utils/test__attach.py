# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How a disconnect names the network: by ID for a running container, by name for a stopped one."""

from __future__ import annotations

import typing as t

import pytest

from ansible_collections.dockernet.core.plugins.module_utils._attach import network_ref
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import AttachmentRequest, ensure_disconnected

NETWORK = {"Id": "f00d" * 16, "Name": "web"}


@pytest.mark.parametrize("running, expected", [(True, "f00d" * 16), (False, "web")])
def test_network_ref(running: bool, expected: str) -> None:
    assert network_ref(NETWORK, running) == expected


def test_stopped_container_is_disconnected_by_network_name(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    daemon.attach(container, network, [])
    container["State"]["Running"] = False
    ensure_disconnected(daemon, AttachmentRequest(container="app", network="web", state="disconnected"), False)
    assert "POST /networks/web/disconnect" in daemon.calls
    assert "web" not in container["NetworkSettings"]["Networks"]
