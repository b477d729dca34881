# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Which requests creating and removing a network send (fake daemon at the client seam)."""

from __future__ import annotations

import typing as t

import pytest
from ansible_collections.dockernet.core.plugins.module_utils._attach import Attachment
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerError
from ansible_collections.dockernet.core.plugins.module_utils._endpoint import Endpoint
from ansible_collections.dockernet.core.plugins.module_utils._network_create import NetworkResult, allocated, create_network, explain_refusal
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import desired_from_params
from ansible_collections.dockernet.core.plugins.module_utils._network_state import plan_absent, plan_present
from ansible_collections.dockernet.core.plugins.module_utils._plan import apply
from ansible_collections.dockernet.core.plugins.module_utils._recreate import predict_reconnects, reconnect_plan
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

T = t.TypeVar("T")


def applied(daemon: t.Any, result: T) -> T:
    """A real run: the plan applied to the daemon."""
    apply(daemon, [result.plan])  # type: ignore[attr-defined]
    return result


def test_create_reads_the_new_network_back_with_one_inspect(daemon: t.Any) -> None:
    created = create_network(daemon, desired_from_params({"name": "web", "ipam_config": [{"subnet": "10.1.0.0/24"}]}))
    assert daemon.calls == ["POST /networks/create", "GET /networks/web"]
    assert created["Name"] == "web" and created["IPAM"]["Config"] == [{"Subnet": "10.1.0.0/24"}]


def test_create_that_duplicated_a_name_keeps_the_oldest_network(daemon: t.Any) -> None:
    # An older daemon let a simultaneous run create the same name first.
    older = daemon.add_network("web", "10.1.0.0/24")
    created = create_network(daemon, desired_from_params({"name": "web", "ipam_config": [{"subnet": "10.1.0.0/24"}]}))
    assert created["Id"] == older["Id"]
    assert [n["Name"] for n in daemon.networks.values()] == ["web"]
    assert daemon.calls[:3] == ["POST /networks/create", "GET /networks/web", "GET /networks"]


def test_planning_and_applying_a_create_sends_four_requests(daemon: t.Any) -> None:
    result = applied(daemon, plan_present(daemon, desired_from_params({"name": "web", "ipam_config": [{"subnet": "10.1.0.0/24"}]})))
    assert result.changed and result.actions == ["create network web"]
    # inspect (absent), network list (subnet overlaps), create, inspect of the new network
    assert daemon.calls == ["GET /networks/web", "GET /networks", "POST /networks/create", "GET /networks/web"]


def test_removing_a_listed_network_sends_only_the_delete(daemon: t.Any) -> None:
    listed = daemon.get("/networks")[0] if daemon.add_network("web", "10.1.0.0/24") else None
    daemon.calls.clear()
    result = applied(daemon, plan_absent(daemon, "web", force=True, listed=listed, attachments=[]))
    assert result.actions == ["remove network web"] and result.before["name"] == "web"
    assert daemon.calls == [f"DELETE /networks/{listed['Id']}"]
    assert not daemon.networks


def test_planning_a_removal_without_a_listing_finds_attached_containers(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.attach(daemon.add_container("app"), network, ["api"])
    result = plan_absent(daemon, "web", force=True)
    assert result.actions == ["disconnect container app from network web", "remove network web"]


def _attachment(name: str, running: bool, mac: t.Optional[str], ipv4: t.Optional[str] = None) -> Attachment:
    return Attachment(container_id=name * 4, container_name=name, running=running, endpoint=Endpoint(ipv4_address=ipv4), mac_address=mac)


def test_check_mode_predicts_which_running_containers_get_another_mac() -> None:
    attachments = [
        _attachment("random", True, "fa:23:8f:cb:ca:36", "10.1.0.10"),  # Docker 28: a random MAC, not derived
        _attachment("derived", True, "02:42:0a:01:00:0b", "10.1.0.11"),  # older engines derive it from the static address
        _attachment("moved", True, "02:42:0a:01:00:0c", "10.1.0.12"),  # ... which the new pool no longer holds
        _attachment("stopped", False, "fa:23:8f:cb:ca:37"),  # gets its MAC when it starts, on every engine
        _attachment("none", True, None),
    ]
    unpinned, pinned = NetworkResult(name="web"), NetworkResult(name="web")
    predict_reconnects(unpinned, attachments, ["10.1.0.8/30"], pinned=False)
    assert unpinned.changed_mac_addresses == [
        {"container": "random", "old": "fa:23:8f:cb:ca:36", "new": None},
        {"container": "moved", "old": "02:42:0a:01:00:0c", "new": None},
    ]
    predict_reconnects(pinned, attachments, ["10.1.0.8/30"], pinned=True)
    assert pinned.changed_mac_addresses == []
    # Every container is reported reconnected; "moved" without the static address the new pool no longer holds.
    assert [r["container"] for r in pinned.reconnected] == ["random", "derived", "moved", "stopped", "none"]
    assert pinned.reconnected[2] == {"container": "moved", "id": "moved" * 4, "running": True}
    assert pinned.dropped_addresses == [{"container": "moved", "addresses": ["10.1.0.12"]}]


IPV6_POOL_REFUSAL = "could not find an available, non-overlapping IPv6 address pool among the defaults to assign to the network"


@pytest.mark.parametrize(
    "params, explained",
    [
        pytest.param({"enable_ipv6": True}, True, id="no-ipv6-pool-given-on-an-engine-before-docker-27"),
        pytest.param({"enable_ipv6": True, "ipam_config": [{"subnet": "fd00:10::/64"}]}, False, id="pool-given-daemon-words-kept"),
    ],
)
def test_an_engine_without_ipv6_pools_names_enable_ipv6(params: t.Dict[str, t.Any], explained: bool) -> None:
    error = DockerError(IPV6_POOL_REFUSAL, status=500)
    result = explain_refusal(desired_from_params({"name": "web", **params}), error)
    if explained:
        assert isinstance(result, ValidationError) and result.field == "enable_ipv6"
        assert "give ipam_config an IPv6 pool" in str(result) and IPV6_POOL_REFUSAL in str(result)
    else:
        assert result is error


def test_a_created_swarm_network_is_returned_once_the_manager_allocated_it(daemon: t.Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Docker 26.1 shows a new swarm network with no driver, pools or options for a moment."""
    monkeypatch.setattr("ansible_collections.dockernet.core.plugins.module_utils._network_create.RACE_WAIT_SECONDS", 0)
    answers = iter([{"Id": "s1", "Name": "ov", "Scope": "swarm", "Driver": "", "IPAM": {"Config": None}}] * 2)
    allocated_network = {"Id": "s1", "Name": "ov", "Scope": "swarm", "Driver": "overlay", "IPAM": {"Config": [{"Subnet": "10.0.1.0/24"}]}}
    monkeypatch.setattr(daemon, "get", lambda path, params=None: next(answers, allocated_network))
    found = allocated(daemon, {"Id": "s1", "Name": "ov", "Scope": "swarm", "Driver": ""})
    assert found == allocated_network


def test_a_local_network_is_returned_as_inspected(daemon: t.Any) -> None:
    network = daemon.add_network("web", "10.1.0.0/24")
    calls = len(daemon.calls)
    assert allocated(daemon, network) is network
    assert daemon.calls[calls:] == []


def test_reconnect_plan_drops_only_the_static_addresses_outside_the_new_pools() -> None:
    inside = Attachment("c1", "web", True, Endpoint(aliases=("api",), ipv4_address="10.1.0.10"))
    outside = Attachment("c2", "db", False, Endpoint(ipv4_address="10.9.0.10", ipv6_address="fd00:1::10"))
    plan = [reconnect_plan(attachment, ["10.1.0.0/24", "fd00:1::/64"]) for attachment in (inside, outside)]
    assert plan == [(inside, []), (Attachment("c2", "db", False, Endpoint(ipv6_address="fd00:1::10")), ["10.9.0.10"])]


def _recreate(daemon: t.Any, check_mode: bool) -> t.Dict[str, t.Any]:
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.attach(daemon.add_container("app"), network, aliases=["api"])
    result = plan_present(daemon, desired_from_params({"name": "web", "internal": True}))
    return (result if check_mode else applied(daemon, result)).as_dict()


def test_check_mode_predicts_the_reconnects_a_recreate_reports(daemon: t.Any) -> None:
    # A fresh daemon for each run, so that both hold the same IDs.
    predicted, real = _recreate(type(daemon)(), True), _recreate(type(daemon)(), False)
    assert predicted["reconnected"] == real["reconnected"]
    assert predicted["reconnected"][0]["aliases"] == ["api"]
    assert predicted["network"]["Id"] is None and predicted["network"]["Internal"] is True
    assert set(predicted["network"]) == set(real["network"])
    assert set(predicted["network"]["Containers"]) == set(real["network"]["Containers"])  # the running container rejoins


def test_a_recreate_whose_create_is_refused_with_an_explained_error_restores_the_old_network(daemon: t.Any) -> None:
    """explain_refusal turns some refusals into a ValidationError: the old network comes back for those too."""
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.attach(daemon.add_container("app"), network, ["api"])
    post = daemon.post

    def refuse_the_driver(path: str, body: t.Any = None, params: t.Any = None) -> t.Any:
        if path == "/networks/create" and body["Driver"] == "weird":
            raise DockerError('plugin "weird" not found', status=404)
        return post(path, body, params)

    daemon.post = refuse_the_driver
    desired = desired_from_params({"name": "web", "driver": "weird", "ipam_config": [{"subnet": "10.1.0.0/24"}]})
    result = plan_present(daemon, desired)
    refused = r"recreating network 'web' failed \(driver: 'weird' is not a network driver on this engine; .*"
    with pytest.raises(DockerError, match=refused + "the old network was restored with its 1 container"):
        apply(daemon, [result.plan])
    (restored,) = daemon.networks.values()
    assert restored["Driver"] == "bridge" and daemon.endpoints() == {("app", "web")}


def test_a_recreate_whose_restore_is_refused_with_an_explained_error_says_the_network_is_gone(daemon: t.Any) -> None:
    """The old network's re-create goes through explain_refusal too: its ValidationError still gives the full story."""
    network = daemon.add_network("web", "10.1.0.0/24")
    daemon.attach(daemon.add_container("app"), network, ["api"])
    post = daemon.post

    def refuse_every_create(path: str, body: t.Any = None, params: t.Any = None) -> t.Any:
        if path == "/networks/create":
            raise DockerError(f'plugin "{body["Driver"]}" not found', status=404)
        return post(path, body, params)

    daemon.post = refuse_every_create
    desired = desired_from_params({"name": "web", "driver": "weird", "ipam_config": [{"subnet": "10.1.0.0/24"}]})
    result = plan_present(daemon, desired)
    gone = r"recreating network 'web' failed \(driver: .*\), and restoring the old network failed too \(driver: .*the network is gone"
    with pytest.raises(DockerError, match=gone + r" and its container\(s\) app are disconnected"):
        apply(daemon, [result.plan])


def test_a_plain_network_task_loads_no_attachment_code(loaded_by_import: t.Callable[[str], t.Set[str]]) -> None:
    # AnsiballZ compiles every file a task imports again on every task: the endpoint table, the attachment calls and the
    # recreate are loaded only by a task that recreates or removes a network, or manages containers.
    loaded = loaded_by_import("ansible_collections.dockernet.core.plugins.modules.network")
    assert sorted(name for name in loaded if name.endswith(("._attach", "._endpoint", "._attachment_state", "._recreate", "._topology"))) == []
