# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.plugin_utils._diagram import (
    DiagramError,
    aliases_by_endpoint,
    escape_label,
    is_per_host,
    networks_from,
    render,
    render_hosts,
)

WEB_ID = "a1b2c3d4e5f6" + "0" * 52
DB_ID = "0f9e8d7c6b5a" + "1" * 52


def network(name: str, *pools: t.Dict[str, t.Any], containers: t.Optional[t.Dict[str, t.Any]] = None, **extra: t.Any) -> t.Dict[str, t.Any]:
    return {
        "Name": name,
        "Driver": "bridge",
        "Scope": "local",
        "IPAM": {"Driver": "default", "Config": list(pools)},
        "Containers": containers or {},
        **extra,
    }


def endpoint(name: str, ipv4: str = "", ipv6: str = "", **extra: t.Any) -> t.Dict[str, t.Any]:
    return {"Name": name, "IPv4Address": ipv4, "IPv6Address": ipv6, "MacAddress": "02:42:00:00:00:01", **extra}


def inspect(name: str, container_id: str, **aliases: t.List[str]) -> t.Dict[str, t.Any]:
    return {"Id": container_id, "Name": "/" + name, "NetworkSettings": {"Networks": {net: {"Aliases": a} for net, a in aliases.items()}}}


BACKEND = network(
    "backend",
    {"Subnet": "10.41.0.0/24", "Gateway": "10.41.0.1"},
    containers={DB_ID: endpoint("db", "10.41.0.10/24"), WEB_ID: endpoint("web", "10.41.0.2/24")},
    Internal=True,
)
FRONTEND = network("frontend", {"Subnet": "10.40.0.0/24"}, containers={WEB_ID: endpoint("web", "10.40.0.2/24")})


def test_a_two_tier_topology() -> None:
    assert render([FRONTEND, BACKEND], containers=[inspect("db", DB_ID, backend=["database", DB_ID[:12]])]) == (
        "flowchart LR\n"
        '  net_backend{{"backend<br/>bridge, internal<br/>10.41.0.0/24 gw 10.41.0.1"}}\n'
        '  net_frontend{{"frontend<br/>bridge<br/>10.40.0.0/24"}}\n'
        '  ctr_db["db"]\n'
        '  ctr_web["web"]\n'
        '  ctr_db ---|"10.41.0.10/24<br/>alias database"| net_backend\n'
        '  ctr_web ---|"10.41.0.2/24"| net_backend\n'
        '  ctr_web ---|"10.40.0.2/24"| net_frontend\n'
        "  classDef internal stroke-dasharray: 5 5\n"
        "  class net_backend internal\n"
    )


@pytest.mark.parametrize(
    "data",
    [
        pytest.param({"changed": False, "networks": [FRONTEND, BACKEND]}, id="listing-result"),
        pytest.param([BACKEND, FRONTEND], id="network-list-in-any-order"),
        pytest.param((FRONTEND, BACKEND), id="tuple"),
    ],
)
def test_every_input_shape_gives_the_same_text(data: t.Any) -> None:
    assert render(data) == render([FRONTEND, BACKEND])


@pytest.mark.parametrize(
    "data, names",
    [
        pytest.param({"exists": True, "network": BACKEND}, ["backend"], id="lookup-result"),
        pytest.param({"exists": False, "network": None}, [], id="lookup-of-a-missing-network"),
        pytest.param(BACKEND, ["backend"], id="one-network"),
        pytest.param({"networks": None}, [], id="no-networks"),
    ],
)
def test_networks_from(data: t.Any, names: t.List[str]) -> None:
    assert [n["Name"] for n in networks_from(data)] == names


@pytest.mark.parametrize(
    "data, message",
    [
        pytest.param({"msg": "failed"}, "got a dict with keys ['msg']", id="not-a-result"),
        pytest.param([BACKEND, "frontend"], "item 1 of the network list", id="list-of-names"),
        pytest.param("backend", "got str", id="a-string"),
    ],
)
def test_wrong_input_says_what_was_expected(data: t.Any, message: str) -> None:
    with pytest.raises(DiagramError, match="expected|item") as exc_info:
        render(data)
    assert message in str(exc_info.value)


def test_default_networks_are_hidden_unless_asked_for() -> None:
    builtin = [network(name, containers={WEB_ID: endpoint("web")}) for name in ("bridge", "host", "none", "ingress", "docker_gwbridge")]
    assert render(builtin + [FRONTEND]) == render([FRONTEND])
    shown = render(builtin + [FRONTEND], include_default_networks=True)
    assert all(f"net_{name}{{{{" in shown for name in ("bridge", "host", "none", "ingress", "docker_gwbridge", "frontend"))
    assert "  ctr_web --- net_host\n" in shown


def test_empty_topology_is_still_a_flowchart() -> None:
    assert render([], direction="TB") == "flowchart TB\n  %% no networks\n"


@pytest.mark.parametrize("direction", ["LR", "RL", "TB", "TD", "BT"])
def test_directions(direction: str) -> None:
    assert render([FRONTEND], direction=direction).startswith(f"flowchart {direction}\n")


def test_unknown_direction_names_the_choices() -> None:
    with pytest.raises(DiagramError, match="direction: 'up' is not a Mermaid flowchart direction; use one of LR, RL, TB, TD, BT"):
        render([FRONTEND], direction="up")


def test_dual_stack_pools_ipv4_first_and_both_addresses_on_the_edge() -> None:
    net = network(
        "app6",
        {"Subnet": "fd00:88::/64", "Gateway": "fd00:88::1"},
        {"Subnet": "10.88.0.0/24", "Gateway": "10.88.0.1"},
        containers={WEB_ID: endpoint("web", "10.88.0.10/24", "fd00:88::10/64")},
        EnableIPv6=True,
    )
    assert render(net).splitlines()[1:4] == [
        '  net_app6{{"app6<br/>bridge, IPv6<br/>10.88.0.0/24 gw 10.88.0.1<br/>fd00:88::/64 gw fd00:88::1"}}',
        '  ctr_web["web"]',
        '  ctr_web ---|"10.88.0.10/24<br/>fd00:88::10/64"| net_app6',
    ]


def test_macvlan_parent_mode_range_and_aux_addresses() -> None:
    net = network(
        "lan",
        {"Subnet": "192.0.2.0/24", "Gateway": "192.0.2.1", "IPRange": "192.0.2.128/25", "AuxiliaryAddresses": {"shim": "192.0.2.250", "a": "192.0.2.251"}},
        Driver="macvlan",
        Options={"parent": "eth0", "macvlan_mode": "bridge"},
    )
    assert render(net).splitlines()[1] == (
        '  net_lan{{"lan<br/>macvlan<br/>parent eth0 mode bridge<br/>192.0.2.0/24 gw 192.0.2.1 range 192.0.2.128/25 aux a=192.0.2.251, shim=192.0.2.250"}}'
    )


def test_overlay_flags_and_the_load_balancer_endpoint_is_left_out() -> None:
    net = network(
        "app_overlay",
        {"Subnet": "10.70.0.0/24", "Gateway": "10.70.0.1"},
        Driver="overlay",
        Scope="swarm",
        Attachable=True,
        Options={"encrypted": "", "com.docker.network.driver.overlay.vxlanid_list": "4097"},
        containers={"lb-app_overlay": endpoint("app_overlay-endpoint", "10.70.0.4/24"), WEB_ID: endpoint("web", "10.70.0.2/24")},
    )
    text = render(net)
    assert '"app_overlay<br/>overlay, swarm, attachable, encrypted<br/>10.70.0.0/24 gw 10.70.0.1"' in text
    assert "endpoint" not in text.replace("app_overlay-endpoint", "")
    assert "app_overlay-endpoint" not in text


def test_aliases_from_a_uri_loop_and_from_the_network_itself() -> None:
    uri_loop = {"results": [{"item": "web", "json": inspect("web", WEB_ID, frontend=["www", "site", WEB_ID[:12]])}]}
    assert aliases_by_endpoint(uri_loop) == {("web", "frontend"): ("site", "www")}
    info_loop = {"results": [{"container": inspect("web", WEB_ID, frontend=None)}]}
    assert aliases_by_endpoint(info_loop) == {("web", "frontend"): ()}
    with_aliases = network("frontend", containers={WEB_ID: endpoint("web", "10.40.0.2/24", Aliases=["www", WEB_ID[:12]])})
    assert '  ctr_web ---|"10.40.0.2/24<br/>alias www"| net_frontend\n' in render(with_aliases)
    assert '|"10.40.0.2/24<br/>aliases site, www"|' in render(FRONTEND, containers=uri_loop)


def test_a_twelve_character_alias_that_is_not_the_id_stays() -> None:
    assert aliases_by_endpoint([inspect("web", WEB_ID, frontend=["deadbeef0000", "abc"])]) == {("web", "frontend"): ("abc", "deadbeef0000")}


@pytest.mark.parametrize(
    "containers, message",
    [
        pytest.param("web", "containers: expected a list", id="a-string"),
        pytest.param([{"Name": "/web"}], "containers[0] is not a container inspect result", id="no-network-settings"),
    ],
)
def test_wrong_containers_input(containers: t.Any, message: str) -> None:
    with pytest.raises(DiagramError) as exc_info:
        render([FRONTEND], containers=containers)
    assert message in str(exc_info.value)


@pytest.mark.parametrize(
    "text, escaped",
    [
        pytest.param('say "hi"', "say #quot;hi#quot;", id="quotes"),
        pytest.param("a<b>&c", "a#lt;b#gt;#amp;c", id="html"),
        pytest.param("#1|`x`", "#35;1#124;#96;x#96;", id="hash-first-pipe-backtick"),
        pytest.param("two\nlines\t here", "two lines here", id="whitespace"),
        pytest.param("end", "end", id="keyword-in-a-label-is-fine"),
    ],
)
def test_escape_label(text: str, escaped: str) -> None:
    assert escape_label(text) == escaped


def test_names_mermaid_would_choke_on_get_safe_unique_ids() -> None:
    nets = [
        network("a-b", containers={WEB_ID: endpoint('we"b')}),
        network("a.b", containers={DB_ID: endpoint("end")}),
        network("end"),
    ]
    text = render(nets)
    assert 'net_a_b{{"a-b<br/>bridge"}}' in text
    assert 'net_a_b_2{{"a.b<br/>bridge"}}' in text
    assert 'net_end{{"end<br/>bridge"}}' in text
    assert 'ctr_we_b["we#quot;b"]' in text
    assert "  ctr_end --- net_a_b_2\n" in text


def test_a_container_on_two_networks_is_one_node() -> None:
    assert render([FRONTEND, BACKEND]).count('ctr_web["web"]') == 1


def lan(host: str, ip_range: str, container: str, address: str, parent: str = "eth0") -> t.Dict[str, t.Any]:
    return network(
        "lan",
        {"Subnet": "192.0.2.0/24", "Gateway": "192.0.2.1", "IPRange": ip_range},
        containers={"m" + host: endpoint(container, address)},
        Id="macvlan-" + host,
        Driver="macvlan",
        Options={"parent": parent, "macvlan_mode": "bridge"},
    )


def overlay(container: str, address: str) -> t.Dict[str, t.Any]:
    return network(
        "ov",
        {"Subnet": "10.0.9.0/24", "Gateway": "10.0.9.1"},
        containers={"o" + container: endpoint(container, address), "lb-ov": endpoint("ov-endpoint", "10.0.9.99/24")},
        Id="swarm-ov",
        Driver="overlay",
        Scope="swarm",
    )


HOSTS = {
    "docker2": {"networks": [lan("2", "192.0.2.144/28", "web", "192.0.2.145/24"), overlay("web", "10.0.9.3/24")]},
    "docker1": {
        "networks": [
            lan("1", "192.0.2.128/28", "web", "192.0.2.129/24"),
            overlay("web", "10.0.9.2/24"),
            network("app", {"Subnet": "10.1.0.0/24"}, containers={"w": endpoint("web", "10.1.0.2/24")}, Internal=True),
            network("bridge"),
        ]
    },
}


def draw(data: t.Any, **kwargs: t.Any) -> str:
    """The filter's choice: one result per host, or one result."""
    return render_hosts(data, **kwargs) if is_per_host(data) else render(data, **kwargs)


def test_several_hosts_in_one_diagram_shared_networks_drawn_once() -> None:
    assert draw(HOSTS) == (
        "flowchart LR\n"
        '  subgraph host_docker1["docker1"]\n'
        '    host_docker1_net_app{{"app<br/>bridge, internal<br/>10.1.0.0/24"}}\n'
        '    host_docker1_ctr_web["web"]\n'
        "  end\n"
        '  subgraph host_docker2["docker2"]\n'
        '    host_docker2_ctr_web["web"]\n'
        "  end\n"
        '  net_lan{{"lan<br/>macvlan<br/>parent eth0 mode bridge<br/>192.0.2.0/24 gw 192.0.2.1<br/>'
        'docker1 range 192.0.2.128/28<br/>docker2 range 192.0.2.144/28"}}\n'
        '  net_ov{{"ov<br/>overlay, swarm<br/>10.0.9.0/24 gw 10.0.9.1"}}\n'
        '  host_docker1_ctr_web ---|"10.1.0.2/24"| host_docker1_net_app\n'
        '  host_docker1_ctr_web ---|"192.0.2.129/24"| net_lan\n'
        '  host_docker1_ctr_web ---|"10.0.9.2/24"| net_ov\n'
        '  host_docker2_ctr_web ---|"192.0.2.145/24"| net_lan\n'
        '  host_docker2_ctr_web ---|"10.0.9.3/24"| net_ov\n'
        "  classDef internal stroke-dasharray: 5 5\n"
        "  class host_docker1_net_app internal\n"
    )


def test_a_network_of_one_host_only_stays_in_that_host() -> None:
    text = draw({"docker1": {"networks": [lan("1", "192.0.2.128/28", "a", "192.0.2.129/24")]}, "docker2": {"networks": []}})
    assert '  subgraph host_docker1["docker1"]\n    host_docker1_net_lan{{' in text
    assert "range 192.0.2.128/28" in text
    assert '  subgraph host_docker2["docker2"]\n    %% no networks\n  end\n' in text


def test_macvlan_networks_on_other_parents_or_subnets_are_not_shared() -> None:
    text = draw({"docker1": {"networks": [lan("1", "", "a", "192.0.2.9/24")]}, "docker2": {"networks": [lan("2", "", "b", "192.0.2.10/24", parent="eth1")]}})
    assert "host_docker1_net_lan" in text and "host_docker2_net_lan" in text
    assert "  net_lan" not in text


def test_two_shared_networks_with_one_name_get_their_own_nodes() -> None:
    eth1 = {
        "docker1": {"networks": [lan("1", "", "a", "192.0.2.9/24", parent="eth1")]},
        "docker2": {"networks": [lan("2", "", "b", "192.0.2.10/24", parent="eth1")]},
    }
    both = {host: {"networks": HOSTS[host]["networks"][:1] + eth1[host]["networks"]} for host in eth1}
    text = draw(both)
    assert "  net_lan{{" in text and "  net_lan_2{{" in text


def test_aliases_per_host_and_the_default_networks() -> None:
    containers = {"docker1": [inspect("web", WEB_ID, ov=["www"])]}
    text = draw(HOSTS, containers=containers, include_default_networks=True, direction="TB")
    assert text.startswith("flowchart TB\n")
    assert '  host_docker1_ctr_web ---|"10.0.9.2/24<br/>alias www"| net_ov\n' in text
    assert '  host_docker2_ctr_web ---|"10.0.9.3/24"| net_ov\n' in text
    assert "host_docker1_net_bridge{{" in text


@pytest.mark.parametrize(
    "data, expected",
    [
        pytest.param(HOSTS, True, id="hosts"),
        pytest.param({"networks": []}, False, id="one-result"),
        pytest.param({"Name": "app"}, False, id="one-network"),
        pytest.param({}, False, id="empty"),
        pytest.param({"docker1": {"networks": []}, "docker2": {"Name": "app"}}, False, id="mixed"),
    ],
)
def test_is_per_host(data: t.Any, expected: bool) -> None:
    assert is_per_host(data) is expected


@pytest.mark.parametrize(
    "data, kwargs, message",
    [
        pytest.param({"docker1": {"networks": [1]}}, {}, "host docker1: item 0 of the network list", id="bad-network"),
        pytest.param(HOSTS, {"containers": []}, "containers: with one network_info result per host, expected a dict", id="containers-list"),
        pytest.param(HOSTS, {"containers": {"docker1": [{}]}}, r"host docker1: containers\[0\] is not a container inspect result", id="bad-container"),
        pytest.param(HOSTS, {"direction": "up"}, "direction: 'up'", id="direction"),
    ],
)
def test_render_hosts_errors(data: t.Any, kwargs: t.Dict[str, t.Any], message: str) -> None:
    with pytest.raises(DiagramError, match=message):
        render_hosts(data, **kwargs)
