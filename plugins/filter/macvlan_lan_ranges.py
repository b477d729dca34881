# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

import typing as t

from ansible.errors import AnsibleFilterError
from ansible_collections.dockernet.core.plugins.plugin_utils._lan_ranges import LanRangeError, claim_from, plan

DOCUMENTATION = r"""
name: macvlan_lan_ranges
short_description: Give each Docker host on a LAN its own address range of one macvlan network
version_added: 0.2.0
author:
  - dockernet.core maintainers (@dockernet)
description:
  - Works out the C(ip_range) of each host of a macvlan (or ipvlan) network that several Docker hosts share on
    one LAN, and checks the hosts against each other. Each host's Docker hands out addresses only from its range,
    so the ranges must not overlap.
  - A host's range is the one it gives (C(ip_range)), or block number C(index) (from 0) of size O(prefix) in
    O(pool). It depends on that host's settings only, so adding or removing a host never moves another host's range.
  - Returns every problem found instead of failing, so a role can fail before anything changes with all of them.
    Problems are two hosts with the same index, overlapping ranges, a range outside the pool or the subnet, an index
    beyond the pool, a static address outside the subnet or inside another host's range, and one address used twice.
  - The C(dockernet.core.macvlan) role uses it in multi-host mode (O(dockernet.core.macvlan#role:main:macvlan_lan_pool)).
positional: subnet, pool, prefix
options:
  _input:
    description:
      - Dict of host name to that host's claim, with the keys C(index) (an integer, V(-1) or V(null) for none),
        C(ip_range) (CIDR, empty for none; it wins over C(index)) and C(addresses) (dict of name to static address,
        such as the containers' C(ipv4_address) and the host shim's address).
    type: dict
    required: true
  subnet:
    description: The LAN's subnet in CIDR notation, shared by every host.
    type: str
    required: true
  pool:
    description: Part of O(subnet) the hosts' ranges are carved from. Empty means the whole subnet.
    type: str
    default: ''
  prefix:
    description: Prefix length of each host's range, for hosts given by index.
    type: int
    default: 28
"""

EXAMPLES = r"""
- name: Each host's range, and what is wrong across the hosts
  ansible.builtin.debug:
    msg: "{{ claims | dockernet.core.macvlan_lan_ranges('192.0.2.0/24', pool='192.0.2.128/25', prefix=28) }}"
  vars:
    claims:
      docker1: {index: 0, addresses: {web: 192.0.2.130}}
      docker2: {index: 1}
      docker3: {ip_range: 192.0.2.176/28}
  # ranges: docker1 192.0.2.128/28, docker2 192.0.2.144/28, docker3 192.0.2.176/28; errors: []
"""

RETURN = r"""
_value:
  description: Each host's range and the problems found.
  type: dict
  contains:
    ranges:
      description: Host name to its range, for every host whose range could be worked out.
      type: dict
      sample: {docker1: 192.0.2.128/28, docker2: 192.0.2.144/28}
    errors:
      description: One sentence per problem, naming the hosts, the values and the fix. Empty when the plan is safe.
      type: list
      elements: str
      sample: ["hosts docker2, docker3 claim the same index 1; give each host its own index"]
"""


def macvlan_lan_ranges(claims: t.Any, subnet: str, pool: str = "", prefix: t.Any = 28) -> t.Dict[str, t.Any]:
    if not isinstance(claims, t.Mapping):
        raise AnsibleFilterError(f"dockernet.core.macvlan_lan_ranges: expected a dict of host -> claim, got {type(claims).__name__}")
    try:
        parsed = []
        for host, raw in claims.items():
            if not isinstance(raw, t.Mapping):
                raise LanRangeError(f"host {host}: the claim must be a dict, got {type(raw).__name__}")
            parsed.append(claim_from(str(host), raw))
        return plan(parsed, subnet=str(subnet), pool=str(pool or ""), prefix=prefix).as_dict()
    except LanRangeError as exc:
        raise AnsibleFilterError(f"dockernet.core.macvlan_lan_ranges: {exc}") from exc


class FilterModule:
    def filters(self) -> t.Dict[str, t.Callable[..., t.Dict[str, t.Any]]]:
        return {"macvlan_lan_ranges": macvlan_lan_ranges}
