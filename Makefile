# gnnc entry points. Each target installs what it needs, then builds.
BUILD_DIR ?= build
BUILD_TYPE ?= Release
JOBS ?= $(shell nproc)
DEMO_DIR ?= demo-data
DEMO_VERTICES ?= 131072
DEMO_EDGES ?= 1200000
BIN := $(BUILD_DIR)/bin

export CCACHE_BASEDIR := $(CURDIR)

.PHONY: all deps build test test-sanitize demo clean install

all: build

deps:
	@scripts/install-deps

$(BUILD_DIR)/build.ninja:
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) \
	  -DPython3_EXECUTABLE=/usr/bin/python3

build: deps $(BUILD_DIR)/build.ninja
	cmake --build $(BUILD_DIR) -j $(JOBS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS)

# The whole suite again, built with AddressSanitizer and UBSan in
# $(SANITIZE_BUILD_DIR) (docs/reliability.md, "Sanitizers"). LLVM's
# allocators poison memory through inline header code that Debian's
# uninstrumented libLLVM/libMLIR never unpoisons (allow_user_poisoning=0);
# LSan skips the third-party leaks listed in test/lsan.supp.
SANITIZE_BUILD_DIR ?= build-sanitize
SANITIZE_ENV := ASAN_OPTIONS=allow_user_poisoning=0 \
  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
  LSAN_OPTIONS=suppressions=$(CURDIR)/test/lsan.supp:print_suppressions=0

$(SANITIZE_BUILD_DIR)/build.ninja:
	cmake -S . -B $(SANITIZE_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DGNN_SANITIZE=ON -DPython3_EXECUTABLE=/usr/bin/python3

test-sanitize: deps $(SANITIZE_BUILD_DIR)/build.ninja
	env $(SANITIZE_ENV) cmake --build $(SANITIZE_BUILD_DIR) -j $(JOBS)
	cd $(SANITIZE_BUILD_DIR) && env $(SANITIZE_ENV) ctest --output-on-failure -j $(JOBS)

# The tools, the public headers, the libraries and the CMake package
# (find_package(gnnc): gnnc::engine, gnnc::runtime) under PREFIX
# (docs/embedding.md, "Building against it").
PREFIX ?= /usr/local
install: build
	cmake --install $(BUILD_DIR) --prefix $(PREFIX)

# The main job: a 2-layer GCN over a generated RMAT graph, through the JIT,
# on one process and then on 2 MPI ranks.
demo: build
	@mkdir -p $(DEMO_DIR)
	$(BIN)/gnn-graph generate --kind=rmat --vertices=$(DEMO_VERTICES) \
	  --edges=$(DEMO_EDGES) --features=128 --seed=1 --out=$(DEMO_DIR)/rmat
	$(BIN)/gnnc examples/models/gcn.gnn --emit=params -o $(DEMO_DIR)/gcn.params
	scripts/random-weights $(DEMO_DIR)/gcn.params $(DEMO_DIR)/gcn.safetensors --seed 1
	$(BIN)/gnn-run examples/models/gcn.gnn --graph $(DEMO_DIR)/rmat.edges.npy \
	  --features $(DEMO_DIR)/rmat.features.npy \
	  --weights $(DEMO_DIR)/gcn.safetensors --output $(DEMO_DIR)/gcn.out.npy --stats \
	  --gather-blocks 1
	@echo "--- the same on 2 MPI ranks (graph split by range, halo exchange between stages;"
	@echo "    pulled source rows keep every sum in the single process's order, which"
	@echo "    --gather-blocks 1 keeps whole on a machine whose cache would block it)"
	mpiexec -n 2 $(BIN)/gnn-run examples/models/gcn.gnn --graph $(DEMO_DIR)/rmat.edges.npy \
	  --features $(DEMO_DIR)/rmat.features.npy --exchange pull \
	  --weights $(DEMO_DIR)/gcn.safetensors --output $(DEMO_DIR)/gcn.2ranks.npy --stats
	@cmp -s $(DEMO_DIR)/gcn.out.npy $(DEMO_DIR)/gcn.2ranks.npy \
	  && echo "demo: 2 ranks and 1 process agree: the outputs are identical, bit for bit" \
	  || { echo "demo: 2 ranks and 1 process DISAGREE"; exit 1; }

clean:
	rm -rf $(BUILD_DIR) $(DEMO_DIR)

# Benchmarks against PyTorch and the machine's limits (bench/, docs/performance.md).
# BENCH_FLAGS passes options to bench/bench.py (see bench/bench.py --help).
BENCH_FLAGS ?=
.PHONY: bench bench-quick bench-ablation bench-deps

bench-deps:
	@scripts/install-deps --bench

$(BUILD_DIR)/bench/stream: bench/stream.cpp
	@mkdir -p $(dir $@)
	g++ -O3 -march=native -fopenmp -o $@ $<

bench: build bench-deps $(BUILD_DIR)/bench/stream
	/usr/bin/python3 bench/bench.py --build $(BUILD_DIR) $(BENCH_FLAGS)
	/usr/bin/python3 bench/report.py bench/results/full.json

bench-quick: build bench-deps $(BUILD_DIR)/bench/stream
	/usr/bin/python3 bench/bench.py --quick --build $(BUILD_DIR) $(BENCH_FLAGS)

# Issue 15's ablation alone (~25 min): the machine's limits and gnnc with
# each technique alone and together on rmat-22 and sbm-22, into
# bench/results/ablation.json; the page shows the later of it and full.json's.
bench-ablation: build bench-deps $(BUILD_DIR)/bench/stream
	/usr/bin/python3 bench/bench.py --only-ablation --build $(BUILD_DIR) $(BENCH_FLAGS)
	/usr/bin/python3 bench/report.py bench/results/full.json

# Fuzzing with libFuzzer (fuzz/README.md): a clang-19 build in
# $(FUZZ_BUILD_DIR) with ASan and UBSan, then each target for FUZZ_SECONDS
# on a scratch copy of its seed corpus fuzz/corpus/NAME; new crash inputs
# land in $(FUZZ_BUILD_DIR)/fuzz/artifacts/.
FUZZ_BUILD_DIR ?= build-fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= npy safetensors edgelist partition csrfile schedule object frontend
.PHONY: fuzz fuzz-deps fuzz-build

fuzz-deps:
	@scripts/install-deps
	@scripts/install-deps --fuzz

$(FUZZ_BUILD_DIR)/build.ninja:
	cmake -S . -B $(FUZZ_BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release \
	  -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 -DGNN_FUZZ=ON \
	  -DPython3_EXECUTABLE=/usr/bin/python3

fuzz-build: fuzz-deps $(FUZZ_BUILD_DIR)/build.ninja
	cmake --build $(FUZZ_BUILD_DIR) -j $(JOBS) --target $(addprefix fuzz-,$(FUZZ_TARGETS))

fuzz: fuzz-build
	@scripts/run-fuzz $(FUZZ_BUILD_DIR) $(FUZZ_SECONDS) $(FUZZ_TARGETS)
