# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._topology import TOPOLOGY_LABEL, topology_from_params
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError


def net(name: str, *subnets: str, **extra: t.Any) -> t.Dict[str, t.Any]:
    return {"name": name, "ipam_config": [{"subnet": s} for s in subnets] or None, "enable_ipv6": any(":" in s for s in subnets), **extra}


def test_every_network_carries_the_topology_label() -> None:
    topology = topology_from_params("shop", [net("a", "10.1.0.0/24", labels={"x": "1"}), net("b")], [])
    assert [item.state.labels for item in topology.networks] == [{"x": "1", TOPOLOGY_LABEL: "shop"}, {TOPOLOGY_LABEL: "shop"}]


@pytest.mark.parametrize(
    "networks, attachments, field",
    [
        pytest.param([net("a", "10.1.0.0/24"), net("b", "10.1.0.128/25")], [], "networks[1].ipam_config", id="pools-of-two-networks-overlap"),
        pytest.param([net("a", "fd00:1::/64"), net("b", "fd00:1::/48")], [], "networks[1].ipam_config", id="ipv6-pools-overlap"),
        pytest.param([net("a"), net("a")], [], "networks[1].name", id="declared-twice"),
        pytest.param([net("a", "10.1.0.0/24"), net("b", "10.2.0.0/24", ipam_config=[{"subnet": "10.2.0.0/24", "gateway": "10.3.0.1"}])], [],
                     "networks[1].ipam_config[0].gateway", id="item-error-is-prefixed"),
        pytest.param([net("a")], [{"container": "web", "network": "a"}, {"container": "web", "network": "a"}], "attachments[1]", id="attachment-twice"),
        pytest.param([net("a")], [{"container": "", "network": "a"}], "attachments[0].container", id="empty-container"),
    ],
)
def test_invalid_topologies_name_the_item(networks: t.List[t.Dict[str, t.Any]], attachments: t.List[t.Dict[str, t.Any]], field: str) -> None:
    with pytest.raises(ValidationError) as exc_info:
        topology_from_params("shop", networks, attachments)
    assert exc_info.value.field == field


def test_separate_families_never_overlap() -> None:
    topology = topology_from_params("shop", [net("a", "10.1.0.0/24"), net("b", "10.2.0.0/24", "fd00:2::/64")], [])
    assert len(topology.networks) == 2
