#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: topology
short_description: Converge a whole declared set of Docker networks and attachments in one task
version_added: 0.1.0
description:
  - One task brings many networks and container attachments to their declared state, so large estates do
    not pay Ansible's per-task cost for each of them.
  - Networks are handled exactly as M(dockernet.core.network) handles them and attachments exactly as
    M(dockernet.core.network_attachment) does (same normalisation, comparison, validation, lossless recreate).
  - Every item is validated, and the whole run is planned, before the first change, so a topology with one
    bad item changes nothing.
  - Each network it creates carries the label C(dockernet.topology=<name>).
  - The daemon's own networks (C(bridge), C(host), C(none), C(ingress), and C(docker_gwbridge) or Podman's
    default network) are never created, recreated, removed or purged. O(networks) cannot declare C(bridge),
    C(host), C(none) or C(ingress) (they would have to carry the label); O(attachments) may name C(bridge).
    Attachments to C(host) or C(none), and of containers whose network mode is C(host), C(none) or
    C(container:<name>), fail while the run is planned, so nothing changes.
  - An already converged topology costs one network list and one container list.
options:
  name:
    description: Name of the topology, stored as the label C(dockernet.topology) on each of its networks.
    type: str
    required: true
  networks:
    description:
      - Networks of the topology. Each item takes the options of M(dockernet.core.network) (except
        O(dockernet.core.network#module:state), O(dockernet.core.network#module:force) and
        O(dockernet.core.network#module:containers)).
    type: list
    elements: dict
    default: []
  attachments:
    description:
      - Container attachments. Each item takes the options of M(dockernet.core.network_attachment).
    type: list
    elements: dict
    default: []
  state:
    description:
      - V(present) converges networks first, then attachments.
      - V(absent) disconnects the declared attachments, then removes the declared networks and every network
        carrying this topology's label (disconnecting their remaining containers).
    type: str
    choices: [present, absent]
    default: present
  purge:
    description:
      - With O(state=present), remove networks that carry this topology's label but are no longer declared,
        disconnecting their containers.
    type: bool
    default: false
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
  - dockernet.core._attributes.STATE_MODULE
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: A web server, an API and a database on a front and an internal back network
  dockernet.core.topology:
    name: example_shop
    networks:
      - name: example_shop_front
        ipam_config:
          - subnet: 10.131.20.0/24
      - name: example_shop_back
        internal: true
        ipam_config:
          - subnet: 10.131.21.0/24
    attachments:
      - container: example-web
        network: example_shop_front
      - container: example-api
        network: example_shop_front
        aliases: [api]
      - container: example-api
        network: example_shop_back
      - container: example-db
        network: example_shop_back
        aliases: [db]
        ipv4_address: 10.131.21.10
    purge: true

- name: Tear it down; the containers stay
  dockernet.core.topology:
    name: example_shop
    state: absent
"""

RETURN = r"""
networks:
  description:
    - Per network, what was done and its state after the task, with the keys M(dockernet.core.network) returns.
    - In check mode the same keys, with C(network) predicted as M(dockernet.core.network) predicts it.
  returned: always
  type: list
  elements: dict
  contains:
    name:
      description: The network's name.
      type: str
    changed:
      description: Whether the network changed (or would in check mode).
      type: bool
    actions:
      description: What was done (or would be done in check mode).
      type: list
      elements: str
    differences:
      description: Each setting that differed.
      type: list
      elements: dict
    network:
      description:
        - The network's inspect result after the task, C(null) once removed; in check mode the predicted one,
          with C(Id) and the other values the daemon would pick C(null) (see M(dockernet.core.network)).
      type: dict
    reconnected:
      description: Containers a recreate reconnected (or would in check mode).
      type: list
      elements: dict
    dropped_addresses:
      description: Static addresses that no longer fit a recreated network, per container.
      type: list
      elements: dict
    changed_mac_addresses:
      description: Running containers a recreate gave another MAC address (predicted in check mode, with C(new) null).
      type: list
      elements: dict
  sample:
    - name: shop_db
      changed: true
      actions: [create network shop_db]
attachments:
  description:
    - Per attachment, what was done and the endpoint after the task, with the keys M(dockernet.core.network_attachment)
      returns; in check mode the same keys, with C(attachment) predicted.
  returned: always
  type: list
  elements: dict
  contains:
    container:
      description: The container.
      type: str
    network:
      description: The network.
      type: str
    changed:
      description: Whether the attachment changed (or would in check mode).
      type: bool
    actions:
      description: What was done (or would be done in check mode).
      type: list
      elements: str
    differences:
      description: Each endpoint setting that differed.
      type: list
      elements: dict
    attachment:
      description: The endpoint after the task; C(null) when disconnected (see M(dockernet.core.network_attachment)).
      type: dict
    changed_mac_address:
      description: The MAC address a reconnect changed, C(old) and C(new).
      type: dict
  sample:
    - container: postgres
      network: shop_db
      changed: true
      actions: [connect container postgres to network shop_db]
actions:
  description: Everything done (or that would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [create network shop_db, connect container postgres to network shop_db]
summary:
  description: How many networks and attachments there are, and how many changed.
  returned: always
  type: dict
  contains:
    networks:
      description: C(total), C(changed) and C(unchanged) networks.
      type: dict
    attachments:
      description: C(total), C(changed) and C(unchanged) attachments.
      type: dict
  sample:
    networks: {total: 3, changed: 1, unchanged: 2}
    attachments: {total: 4, changed: 1, unchanged: 3}
"""

import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._argspec import NETWORK_SPEC
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import ATTACHMENT_SPEC
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validate_items, validated
from ansible_collections.dockernet.core.plugins.module_utils._topology import apply_outcome, plan, topology_from_params


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            {
                "name": {"type": "str", "required": True},
                "networks": {"type": "list", "elements": "dict", "default": []},
                "attachments": {"type": "list", "elements": "dict", "default": []},
                "state": {"type": "str", "choices": ["present", "absent"], "default": "present"},
                "purge": {"type": "bool", "default": False},
            }
        ),
        supports_check_mode=True,
    )
    params = module.params
    topology = validated(
        module,
        lambda: topology_from_params(
            params["name"],
            validate_items("networks", params["networks"], NETWORK_SPEC),
            validate_items("attachments", params["attachments"], ATTACHMENT_SPEC),
        ),
    )

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        outcome = plan(client, topology, state=params["state"], purge=params["purge"])
        if not module.check_mode:
            apply_outcome(client, outcome)
        return outcome.as_dict()

    run(module, task)


if __name__ == "__main__":
    main()
