# Copyright (c) dockernet.core contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import annotations


class ModuleDocFragment:
    # Connection options shared by every module (the argument spec lives in module_utils/_options.py).
    DOCUMENTATION = r"""
options:
  docker_host:
    description:
      - Address of the Docker daemon, as C(unix:///path/to/socket), C(tcp://HOST:PORT) or C(ssh://USER@HOST).
      - When not given, the value of the E(DOCKER_HOST) environment variable is used, then
        C(unix:///var/run/docker.sock).
      - A C(tcp://) address without TLS (neither O(validate_certs) nor O(tls)) gets a warning unless it is a loopback
        address (C(127.0.0.0/8), C(::1), C(localhost)) - anyone who can reach the daemon's TCP port controls its host
        as root.
    type: str
    aliases: [docker_url]
  api_version:
    description:
      - Engine API version to speak, such as C(1.41), or C(auto) to use the daemon's own version.
      - When not given, E(DOCKER_API_VERSION) is used, then C(auto).
      - Options that need a newer API than this fail before anything is sent.
    type: str
    aliases: [docker_api_version]
  timeout:
    description:
      - Seconds to wait for an answer from the daemon.
      - When not given, E(DOCKER_TIMEOUT) is used, then C(60).
    type: int
  tls:
    description:
      - Talk TLS to the daemon without verifying its certificate. Prefer O(validate_certs).
      - When not given, E(DOCKER_TLS) is used, then C(false).
    type: bool
  validate_certs:
    description:
      - Talk TLS to the daemon and verify its certificate (against O(ca_path) when given).
      - When not given, E(DOCKER_TLS_VERIFY) is used, then C(false).
    type: bool
    aliases: [tls_verify]
  ca_path:
    description:
      - CA certificate used to verify the daemon. Defaults to C(ca.pem) in E(DOCKER_CERT_PATH) when that is set,
        and otherwise to the system's CA certificates.
    type: path
    aliases: [ca_cert, tls_ca_cert, cacert_path]
  client_cert:
    description:
      - Client certificate for TLS client authentication. Defaults to C(cert.pem) in E(DOCKER_CERT_PATH).
    type: path
    aliases: [tls_client_cert, cert_path]
  client_key:
    description:
      - Key of O(client_cert). Defaults to C(key.pem) in E(DOCKER_CERT_PATH).
    type: path
    aliases: [tls_client_key, key_path]
  tls_hostname:
    description:
      - Name the daemon's certificate must carry when it differs from the host in O(docker_host).
      - When not given, E(DOCKER_TLS_HOSTNAME) is used.
    type: str
  use_ssh_client:
    description:
      - For C(ssh://) addresses, use the system's C(ssh) client instead of paramiko.
    type: bool
requirements:
  - docker >= 7.0 (Docker SDK for Python), requests and paramiko, only for C(ssh://) addresses in O(docker_host).
    Unix sockets and TCP (with or without TLS) need nothing beyond Python's standard library.
notes:
  - Connection options can be set once for all modules with
    C(module_defaults) and the action group C(group/dockernet.core.docker).
"""
