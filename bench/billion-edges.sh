#!/bin/sh
# A GCN (64 -> 64 -> 16) over an RMAT graph too big for an in-memory edge
# list, end to end on one machine: generate straight into a binary CSR
# file, then run gnn-run on it (the CSR and the features memory-mapped).
# Prints each step's wall time and peak RSS (/usr/bin/time -v).
#
#   bench/billion-edges.sh [SCALE] [EDGES] [DIR]
#     SCALE: log2 of the vertex count (default 24); EDGES: default 1000000000
#     DIR: where the files go (default build/billion; ~13 GB at 1e9 edges)
#   MEMORY=4G: what a fill pass may hold (gnn-graph --memory)
#   CONVERT=1: also write the edge list (.npy) and time `gnn-graph convert`
#              on it (the edge list is 16 bytes an edge in memory: only for
#              graphs well below the machine's memory)
set -eu
scale=${1:-24}
edges=${2:-1000000000}
dir=${3:-build/billion}
bin=${BIN:-build/bin}
memory=${MEMORY:-4G}
n=$((1 << scale))
mkdir -p "$dir"
g="$dir/rmat-$scale-$edges"

step() { # NAME COMMAND...: runs it under time -v, prints time and peak RSS
  name=$1; shift
  nice /usr/bin/time -v "$@" 2> "$g.$name.time" > "$g.$name.out" || {
    cat "$g.$name.time"; exit 1; }
  grep -v -e '^\s' "$g.$name.time" | grep -v '^Command' >&2 || true
  wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$g.$name.time")
  rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$g.$name.time")
  printf '%-10s wall %10s   peak RSS %6.2f GiB\n' "$name" "$wall" \
    "$(echo "$rss / 1048576" | bc -l)"
}

step generate "$bin/gnn-graph" generate --kind=rmat --vertices=$n \
  --edges=$edges --features=64 --seed=1 --format=csr --memory=$memory \
  --out="$g"
if [ "${CONVERT:-0}" = 1 ]; then
  step edgelist "$bin/gnn-graph" generate --kind=rmat --vertices=$n \
    --edges=$edges --seed=1 --out="$g.list"
  step convert "$bin/gnn-graph" convert --graph="$g.list.edges.npy" \
    --num-nodes=$n --memory=$memory --out="$g.converted.csr"
  cmp "$g.csr" "$g.converted.csr" && echo "convert: the same bytes as generate --format=csr"
fi
"$bin/gnnc" examples/models/gcn.gnn --emit=params --set in_channels=64 > "$dir/gcn64.params"
/usr/bin/python3 scripts/random-weights "$dir/gcn64.params" "$dir/gcn64.safetensors" --seed 1
step run "$bin/gnn-run" examples/models/gcn.gnn --graph "$g.csr" \
  --features "$g.features.npy" --weights "$dir/gcn64.safetensors" \
  --output "$g.out.npy" --stats
grep -e '^inference' -e '^graph' -e '^memory' -e '^total' "$g.run.out"
