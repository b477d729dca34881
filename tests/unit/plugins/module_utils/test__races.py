# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What happens when something else changes the daemon in the middle of a task (fake daemon at the client seam)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attachment_state import AttachmentRequest, plan_connect
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerError
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply
from ansible_collections.dockernet.core.plugins.module_utils._topology import apply_outcome, plan, topology_from_params

T = t.TypeVar("T")


def applied(daemon: t.Any, result: T) -> T:
    """A real run: the plan applied to the daemon."""
    apply(daemon, [result.plan])  # type: ignore[attr-defined]
    return result


def before_connect(daemon: t.Any, hook: t.Callable[[str, t.Mapping[str, t.Any]], None]) -> None:
    """Run hook(network_id, body) before the daemon handles each connect: what another client does meanwhile."""
    post = daemon.post

    def intercepted(path: str, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        if path.endswith("/connect"):
            hook(path.split("/")[2], body)
        return post(path, body, params)

    daemon.post = intercepted


def concurrent_run_connects(daemon: t.Any, aliases: t.Sequence[str]) -> None:
    """Another run connects the container first; the daemon then refuses ours as it does, with 403."""
    def hook(network_id: str, body: t.Mapping[str, t.Any]) -> None:
        container = daemon._container(body["Container"])
        network = daemon._network(network_id)
        if network["Name"] in container["NetworkSettings"]["Networks"]:
            raise DockerError(f"refused (HTTP 403): endpoint with name {container['Name'][1:]} already exists in network {network['Name']}", status=403)
        daemon._connect(network_id, {"Container": body["Container"], "EndpointConfig": {"Aliases": list(aliases)}})
        raise DockerError(f"refused (HTTP 403): endpoint with name {container['Name'][1:]} already exists in network {network['Name']}", status=403)

    before_connect(daemon, hook)


def test_a_connect_that_lost_a_race_to_the_same_endpoint_converges(daemon: t.Any) -> None:
    daemon.add_network("web", "10.1.0.0/24")
    daemon.add_container("app")
    concurrent_run_connects(daemon, ["api"])
    result = applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=["api"]))))
    assert result.attachment is not None and result.attachment["network"] == "web"
    assert daemon.endpoints() == {("app", "web")}


def test_a_connect_that_lost_a_race_to_other_settings_says_so(daemon: t.Any) -> None:
    daemon.add_network("web", "10.1.0.0/24")
    daemon.add_container("app")
    concurrent_run_connects(daemon, ["other"])
    with pytest.raises(DockerError, match="connected to network 'web' by someone else during the task, with other settings: aliases"):
        applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=["api"]))))


def test_a_reconnect_whose_container_disappears_names_it(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    container = daemon.add_container("app")
    daemon.attach(container, network, ["old"])

    def removed(network_id: str, body: t.Mapping[str, t.Any]) -> None:
        daemon.containers.pop(str(container["Id"]), None)

    before_connect(daemon, removed)
    with pytest.raises(DockerError, match="container 'app' or network 'web' disappeared during the task"):
        applied(daemon, plan_connect(daemon, AttachmentRequest("app", "web", endpoint=Endpoint(aliases=["new"]))))


def test_a_topology_that_fails_partway_reports_what_it_did(daemon: t.Any) -> None:
    daemon.add_container("a")
    gone = daemon.add_container("b")
    topology = topology_from_params(
        "shop", [{"name": "n0", "ipam_config": [{"subnet": "10.9.0.0/24"}]}],
        [{"container": "a", "network": "n0"}, {"container": "b", "network": "n0"}],
    )

    def remove_b(network_id: str, body: t.Mapping[str, t.Any]) -> None:
        if body["Container"] == gone["Id"]:
            daemon.containers.pop(str(gone["Id"]), None)

    before_connect(daemon, remove_b)
    with pytest.raises(DockerError) as failure:
        apply_outcome(daemon, plan(daemon, topology, state="present", purge=False))
    assert str(failure.value).startswith("attachments[1]: ")
    assert failure.value.result["changed"] is True
    assert failure.value.result["actions"] == ["create network n0", "connect container a to network n0"]


def test_removing_a_network_someone_else_removed_meanwhile_is_no_change(daemon: t.Any) -> None:
    daemon.add_network("web", "10.1.0.0/24")
    listed = daemon.get("/networks")[0]
    daemon.networks.clear()
    result = applied(daemon, plan_absent(daemon, "web", force=True, listed=listed, attachments=[]))
    assert not result.changed and result.actions == []
