# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import pytest
from ansible.errors import AnsibleFilterError
from ansible_collections.dockernet.core.plugins.filter.topology_diagram import FilterModule

NETWORKS = {"networks": [{"Name": "bridge", "Driver": "bridge"}, {"Name": "app", "Driver": "bridge"}]}


def test_the_filter_is_registered_and_renders() -> None:
    topology_diagram = FilterModule().filters()["topology_diagram"]
    assert topology_diagram(NETWORKS, "TB") == 'flowchart TB\n  net_app{{"app<br/>bridge"}}\n'


@pytest.mark.parametrize("flag", [True, "yes", "true"])
def test_booleans_as_ansible_reads_them(flag: object) -> None:
    topology_diagram = FilterModule().filters()["topology_diagram"]
    assert "net_bridge" in topology_diagram(NETWORKS, include_default_networks=flag)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        pytest.param({"direction": "down"}, "direction: 'down'", id="direction"),
        pytest.param({"include_default_networks": "maybe"}, "maybe", id="not-a-boolean"),
    ],
)
def test_errors_are_filter_errors(kwargs: dict, message: str) -> None:
    topology_diagram = FilterModule().filters()["topology_diagram"]
    with pytest.raises(AnsibleFilterError, match="dockernet.core.topology_diagram: .*" + message):
        topology_diagram(NETWORKS, **kwargs)


def test_one_result_per_host_draws_each_host() -> None:
    topology_diagram = FilterModule().filters()["topology_diagram"]
    text = topology_diagram({"docker1": NETWORKS, "docker2": {"networks": []}})
    assert text.startswith('flowchart LR\n  subgraph host_docker1["docker1"]\n    host_docker1_net_app{{"app<br/>bridge"}}\n  end\n')
