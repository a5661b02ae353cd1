#!/usr/bin/env bash
# build-subproject.sh GNNC_SRC HOST_DIR MAIN_CPP OUT [CMAKE_ARGS...]: lays
# out a host project in a fresh folder under $TMPDIR, outside gnnc's source
# and build trees: HOST_DIR's CMakeLists.txt, MAIN_CPP as main.cpp and gnnc
# at third_party/gnnc (a link to GNNC_SRC); configures it, builds only its
# target my-host (and so only the gnnc libraries it links) and copies the
# program to OUT. Prints how long the build took.
set -euo pipefail
src=$1 host=$2 main=$3 out=$4
shift 4
dir=$(mktemp -d "${TMPDIR:-/tmp}/gnnc-subproject.XXXXXX")
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/host/third_party"
cp "$host/CMakeLists.txt" "$dir/host/"
cp "$main" "$dir/host/main.cpp"
ln -s "$src" "$dir/host/third_party/gnnc"
# ccache hashes the paths inside the folder relative to it, so a later run
# in another fresh folder reuses this one's objects.
export CCACHE_BASEDIR=$dir
cmake -S "$dir/host" -B "$dir/build" -G Ninja "$@" > "$dir/configure.log" \
  || { cat "$dir/configure.log"; exit 1; }
start=$(date +%s)
cmake --build "$dir/build" --target my-host > "$dir/build.log" \
  || { tail -50 "$dir/build.log"; exit 1; }
echo "built my-host in $(( $(date +%s) - start )) s"
# What was configured: gnnc's libraries, none of its tools or tests.
targets=$(cmake --build "$dir/build" -- -t targets all)
for target in GNNEngine gnn-run gnnc-python gnn-unittests; do
  if grep -q "^$target: phony" <<< "$targets"; then
    echo "target $target: yes"
  else
    echo "target $target: no"
  fi
done
cp "$dir/build/my-host" "$out"
