# shellcheck shell=bash
# The podman suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).

dn_suite_podman() {
    echo "suite podman: nothing yet"
}
