#!/bin/sh
# path_without_docker.sh DIR: print $PATH with no docker command on it, as in an execution
# environment (which has no docker CLI). Each directory of $PATH that holds a docker command
# (/usr/bin, where Debian's docker.io puts it) is replaced by DIR/N, a copy made of links to its
# other commands, so the rest of that directory stays reachable. Used by the role_overlay target
# and the ecosystem suite's runner jobs.
set -eu
base="$1"
rm -rf "$base"
keep=
index=0
oldifs=$IFS
IFS=:
for dir in $PATH; do
    IFS=$oldifs
    if [ -x "$dir/docker" ]; then
        index=$((index + 1))
        mkdir -p "$base/$index"
        ln -s "$dir"/* "$base/$index"/
        rm -f "$base/$index/docker"
        dir="$base/$index"
    fi
    keep="$keep${keep:+:}$dir"
    IFS=:
done
printf '%s' "$keep"
