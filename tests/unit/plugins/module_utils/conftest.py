# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A fake Docker daemon at the client seam: it answers the few Engine API calls the state code sends.

It stands in for DockerClient (get/post/delete/require_api) and records every request as
"METHOD /path", so tests can assert how many requests an operation needs. Only what the tests
use is modelled: bridge networks, containers and their endpoints. And loaded_by_import: what a
fresh interpreter, as each task is, loads with one module.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import types
import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerError


class FakeDaemon:
    api_version = "1.41"
    settings = types.SimpleNamespace(docker_host="unix:///fake/docker.sock")

    def __init__(self) -> None:
        self.networks: t.Dict[str, t.Dict[str, t.Any]] = {}  # by ID
        self.containers: t.Dict[str, t.Dict[str, t.Any]] = {}  # by ID, shaped like an inspect
        self.calls: t.List[str] = []
        self.info: t.Dict[str, t.Any] = {}  # what GET /info answers
        self._serial = 0

    # ---- set-up helpers -------------------------------------------------------

    def _new_id(self) -> str:
        self._serial += 1
        return f"{self._serial:064x}"

    def add_network(self, name: str, subnet: str, labels: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
        network = {
            "Name": name, "Id": self._new_id(), "Created": f"2026-01-01T00:00:{self._serial:02d}Z", "Scope": "local", "Driver": "bridge",
            "EnableIPv6": False, "IPAM": {"Driver": "default", "Options": {}, "Config": [{"Subnet": subnet}]},
            "Internal": False, "Attachable": False, "Ingress": False, "ConfigFrom": {"Network": ""}, "ConfigOnly": False,
            "Options": {}, "Labels": dict(labels or {}), "Containers": {},
        }
        self.networks[network["Id"]] = network
        return network

    def add_predefined(self, name: str, driver: str, options: t.Optional[t.Dict[str, str]] = None) -> t.Dict[str, t.Any]:
        """A network the daemon made itself: bridge (with the default-bridge option), host or none."""
        network = self.add_network(name, "172.17.0.0/16" if driver == "bridge" else "")
        network.update({"Driver": driver, "Options": dict(options or {})})
        if driver != "bridge":
            network["IPAM"]["Config"] = []
        return network

    def add_container(self, name: str, network_mode: str = "default") -> t.Dict[str, t.Any]:
        container_id = self._new_id()
        container = {
            "Id": container_id, "Name": "/" + name, "State": {"Running": True}, "Config": {"Hostname": container_id[:12]},
            "HostConfig": {"NetworkMode": network_mode}, "NetworkSettings": {"Networks": {}},
        }
        self.containers[container_id] = container
        return container

    def attach(self, container: t.Mapping[str, t.Any], network: t.Mapping[str, t.Any], aliases: t.Sequence[str] = ()) -> None:
        self._connect(str(network["Id"]), {"Container": container["Id"], "EndpointConfig": {"Aliases": list(aliases)}})

    def endpoints(self) -> t.Set[t.Tuple[str, str]]:
        """(container name, network name) of every endpoint."""
        return {(c["Name"].lstrip("/"), net) for c in self.containers.values() for net in c["NetworkSettings"]["Networks"]}

    # ---- the client's interface --------------------------------------------------

    def require_api(self, option: str, minimum: str) -> None:
        pass

    def version_info(self) -> t.Dict[str, t.Any]:
        return self.get("/version")

    def get(self, path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        self.calls.append(f"GET {path}")
        filters = json.loads((params or {}).get("filters") or "{}")
        if path == "/networks":
            names = filters.get("name")
            return [self._listed(n) for n in self.networks.values() if not names or n["Name"] in names]
        if path.startswith("/networks/"):
            return copy.deepcopy(self._network(path.split("/")[2]))
        if path == "/containers/json":
            on = set(filters.get("network") or [])
            return [self._summary(c) for c in self.containers.values()
                    if not on or any(k in on or e["NetworkID"] in on for k, e in c["NetworkSettings"]["Networks"].items())]
        if path.startswith("/containers/") and path.endswith("/json"):
            return copy.deepcopy(self._container(path.split("/")[2]))
        if path == "/info":
            return copy.deepcopy(self.info)
        if path == "/version":
            return {"Version": "20.10.24", "ApiVersion": self.api_version}
        raise AssertionError(f"the fake daemon does not answer GET {path}")

    def post(self, path: str, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        self.calls.append(f"POST {path}")
        if path == "/networks/create":
            subnet = body["IPAM"]["Config"][0]["Subnet"]
            network = self.add_network(body["Name"], subnet, body.get("Labels"))
            return {"Id": network["Id"], "Warning": ""}
        network_id, action = path.split("/")[2], path.split("/")[3]
        if action == "connect":
            self._connect(network_id, body)
        elif action == "disconnect":
            container = self._container(body["Container"])
            network = self._network(network_id)
            del container["NetworkSettings"]["Networks"][network["Name"]]
            network["Containers"].pop(container["Id"], None)
        return None

    def delete(self, path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        self.calls.append(f"DELETE {path}")
        network = self._network(path.split("/")[2])
        del self.networks[network["Id"]]
        return None

    # ---- internals ---------------------------------------------------------------

    def _network(self, reference: str) -> t.Dict[str, t.Any]:
        if reference in self.networks:
            return self.networks[reference]
        named = [n for n in self.networks.values() if n["Name"] == reference]
        if len(named) > 1:
            raise DockerError(f"network {reference} is ambiguous ({len(named)} matches found based on name)", status=400)
        if not named:
            raise DockerError(f"network {reference} not found", status=404)
        return named[0]

    def _container(self, reference: str) -> t.Dict[str, t.Any]:
        for container in self.containers.values():
            if reference in (container["Id"], container["Name"].lstrip("/")):
                return container
        raise DockerError(f"No such container: {reference}", status=404)

    def _connect(self, network_id: str, body: t.Mapping[str, t.Any]) -> None:
        network = self._network(network_id)
        container = self._container(body["Container"])
        config = body.get("EndpointConfig") or {}
        container["NetworkSettings"]["Networks"][network["Name"]] = {
            "NetworkID": network["Id"], "Aliases": list(config.get("Aliases") or []) + [container["Id"][:12]],
            "IPAMConfig": config.get("IPAMConfig"), "Links": None, "DriverOpts": None, "MacAddress": "02:42:ac:11:00:02",
            "IPAddress": "", "GlobalIPv6Address": "",
        }
        network["Containers"][container["Id"]] = {"Name": container["Name"].lstrip("/"), "IPv4Address": "", "IPv6Address": ""}

    @staticmethod
    def _listed(network: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
        return {**copy.deepcopy(dict(network)), "Containers": {}}  # the list never carries containers

    @staticmethod
    def _summary(container: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
        # The list carries endpoints without aliases, as the daemon's does.
        networks = {k: {kk: vv for kk, vv in v.items() if kk != "Aliases"} for k, v in container["NetworkSettings"]["Networks"].items()}
        return {"Id": container["Id"], "Names": [container["Name"]], "State": "running",
                "HostConfig": {"NetworkMode": container["HostConfig"]["NetworkMode"]}, "NetworkSettings": {"Networks": networks}}


@pytest.fixture
def daemon() -> FakeDaemon:
    return FakeDaemon()


@pytest.fixture
def loaded_by_import() -> t.Callable[[str], t.Set[str]]:
    """The names in sys.modules of a fresh interpreter once it imported the module (each task is a fresh process)."""
    def loaded(module: str) -> t.Set[str]:
        code = f"import json, sys, {module}; print(json.dumps(sorted(sys.modules)))"
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
        return set(json.loads(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True).stdout))

    return loaded
