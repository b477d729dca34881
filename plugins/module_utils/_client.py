# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A plain Docker Engine API client.

The Docker SDK for Python only provides the transport (unix socket, TCP with
TLS, SSH). Request bodies are built by this collection and sent as raw JSON,
because the SDK's helpers cannot express every field the Engine API takes.
Everything here raises DockerError and knows nothing about Ansible.
"""

from __future__ import annotations

import json
import traceback
import typing as t

from ansible_collections.dockernet.core.plugins.module_utils._options import (
    ConnectionSettings,
    api_at_least,
)


def docker_import_error() -> t.Optional[str]:
    """The traceback of importing the Docker SDK, or None when it imports.

    The SDK (and requests with it) is imported only when a task connects: a task that fails
    validation, and the unit tests of the pure helpers, never pay for it.
    """
    try:
        import docker  # noqa: F401  # pylint: disable=unused-import
        import requests  # noqa: F401  # pylint: disable=unused-import
    except ImportError:
        return traceback.format_exc()
    return None


class DockerError(Exception):
    """The one exception type for daemon, connection and API-version problems."""

    def __init__(self, message: str, status: t.Optional[int] = None, result: t.Optional[t.Dict[str, t.Any]] = None) -> None:
        super().__init__(message)
        self.status = status
        # what the task did before the failure, returned with it (see failing_on_errors)
        self.result: t.Dict[str, t.Any] = result or {}

    @property
    def not_found(self) -> bool:
        return self.status == 404


def _hostname_adapter(tls_hostname: str) -> t.Any:
    """A requests adapter that verifies the daemon's certificate against tls_hostname instead of the URL's host."""
    from requests.adapters import HTTPAdapter

    class HostnameAdapter(HTTPAdapter):
        def init_poolmanager(self, *args: t.Any, **kwargs: t.Any) -> None:
            kwargs["assert_hostname"] = tls_hostname
            kwargs["server_hostname"] = tls_hostname
            super().init_poolmanager(*args, **kwargs)

    return HostnameAdapter()


def _unreachable_message(settings: ConnectionSettings, error: BaseException) -> str:
    host = settings.docker_host
    text = str(error)
    if host.startswith("unix://"):
        path = host[len("unix://"):]
        if "No such file" in text or "FileNotFoundError" in text:
            return (
                f"Cannot reach the Docker daemon at {host}: the socket {path} does not exist; "
                "start dockerd there, or point docker_host (or DOCKER_HOST) at the daemon's socket."
            )
        if "Permission denied" in text or "PermissionError" in text:
            return (
                f"Cannot reach the Docker daemon at {host}: permission denied on {path}; "
                "run the task with become: true or as a member of the socket's group."
            )
        if "Connection refused" in text:
            return (
                f"Cannot reach the Docker daemon at {host}: nothing listens on {path}; "
                "start dockerd, or point docker_host (or DOCKER_HOST) at a running daemon."
            )
    if "HTTP request to an HTTPS server" in text:
        return _needs_tls(host)
    if "server API version" in text and ("Client Error" in text or "Server Error" in text):
        return (
            f"The server at {host} is not a Docker daemon: it does not answer GET /version ({_short(text)}); "
            "point docker_host (or DOCKER_HOST) at the daemon."
        )
    if "Connection refused" in text:
        return (
            f"Cannot reach the Docker daemon at {host} (Connection refused: nothing listens there); "
            "start dockerd, or point docker_host (or DOCKER_HOST) at a running daemon."
        )
    if "timed out" in text.lower():
        return (
            f"The Docker daemon at {host} did not answer within {settings.timeout} seconds ({_short(text)}); "
            "check that dockerd there is healthy, or raise timeout."
        )
    if "SSL" in text or "certificate" in text.lower() or "TLS" in text:
        return (
            f"TLS connection to the Docker daemon at {host} failed ({_short(text)}); "
            "check ca_path, client_cert, client_key and tls_hostname, and that the daemon speaks TLS."
        )
    if "Connection aborted" in text or "RemoteDisconnected" in text or "BadStatusLine" in text:
        return (
            f"The Docker daemon at {host} closed the connection ({_short(text)}); "
            "if the daemon requires TLS, set tls: true or validate_certs: true with its certificates."
        )
    return (
        f"Cannot reach the Docker daemon at {host} ({_short(text)}); "
        "check that dockerd runs there and that docker_host (or DOCKER_HOST) is right."
    )


def _needs_tls(host: str) -> str:
    return (
        f"The Docker daemon at {host} requires TLS; set validate_certs: true with ca_path, client_cert and client_key "
        "(or DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH)."
    )


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 300 else text[:297] + "..."


class DockerClient:
    """A thin JSON client on top of the SDK's transport, with API-version gating."""

    def __init__(self, settings: ConnectionSettings) -> None:
        try:
            import docker
            import requests
            from docker.errors import DockerException, TLSParameterError
        except ImportError:
            raise DockerError("the Python package 'docker' (Docker SDK for Python) is not installed") from None
        self._request_errors: t.Tuple[t.Type[BaseException], ...] = (requests.exceptions.RequestException,)
        self.settings = settings
        self.request_count = 0
        tls_config: t.Any = False
        if settings.uses_tls:
            client_pair = None
            if settings.client_cert or settings.client_key:
                if not (settings.client_cert and settings.client_key):
                    raise DockerError("client_cert and client_key must be given together for TLS client authentication")
                client_pair = (settings.client_cert, settings.client_key)
            try:
                tls_config = docker.tls.TLSConfig(
                    client_cert=client_pair,
                    ca_cert=settings.ca_path if settings.validate_certs else None,
                    verify=settings.validate_certs,
                )
            except TLSParameterError as exc:
                raise DockerError(f"TLS settings are not usable: {exc}. Check ca_path, client_cert and client_key.") from None
        # With tls_hostname, the version must be asked for only once the hostname adapter is mounted:
        # the SDK's own adapter checks the certificate against the URL's host instead.
        by_hostname = bool(settings.tls_hostname and settings.validate_certs)
        ask_version_later = by_hostname and settings.api_version.lower() == "auto"
        try:
            self._api = docker.APIClient(
                base_url=settings.docker_host,
                version=docker.constants.DEFAULT_DOCKER_API_VERSION if ask_version_later else settings.api_version,
                timeout=settings.timeout,
                tls=tls_config,
                use_ssh_client=settings.use_ssh_client,
            )
            if by_hostname:
                self._api.mount("https://", _hostname_adapter(str(settings.tls_hostname)))
            if ask_version_later:
                self._api._version = self._api._retrieve_server_version()
            # APIClient(version="auto") asks the daemon once; count it like any other request.
            if settings.api_version.lower() == "auto":
                self.request_count += 1
        except DockerException as exc:
            raise DockerError(_unreachable_message(settings, exc)) from None
        except requests.exceptions.RequestException as exc:
            raise DockerError(_unreachable_message(settings, exc)) from None

    @property
    def api_version(self) -> str:
        return str(self._api.api_version)

    _version_info: t.Optional[t.Dict[str, t.Any]] = None

    def version_info(self) -> t.Dict[str, t.Any]:
        """GET /version, asked once and only by callers that need more than the API version (_engine.identify)."""
        if self._version_info is None:
            self._version_info = self.get("/version") or {}
        return self._version_info

    def require_api(self, option: str, minimum: str) -> None:
        """Fail before sending anything: the daemon silently drops fields it does not know."""
        if not api_at_least(self.api_version, minimum):
            raise DockerError(
                f"{option} needs Docker Engine API {minimum} or newer, but the daemon at "
                f"{self.settings.docker_host} speaks API {self.api_version}. Upgrade the engine, or leave {option} out."
            )

    def _request(self, method: str, path: str, params: t.Optional[t.Mapping[str, t.Any]], body: t.Any, raw: bool = False) -> t.Any:
        url = self._api._url("{0}", path)
        kwargs: t.Dict[str, t.Any] = {}
        if params:
            kwargs["params"] = dict(params)
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["headers"] = {"Content-Type": "application/json"}
        self.request_count += 1
        try:
            response = getattr(self._api, "_" + method)(url, **kwargs)
        except self._request_errors as exc:
            raise DockerError(_unreachable_message(self.settings, exc)) from None
        if response.status_code >= 400:
            if "HTTP request to an HTTPS server" in response.text:
                raise DockerError(_needs_tls(self.settings.docker_host))
            if not self._is_daemon_error(response):
                # Only a Docker daemon answers with {"message": ...}; anything else (a web server's 404
                # page) must not pass for "not found", which would let a task succeed without a daemon.
                raise DockerError(
                    f"the server at {self.settings.docker_host} is not a Docker daemon: it answered {method.upper()} {path} "
                    f"with HTTP {response.status_code} ({_short(response.text)}). Point docker_host (or DOCKER_HOST) at the daemon"
                )
            raise DockerError(self._daemon_message(method, path, response), status=response.status_code)
        if raw:
            return response.content
        if response.status_code == 204 or not response.content:
            return None
        try:
            return response.json()
        except ValueError:
            return response.text

    @staticmethod
    def _is_daemon_error(response: t.Any) -> bool:
        try:
            body = response.json()
        except ValueError:
            return False
        return isinstance(body, dict) and "message" in body

    @staticmethod
    def _daemon_message(method: str, path: str, response: t.Any) -> str:
        try:
            detail = response.json().get("message") or response.text
        except ValueError:
            detail = response.text
        return f"the Docker daemon refused {method.upper()} {path} (HTTP {response.status_code}): {_short(str(detail))}"

    def get(self, path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        return self._request("get", path, params, None)

    def post(self, path: str, body: t.Any = None, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        return self._request("post", path, params, body)

    def post_raw(self, path: str, body: t.Any = None) -> bytes:
        """POST and return the body as bytes (exec output streams are not JSON)."""
        return t.cast(bytes, self._request("post", path, None, body, raw=True))

    def delete(self, path: str, params: t.Optional[t.Mapping[str, t.Any]] = None) -> t.Any:
        return self._request("delete", path, params, None)

    def close(self) -> None:
        self._api.close()


def encode_filters(filters: t.Mapping[str, t.Iterable[str]]) -> str:
    """The Engine API's filter format: a JSON object of name -> list of values."""
    return json.dumps({key: sorted(set(values)) for key, values in filters.items() if values})
