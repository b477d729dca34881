#!/usr/bin/python
# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations

DOCUMENTATION = r"""
module: network_prune
short_description: Remove unused Docker networks, with a check mode that tells the truth
version_added: 0.1.0
description:
  - Like C(docker network prune), removes user-defined networks that have no endpoints and no swarm
    services and match every filter.
  - In check mode it lists exactly the networks a real run would remove, without removing them.
  - The daemon's own networks (C(bridge), C(host), C(none), any ingress network, C(docker_gwbridge), and
    Podman's default network C(podman)) and config-only networks still used by another network are never
    removed. Unlike C(docker network prune), C(docker_gwbridge) is kept even on a node that is not in a swarm.
  - As with C(docker network prune), a network that only stopped containers reference has no
    endpoints and is removed; name it in O(keep) to protect it.
options:
  filters:
    description:
      - Filters as C(docker network prune --filter) takes them.
      - C(until) - only networks created before this time, given as a duration back from now (C(24h),
        C(1h30m)), a unix timestamp or an RFC 3339 date/time.
      - C(label) - only networks with this label, C(key) or C(key=value); a list means all of them.
      - C(label!) - only networks without this label, C(key) or C(key=value); a list means none of them.
    type: dict
  keep:
    description: Names (or full IDs) of networks never to remove.
    type: list
    elements: str
    default: []
extends_documentation_fragment:
  - dockernet.core._docker
  - dockernet.core._attributes
  - dockernet.core._attributes.ACTIONGROUP_DOCKER
  - dockernet.core._attributes.STATE_MODULE
author:
  - dockernet.core maintainers (@dockernet)
"""

EXAMPLES = r"""
- name: Which unused networks of the Compose project example would a prune remove?
  dockernet.core.network_prune:
    filters:
      label: com.docker.compose.project=example
    keep: [example_shared]
  check_mode: true
  register: would_prune

- name: Show them
  ansible.builtin.debug:
    var: would_prune.networks

- name: Prune them, keeping the shared network
  dockernet.core.network_prune:
    filters:
      label: com.docker.compose.project=example
    keep: [example_shared]

- name: Prune the project's networks unused for more than a day, except those labelled keep
  dockernet.core.network_prune:
    filters:
      until: 24h
      label: com.docker.compose.project=example
      label!: keep
"""

RETURN = r"""
networks:
  description: Names of the networks removed, or that would be removed in check mode (the same list).
  returned: always
  type: list
  elements: str
  sample: [ci-42-backend, ci-42-frontend]
actions:
  description: What was done (or would be done in check mode), in order.
  returned: always
  type: list
  elements: str
  sample: [remove network ci-42-backend]
"""

import datetime
import typing as t

from ansible.module_utils.basic import AnsibleModule
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._common import argument_spec, run, validated
from ansible_collections.dockernet.core.plugins.module_utils._lookup import swarm_services_using
from ansible_collections.dockernet.core.plugins.module_utils._prune import parse_prune_filters, prunable


def main() -> None:
    module = AnsibleModule(
        argument_spec=argument_spec(
            {
                "filters": {"type": "dict"},
                "keep": {"type": "list", "elements": "str", "default": []},
            }
        ),
        supports_check_mode=True,
    )
    now = datetime.datetime.now(datetime.timezone.utc)
    filters = validated(module, lambda: parse_prune_filters(module.params["filters"], now))

    def task(client: DockerClient) -> t.Dict[str, t.Any]:
        def in_use(network: t.Mapping[str, t.Any]) -> bool:
            found = client.get(f"/networks/{network['Id']}")
            return bool(found.get("Containers")) or bool(swarm_services_using(client, found))

        chosen = prunable(client.get("/networks") or [], filters, module.params["keep"], in_use)
        names = [str(n["Name"]) for n in chosen]
        if not module.check_mode:
            for network in chosen:
                try:
                    client.delete(f"/networks/{network['Id']}")
                except DockerError as exc:
                    if not exc.not_found:  # removed meanwhile: that is what we wanted
                        raise
        return {
            "changed": bool(names),
            "networks": names,
            "actions": [f"remove network {name}" for name in names],
            "diff": {"before": {"networks": names}, "after": {"networks": []}},
        }

    run(module, task)


if __name__ == "__main__":
    main()
