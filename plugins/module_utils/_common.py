# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""Adapts the plain client to Ansible: argument specs, connection, failing once."""

from __future__ import annotations

import contextlib
import copy
import os
import typing as t

from ansible.module_utils.basic import AnsibleModule, missing_required_lib
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.dockernet.core.plugins.module_utils._client import DockerClient, DockerError
from ansible_collections.dockernet.core.plugins.module_utils._options import (
    CONNECTION_ARGUMENT_SPEC,
    OptionError,
    resolve_connection,
)
from ansible_collections.dockernet.core.plugins.module_utils._transport import plain_tcp_warning, sdk_import_error
from ansible_collections.dockernet.core.plugins.module_utils._validation import ValidationError

T = t.TypeVar("T")


def argument_spec(module_spec: t.Mapping[str, t.Any]) -> t.Dict[str, t.Any]:
    return {**{key: dict(value) for key, value in CONNECTION_ARGUMENT_SPEC.items()}, **module_spec}


def connect(module: AnsibleModule) -> DockerClient:
    with failing_on_errors(module):
        settings = resolve_connection(module.params, os.environ)
        # before connecting, so a task that cannot connect carries the warning too
        warning = plain_tcp_warning(settings)
        if warning is not None:
            module.warn(warning)
        import_error = sdk_import_error(settings)
        if import_error is not None:
            module.fail_json(msg=missing_required_lib("docker", reason="for an ssh:// docker_host"), exception=import_error)
        return DockerClient(settings)
    raise AssertionError("unreachable: fail_json exits")


@contextlib.contextmanager
def failing_on_errors(module: AnsibleModule) -> t.Iterator[None]:
    try:
        yield
    except (DockerError, ValidationError, OptionError) as exc:
        extra = getattr(exc, "result", None) or {}
        module.fail_json(msg=str(exc), **extra)


def validated(module: AnsibleModule, parse: t.Callable[[], T]) -> T:
    """Validate the task's input before connecting, so bad input never reaches the daemon."""
    with failing_on_errors(module):
        return parse()
    raise AssertionError("unreachable: fail_json exits")


def run(module: AnsibleModule, task: t.Callable[[DockerClient], t.Dict[str, t.Any]]) -> None:
    client = connect(module)
    try:
        with failing_on_errors(module):
            result = task(client)
    finally:
        client.close()
    module.exit_json(**result)


def validate_items(field: str, items: t.Sequence[t.Any], item_spec: t.Mapping[str, t.Any]) -> t.List[t.Dict[str, t.Any]]:
    """Check each dict of a list option against another module's argument spec, with its defaults (for topology)."""
    validated_items = []
    validator = ArgumentSpecValidator(copy.deepcopy(dict(item_spec)))
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError(f"{field}[{index}]", f"{item!r} is not a dict of options")
        outcome = validator.validate(item)
        if outcome.error_messages:
            raise ValidationError(f"{field}[{index}]", "; ".join(outcome.error_messages))
        validated_items.append(t.cast(t.Dict[str, t.Any], outcome.validated_parameters))
    return validated_items
