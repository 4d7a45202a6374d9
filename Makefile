# mmplugins: every target prepares what it needs first and skips work that is already done.
#   make demo                 train + evaluate Swin Mask R-CNN and UperNet on the shapes data
#   make test                 run the test suite
#   make setup DEVICE=cuda    the same environment with the CUDA build of torch and mmcv ops
#   make leaderboard-train    train, evaluate and benchmark every model on the shapes data
VENV ?= .venv
DEVICE ?= cpu
PY := $(VENV)/bin/python
SHAPES ?= data/shapes
# two workers (one per core; each test process runs one thread), a test file per worker so a
# module's fixtures are built once
PYTEST_WORKERS ?= 2
PYTEST_ARGS ?=
LEADERBOARD ?= leaderboard
BENCH_ARGS ?= --runs 3 --warmup 1

.PHONY: setup data demo test bench leaderboard leaderboard-train clean

setup:
	@DEVICE=$(DEVICE) VENV=$(VENV) bash tools/setup_env.sh

data: setup
	@$(PY) tools/make_shapes_dataset.py --out $(SHAPES)

demo: data
	@$(PY) tools/demo.py --data $(SHAPES)

test: setup
	@$(PY) -m pytest -n $(PYTEST_WORKERS) --dist loadfile tests $(PYTEST_ARGS)

# benchmark JSONs of every registered backbone (224x224, default arch) into leaderboard/bench
bench: setup
	@$(PY) tools/leaderboard.py --benchmark-only --out-dir $(LEADERBOARD) $(BENCH_ARGS)

# bench + every trained shapes work dir under work_dirs/ (make demo's too), then the tables/plots
leaderboard: setup
	@$(PY) tools/leaderboard.py --benchmark --out-dir $(LEADERBOARD) $(BENCH_ARGS)

# the leaderboard suite (configs/leaderboard): every model family trained and evaluated on the
# shapes data with one schedule per task, two seeds, then benchmarked; a finished run is kept,
# an interrupted one resumes. About 2.5 hours on 2 CPU cores (one training per core).
SUITE_ARGS ?= --jobs 2 --threads 1
leaderboard-train: data
	@$(PY) tools/leaderboard.py --suite --out-dir $(LEADERBOARD) $(SUITE_ARGS) $(BENCH_ARGS)

clean:
	rm -rf work_dirs .pytest_cache
