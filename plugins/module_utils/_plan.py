# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""A plan is data: the steps a task takes, each with the request it sends. State code builds plans
and never asks which mode it runs in; check mode renders the plan, a real run applies the same plan.
"""

from __future__ import annotations

import typing as t
from dataclasses import dataclass, field

from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

Action = t.Callable[[DockerClient], None]
T = t.TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One change: its entry in `actions` and its request. perform replaces the bare request where a real
    run does more: converge on a run that raced it, read the result back, undo when it fails."""

    action: str
    path: str
    body: t.Any = None
    method: str = "POST"
    perform: t.Optional[Action] = None

    def apply(self, client: DockerClient) -> None:
        if self.perform is not None:
            self.perform(client)
        elif self.method == "DELETE":
            client.delete(self.path)
        else:
            client.post(self.path, self.body)


@dataclass
class Plan:
    """The steps of one item (a network, an attachment), in the order they are sent."""

    steps: t.List[Step] = field(default_factory=list)
    # Run after every step of every plan applied together: reading back what the steps left.
    settle: t.List[Action] = field(default_factory=list)
    done: int = 0  # steps applied, so a run that fails partway reports what it did
    item: str = ""  # the list item it converges (attachments[2]), named in its errors

    def add(self, action: str, path: str, body: t.Any = None, method: str = "POST", perform: t.Optional[Action] = None) -> None:
        self.steps.append(Step(action, path, body, method, perform))


class Planned:
    """A result rendered from its plan: the actions are the plan's steps, and it changed when it has any."""

    plan: Plan

    @property
    def actions(self) -> t.List[str]:
        return [step.action for step in self.plan.steps]

    @property
    def changed(self) -> bool:
        return bool(self.plan.steps)


def named(item: str, run: t.Callable[..., T], *args: t.Any, **kwargs: t.Any) -> T:
    """run(*args, **kwargs), its errors naming the list item they are about (attachments[2]) when there is one."""
    try:
        return run(*args, **kwargs)
    except ValidationError as exc:
        raise exc.within(item) if item else exc from None
    except DockerError as exc:
        raise DockerError(f"{item}: {exc}", status=exc.status, result=exc.result) if item else exc from None


def apply(client: DockerClient, plans: t.Sequence[Plan]) -> None:
    """Send every step of the plans in order, then settle them."""
    for plan in plans:
        while plan.done < len(plan.steps):  # a step may find there is nothing to do and clear the rest of its plan
            named(plan.item, plan.steps[plan.done].apply, client)
            plan.done += 1
    for plan in plans:
        for settle in plan.settle:
            named(plan.item, settle, client)
