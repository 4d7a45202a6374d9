# mmplugins: every target prepares what it needs first and skips work that is already done.
#   make demo                 train + evaluate Swin Mask R-CNN and UperNet on the shapes data
#   make test                 run the test suite
#   make setup DEVICE=cuda    the same environment with the CUDA build of torch and mmcv ops
VENV ?= .venv
DEVICE ?= cpu
PY := $(VENV)/bin/python
SHAPES ?= data/shapes
PYTEST_ARGS ?=

.PHONY: setup data demo test bench leaderboard clean

setup:
	@DEVICE=$(DEVICE) VENV=$(VENV) bash tools/setup_env.sh

data: setup
	@$(PY) tools/make_shapes_dataset.py --out $(SHAPES)

demo: data
	@$(PY) tools/demo.py --data $(SHAPES)

test: setup
	@$(PY) -m pytest tests $(PYTEST_ARGS)

clean:
	rm -rf work_dirs .pytest_cache
