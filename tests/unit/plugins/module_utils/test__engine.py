# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Unit tests for engine identification and the per-engine capability table."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import podman_endpoint_gaps
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import ENDPOINT_FIELDS, Endpoint, desired_endpoint
from ansible_collections.dockernet.core.plugins.module_utils._engine import (
    Engine,
    identify,
    podman_network_gaps,
    refuse_gaps,
    require_network_support,
)
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

# GET /version of Podman 4.3.1 (Debian 12) and of Docker 20.10 (Debian's docker.io), as captured.
PODMAN_VERSION: t.Dict[str, t.Any] = {
    "Platform": {"Name": "linux/amd64/debian-12"},
    "Components": [
        {"Name": "Podman Engine", "Version": "4.3.1", "Details": {"APIVersion": "4.3.1", "MinAPIVersion": "4.0.0", "Os": "linux"}},
        {"Name": "Conmon", "Version": "conmon version 2.1.6, commit: unknown", "Details": {"Package": "conmon_2.1.6+ds1-1_amd64"}},
        {"Name": "OCI Runtime (runc)", "Version": "runc version 1.1.5+ds1", "Details": {"Package": "runc_1.1.5+ds1-1+deb12u1_amd64"}},
    ],
    "Version": "4.3.1",
    "ApiVersion": "1.41",
    "MinAPIVersion": "1.24",
    "Os": "linux",
}
DOCKER_VERSION: t.Dict[str, t.Any] = {
    "Platform": {"Name": ""},
    "Components": [{"Name": "Engine", "Version": "20.10.24+dfsg1"}, {"Name": "containerd"}, {"Name": "runc"}, {"Name": "docker-init"}],
    "Version": "20.10.24+dfsg1",
    "ApiVersion": "1.41",
}
PODMAN = Engine("Podman", "4.3.1")
DOCKER = Engine("Docker Engine", "20.10.24+dfsg1")
HOST = "unix:///run/podman/podman.sock"


@pytest.mark.parametrize(
    "version, expected",
    [
        pytest.param(PODMAN_VERSION, PODMAN, id="podman"),
        pytest.param(DOCKER_VERSION, DOCKER, id="docker"),
        pytest.param({"Platform": {"Name": "Docker Engine - Community"}, "Version": "27.3.1"},
                     Engine("Docker Engine", "27.3.1"), id="docker-ce-without-components"),
        pytest.param({}, Engine("Docker Engine", "unknown"), id="empty-answer"),
    ],
)
def test_identify(version: t.Dict[str, t.Any], expected: Engine) -> None:
    assert identify(version) == expected


def test_engine_names() -> None:
    assert PODMAN.flavour == "podman" and PODMAN.describe() == "Podman 4.3.1"
    assert DOCKER.flavour == "docker" and DOCKER.describe() == "Docker Engine 20.10.24+dfsg1"


def network(**params: t.Any) -> t.Any:
    return desired_from_params({"name": "backend", **params})


@pytest.mark.parametrize(
    "params, option, value",
    [
        pytest.param({"scope": "swarm"}, "scope", "swarm", id="scope-swarm"),
        pytest.param({"scope": "global"}, "scope", "global", id="scope-global"),
        pytest.param({"driver": "overlay"}, "driver", "overlay", id="overlay"),
        pytest.param({"driver": "ipvlan"}, "driver", "ipvlan", id="ipvlan"),
        pytest.param({"ingress": True}, "ingress", "true", id="ingress"),
        pytest.param({"attachable": True}, "attachable", "true", id="attachable"),
        pytest.param({"config_only": True, "ipam_config": [{"subnet": "10.1.0.0/24"}]}, "config_only", "true", id="config-only"),
        pytest.param({"config_from": "template"}, "config_from", "template", id="config-from"),
        pytest.param({"ipam_driver": "null"}, "ipam_driver", "null", id="ipam-driver"),
        pytest.param({"ipam_options": {"color": "blue"}}, "ipam_options.color", "'blue'", id="ipam-options"),
        pytest.param({"ipam_config": [{"subnet": "10.1.0.0/24", "ip_range": "10.1.0.128/25"}]},
                     "ipam_config[10.1.0.0/24].ip_range", "10.1.0.128/25", id="ip-range"),
        pytest.param({"ipam_config": [{"subnet": "10.1.0.0/24", "aux_addresses": {"r": "10.1.0.2"}}]},
                     "ipam_config[10.1.0.0/24].aux_addresses", "{'r': '10.1.0.2'}", id="aux-addresses"),
        pytest.param({"driver": "macvlan", "driver_options": {"parent": "eth0"}}, "driver_options.parent", "'eth0'", id="macvlan-parent"),
        pytest.param({"driver_options": {"com.docker.network.bridge.enable_icc": "false"}},
                     "driver_options.com.docker.network.bridge.enable_icc", "'false'", id="bridge-option"),
    ],
)
def test_podman_network_gaps(params: t.Dict[str, t.Any], option: str, value: str) -> None:
    desired = network(**params)
    assert [(g.option, g.value) for g in podman_network_gaps(desired)][:1] == [(option, value)]
    require_network_support(desired, lambda: DOCKER_VERSION, HOST)  # Docker honours it


@pytest.mark.parametrize(
    "params",
    [
        pytest.param({}, id="defaults"),
        pytest.param({"scope": "local", "driver": "bridge", "internal": True, "attachable": False, "enable_ipv6": True,
                      "ipam_config": [{"subnet": "10.1.0.0/24", "gateway": "10.1.0.1"}, {"subnet": "fd00:1::/64"}],
                      "labels": {"a": "b"}}, id="bridge-with-pools"),
        pytest.param({"driver_options": {"com.docker.network.driver.mtu": "1400"}}, id="docker-mtu"),
        pytest.param({"driver_options": {"mtu": "1400"}}, id="podman-mtu"),
        pytest.param({"ipam_driver": "default", "ipam_options": {"driver": "host-local"}}, id="podman-own-ipam"),
        pytest.param({"driver": "macvlan"}, id="macvlan-without-parent"),
    ],
)
def test_what_podman_honours(params: t.Dict[str, t.Any]) -> None:
    desired = network(**params)
    assert podman_network_gaps(desired) == []


def test_network_message_names_engine_option_and_fix() -> None:
    with pytest.raises(ValidationError) as caught:
        require_network_support(network(scope="swarm"), lambda: PODMAN_VERSION, HOST)
    assert str(caught.value).startswith(f"scope: swarm is not supported by Podman 4.3.1 (the engine at {HOST}); ")
    assert caught.value.field == "scope"
    assert "Leave scope out" in str(caught.value)


def test_version_is_asked_only_when_it_matters() -> None:
    asked: t.List[bool] = []

    def version() -> t.Dict[str, t.Any]:
        asked.append(True)
        return PODMAN_VERSION

    require_network_support(network(internal=True, ipam_config=[{"subnet": "10.1.0.0/24"}]), version, HOST)
    refuse_gaps(podman_endpoint_gaps(desired_endpoint({"aliases": ["web"], "ipv4_address": "10.1.0.5"})), version, HOST)
    assert asked == []
    require_network_support(network(attachable=True), lambda: DOCKER_VERSION, HOST)  # Docker honours it


@pytest.mark.parametrize(
    "params, option",
    [
        pytest.param({"links": ["db:database"]}, "links", id="links"),
        pytest.param({"link_local_ips": ["169.254.1.1"]}, "link_local_ips", id="link-local"),
        pytest.param({"driver_opts": {"a": "1"}}, "driver_opts", id="driver-opts"),
    ],
)
def test_podman_endpoint_gaps(params: t.Dict[str, t.Any], option: str) -> None:
    endpoint = desired_endpoint(params)
    assert [g.option for g in podman_endpoint_gaps(endpoint)] == [option]
    refuse_gaps(podman_endpoint_gaps(endpoint), lambda: DOCKER_VERSION, HOST)  # Docker honours it
    with pytest.raises(ValidationError, match=f"^{option}: .* is not supported by Podman 4.3.1"):
        refuse_gaps(podman_endpoint_gaps(endpoint), lambda: PODMAN_VERSION, HOST)


def test_endpoint_without_gaps() -> None:
    endpoint = Endpoint(aliases=("web",), ipv4_address="10.1.0.5", links=(), link_local_ips=(), driver_opts={})
    assert podman_endpoint_gaps(endpoint) == []


def test_the_endpoint_table_names_engines_by_flavour() -> None:
    assert {flavour for spec in ENDPOINT_FIELDS for flavour, _reason, _fix in spec.lacking} == {PODMAN.flavour}
    assert {DOCKER.flavour, PODMAN.flavour} == {"docker", "podman"}
