# shellcheck shell=bash
# The lint suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).

dn_suite_lint() {
    echo "suite lint: nothing yet"
}
