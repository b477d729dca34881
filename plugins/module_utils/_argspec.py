# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# PRIVATE to dockernet.core: may change in any release; do not import it from other collections.
"""The network argument spec that network and topology share, and spec() to compose one (network_attachment's is
in _attachment_state, with the request it describes)."""

from __future__ import annotations

import copy
import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._compare import Spec, argument_spec
from ansible_collections.dockernet.core.plugins.module_utils._network_spec import NETWORK_OPTIONS

NETWORK_SPEC: Spec = argument_spec(NETWORK_OPTIONS)
# How the network module's `containers` list treats containers it does not name.
CONTAINERS_MODES = ("exact", "append")


def spec(*parts: Spec, **extra: t.Dict[str, t.Any]) -> Spec:
    """A fresh, deep copy of the given parts merged in order (AnsibleModule mutates specs)."""
    merged: Spec = {}
    for part in (*parts, extra):
        merged.update(part)
    return copy.deepcopy(merged)
