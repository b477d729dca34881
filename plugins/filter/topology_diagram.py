# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError
from ansible.module_utils.parsing.convert_bool import boolean
from ansible_collections.dockernet.core.plugins.plugin_utils._diagram import DiagramError, is_per_host, render, render_hosts

DOCUMENTATION = r"""
name: topology_diagram
short_description: Draw Docker networks and their containers as a Mermaid flowchart
version_added: 0.1.0
author:
  - dockernet.core maintainers (@dockernet)
description:
  - Turns what M(dockernet.core.network_info) returns into the text of a Mermaid C(flowchart),
    ready for a C(```mermaid) block in Markdown.
  - Each network is a hexagon labelled with its name, its driver and flags (C(internal),
    C(attachable), C(encrypted), C(IPv6), C(swarm)), the parent and mode of C(macvlan) and C(ipvlan)
    networks, and every pool, IPv4 first, then IPv6, with its gateway, range and auxiliary addresses.
    Internal networks are drawn dashed.
  - Each container is a box, drawn once however many networks it is on; each of its endpoints is an
    edge to the network, labelled with its addresses there and its aliases there.
  - Networks and containers are sorted by name and node IDs are derived from the names, so the same
    networks always give the same text. Names are escaped, so any name Docker accepts is safe.
  - The Engine API does not report aliases in a network's inspect result; pass container inspect
    results in O(containers) to show them.
  - Several hosts in one picture, from a dict of host name to that host's M(dockernet.core.network_info) result
    (as built from C(hostvars)); see the examples. Each host is a subgraph holding its local networks and
    its containers. A network that several hosts share is drawn once outside the hosts and every member's
    edge goes to it; shared are swarm networks (one ID on every host) and C(macvlan), C(ipvlan) or C(overlay)
    networks with the same name, parent and subnets, whose label lists each host's C(ip_range).
positional: direction
options:
  _input:
    description:
      - A registered M(dockernet.core.network_info) result (listing with RV(dockernet.core.network_info#module:networks)
        or looking up one RV(dockernet.core.network_info#module:network)), its C(networks) list, or one network's
        inspect result.
      - Or a dict of host name to such a result, for a diagram of several hosts.
    type: raw
    required: true
  direction:
    description:
      - Direction of the flowchart.
    type: str
    default: LR
    choices: [LR, RL, TB, TD, BT]
  include_default_networks:
    description:
      - Also draw the networks every engine has by itself, C(bridge), C(host), C(none), and in a
        swarm C(ingress) and C(docker_gwbridge).
    type: bool
    default: false
  containers:
    description:
      - Container inspect results, to show each endpoint's aliases (the short container ID Docker adds
        as an alias is left out).
      - A list of inspect results (as C(docker inspect) prints them), or a registered loop over
        M(ansible.builtin.uri) (C(GET /containers/NAME/json)) or C(community.docker.docker_container_info),
        whose items carry the inspect result in C(json) or C(container).
      - With one result per host, a dict of host name to that host's container inspect results.
    type: raw
"""

EXAMPLES = r"""
- name: Read every network of one topology
  dockernet.core.network_info:
    filters:
      label: dockernet.topology=shop
  register: shop

- name: Write the diagram into a Markdown file
  ansible.builtin.copy:
    dest: /tmp/shop.md
    mode: "0644"
    content: |
      ```mermaid
      {{ shop | dockernet.core.topology_diagram(direction='TB') }}
      ```

- name: Inspect the containers for their aliases
  ansible.builtin.uri:
    unix_socket: /var/run/docker.sock
    url: "http://localhost/containers/{{ item }}/json"
  loop: "{{ shop.networks | map(attribute='Containers') | map('dict2items') | flatten | map(attribute='value.Name') | unique }}"
  register: shop_containers

- name: Read the networks of each Docker host of the LAN (every host of the play)
  dockernet.core.network_info:
  register: lan_networks

- name: Draw all hosts in one diagram, shared overlay and macvlan networks once
  ansible.builtin.copy:
    dest: /tmp/lan.md
    mode: "0644"
    content: |
      ```mermaid
      {{ dict(ansible_play_hosts | zip(ansible_play_hosts | map('extract', hostvars, 'lan_networks'))) | dockernet.core.topology_diagram }}
      ```
  run_once: true

- name: Show the diagram with the aliases, and the default networks too
  ansible.builtin.debug:
    msg: "{{ shop | dockernet.core.topology_diagram(containers=shop_containers, include_default_networks=true) }}"
"""

RETURN = r"""
_value:
  description:
    - Mermaid flowchart text, one statement per line, ending with a newline.
  type: str
  sample: |
    flowchart LR
      net_shop_backend{{"shop_backend<br/>bridge, internal<br/>10.41.0.0/24 gw 10.41.0.1"}}
      ctr_postgres["postgres"]
      ctr_postgres ---|"10.41.0.10/24<br/>alias database"| net_shop_backend
      classDef internal stroke-dasharray: 5 5
      class net_shop_backend internal
"""


def topology_diagram(data: t.Any, direction: str = "LR", include_default_networks: t.Any = False, containers: t.Any = None) -> str:
    try:
        draw = render_hosts if is_per_host(data) else render
        return draw(data, direction=str(direction), include_default_networks=boolean(include_default_networks, strict=True), containers=containers)
    except (DiagramError, TypeError) as exc:
        raise AnsibleFilterError(f"dockernet.core.topology_diagram: {exc}") from exc


class FilterModule:
    def filters(self) -> t.Dict[str, t.Callable[..., str]]:
        return {"topology_diagram": topology_diagram}
