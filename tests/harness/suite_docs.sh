# shellcheck shell=bash
# The docs suite of tests/run (sourced; runs in the collection copy, $DN_COLLECTION_DIR).
#
# The generated documentation must be current: tests/harness/gen_docs.py renders the module
# reference (docs/reference/) from ansible-doc, the role READMEs' diagrams from the
# network_info fixtures in docs/diagrams/. This regenerates
# everything into a temporary directory and compares it with what the work tree holds, and checks
# the support matrix's generated blocks and declarations (tests/harness/matrix.py check). Then every
# relative link of the Markdown files must lead to a file and heading that exist
# (tests/harness/check_links.py).

dn_suite_docs() {
    local out rc=0 relative
    out="$(mktemp -d "${TMPDIR:-/tmp}/dockernet-docs.XXXXXX")"
    if ! "$DN_PY" tests/harness/gen_docs.py --root "$PWD" --output "$out" >"$out.list"; then
        rm -rf "$out" "$out.list"
        echo "suite docs: tests/harness/gen_docs.py failed"
        return 1
    fi
    # the whole reference directory, so that pages of removed plugins count as stale too
    diff -ru docs/reference "$out/docs/reference" || rc=1
    while IFS= read -r relative; do
        [[ "$relative" == docs/reference/* ]] && continue
        diff -u "$relative" "$out/$relative" || rc=1
    done <"$out.list"
    echo "suite docs: checked $(wc -l <"$out.list") generated files"
    # README "Tested with" and docs/support.md against tests/matrix_results.json, and
    # requires_ansible and python_requires against the policy (tests/matrix.yml)
    "$DN_PY" tests/harness/matrix.py --root "$PWD" check || rc=1
    "$DN_PY" -m pytest -q -p no:cacheprovider tests/harness/test_matrix.py || rc=1
    rm -rf "$out" "$out.list"
    if ((rc != 0)); then
        echo "suite docs: the generated documentation is stale (diff above: work tree, then regenerated)."
        echo "Regenerate it in the work tree and commit the result:"
        echo "    .tmp/venv/bin/python tests/harness/gen_docs.py      (docs/reference, role README diagrams)"
        echo "    .tmp/venv/bin/python tests/harness/matrix.py publish (after a matrix run: Tested with)"
        return 1
    fi
    echo "suite docs: docs/reference and the role README diagrams are current"
    if ! "$DN_PY" tests/harness/check_links.py --root "$PWD"; then
        echo "suite docs: broken links (above): fix the link or the page it names"
        return 1
    fi
}
