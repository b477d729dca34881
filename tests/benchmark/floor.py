# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The floor: the benchmark's work done directly with the Docker SDK (docker.APIClient).

No comparison logic beyond what is needed to know the state is right, no
validation, no Ansible. Each function opens its own client (with API version
negotiation, as the modules do) and closes it.

Imported by bench.py (in-process floor), and runnable as a script for the
fresh-process floor: ``python floor.py PHASE SPEC.json`` where SPEC.json holds
{"docker_host": ..., "networks": [...], "attachments": [...]}.
"""

from __future__ import annotations

import json
import sys
import typing as t


def _client(docker_host: str) -> t.Any:
    import docker  # imported here, so the fresh-process floor pays for it like a module does

    return docker.APIClient(base_url=docker_host, version="auto", timeout=60)


def _ipam(subnet: str) -> t.Any:
    import docker

    return docker.types.IPAMConfig(pool_configs=[docker.types.IPAMPool(subnet=subnet)])


def networks_create(docker_host: str, networks: t.Sequence[t.Mapping[str, str]]) -> None:
    api = _client(docker_host)
    try:
        for net in networks:
            api.create_network(net["name"], driver="bridge", ipam=_ipam(net["subnet"]))
    finally:
        api.close()


def networks_check(docker_host: str, networks: t.Sequence[t.Mapping[str, str]]) -> None:
    """One inspect per network, and the one setting the benchmark declares compared."""
    api = _client(docker_host)
    try:
        for net in networks:
            found = api.inspect_network(net["name"])
            subnets = [c.get("Subnet") for c in (found.get("IPAM") or {}).get("Config") or []]
            if subnets != [net["subnet"]] or found.get("Driver") != "bridge":
                raise RuntimeError(f"network {net['name']} is not as declared: {subnets}")
    finally:
        api.close()


def networks_remove(docker_host: str, networks: t.Sequence[t.Mapping[str, str]]) -> None:
    api = _client(docker_host)
    try:
        for net in networks:
            api.remove_network(net["name"])
    finally:
        api.close()


def topology_create(docker_host: str, networks: t.Sequence[t.Mapping[str, str]], attachments: t.Sequence[t.Mapping[str, t.Any]]) -> None:
    api = _client(docker_host)
    try:
        for net in networks:
            api.create_network(net["name"], driver="bridge", ipam=_ipam(net["subnet"]))
        for item in attachments:
            api.connect_container_to_network(item["container"], item["network"], aliases=list(item["aliases"]))
    finally:
        api.close()


def topology_check(docker_host: str, networks: t.Sequence[t.Mapping[str, str]], attachments: t.Sequence[t.Mapping[str, t.Any]]) -> None:
    """The inspections topology makes on a converged run: the network list, the container list,
    and one inspect per container whose aliases are compared (the list carries no aliases)."""
    api = _client(docker_host)
    try:
        listed = {n["Name"]: n for n in api.networks()}
        for net in networks:
            found = listed.get(net["name"])
            subnets = [c.get("Subnet") for c in ((found or {}).get("IPAM") or {}).get("Config") or []]
            if subnets != [net["subnet"]]:
                raise RuntimeError(f"network {net['name']} is not as declared: {subnets}")
        by_name = {}
        for summary in api.containers(all=True):
            for name in summary.get("Names") or []:
                by_name[name.lstrip("/")] = summary
        inspected: t.Dict[str, t.Any] = {}
        for item in attachments:
            if item["container"] not in by_name:
                raise RuntimeError(f"no container {item['container']}")
            if item["container"] not in inspected:
                inspected[item["container"]] = api.inspect_container(item["container"])
            endpoint = inspected[item["container"]]["NetworkSettings"]["Networks"].get(item["network"])
            if endpoint is None or not set(item["aliases"]) <= set(endpoint.get("Aliases") or []):
                raise RuntimeError(f"{item['container']} is not on {item['network']} with aliases {item['aliases']}")
    finally:
        api.close()


def topology_remove(docker_host: str, networks: t.Sequence[t.Mapping[str, str]], attachments: t.Sequence[t.Mapping[str, t.Any]]) -> None:
    api = _client(docker_host)
    try:
        for item in attachments:
            api.disconnect_container_from_network(item["container"], item["network"], force=True)
        for net in networks:
            api.remove_network(net["name"])
    finally:
        api.close()


PHASES: t.Dict[str, t.Callable[..., None]] = {
    "networks-create": lambda spec: networks_create(spec["docker_host"], spec["networks"]),
    "networks-check": lambda spec: networks_check(spec["docker_host"], spec["networks"]),
    "networks-remove": lambda spec: networks_remove(spec["docker_host"], spec["networks"]),
    "topology-create": lambda spec: topology_create(spec["docker_host"], spec["networks"], spec["attachments"]),
    "topology-check": lambda spec: topology_check(spec["docker_host"], spec["networks"], spec["attachments"]),
    "topology-remove": lambda spec: topology_remove(spec["docker_host"], spec["networks"], spec["attachments"]),
}


def main(argv: t.Sequence[str]) -> int:
    if len(argv) != 2 or argv[0] not in PHASES:
        sys.stderr.write(f"usage: floor.py {{{','.join(PHASES)}}} SPEC.json\n")
        return 2
    with open(argv[1], encoding="utf-8") as handle:
        spec = json.load(handle)
    PHASES[argv[0]](spec)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
