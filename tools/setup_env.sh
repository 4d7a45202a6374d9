#!/usr/bin/env bash
# Prepare the Python environment of mmplugins in $VENV (default .venv).
#
# Every step is skipped when it is already done, so `make test` / `make demo` can call this on
# each run. The slow step is mmcv 2.1.0: PyPI has it only as an sdist, so it is compiled here
# (about 18 minutes on 2 cores) and the wheel is kept in $MMPLUGINS_WHEELHOUSE for later runs.
#
#   DEVICE=cpu|cuda   which torch build and which mmcv ops to compile (default cpu)
#   VENV=PATH         where the virtual environment lives (default .venv)
#   PYTHON=EXE        interpreter used to create it (default python3; 3.10 or 3.11 tested)
#   MAX_JOBS=N        parallel compile jobs for mmcv (default 2)
set -euo pipefail

cd "$(dirname "$0")/.."
DEVICE=${DEVICE:-cpu}
VENV=${VENV:-.venv}
PYTHON=${PYTHON:-python3}
TORCH_VERSION=2.13.0
MMCV_VERSION=2.1.0
WHEELHOUSE=${MMPLUGINS_WHEELHOUSE:-${XDG_CACHE_HOME:-$HOME/.cache}/mmplugins/wheels/torch${TORCH_VERSION}-${DEVICE}}

case "$DEVICE" in
  cpu)  TORCH_SPEC="torch==${TORCH_VERSION}+cpu"; FORCE_CUDA=0 ;;
  cuda) TORCH_SPEC="torch==${TORCH_VERSION}";     FORCE_CUDA=1 ;;
  *) echo "setup_env.sh: DEVICE must be 'cpu' or 'cuda', got '$DEVICE'" >&2; exit 2 ;;
esac

# The stamp records what the environment was built from; any change rebuilds the affected steps.
fingerprint=$(cat requirements/*.txt setup.cfg setup.py mmplugins_mim.pth pyproject.toml tools/setup_env.sh | sha256sum | cut -d' ' -f1)
stamp="$VENV/.mmplugins-ready-$DEVICE"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fingerprint" ]; then
  exit 0
fi

log() { printf '[setup_env] %s\n' "$*"; }

if [ ! -x "$VENV/bin/python" ]; then
  log "creating virtual environment $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"
PIP=("$PY" -m pip install --disable-pip-version-check)

# mmcv's setup.py and mmengine (at run time) import pkg_resources, which setuptools 81 removed.
"${PIP[@]}" -q "setuptools>=70,<81" wheel ninja psutil
if ! "$PY" -c "import torch, sys; sys.exit(0 if torch.__version__.split('+')[0] == '$TORCH_VERSION' else 1)" 2>/dev/null; then
  log "installing $TORCH_SPEC"
  "${PIP[@]}" "$TORCH_SPEC"
fi
"${PIP[@]}" -q -r requirements/deps.txt
# mmcv imports mmengine, so the OpenMMLab packages come first (mmdet/mmseg only check mmcv's
# version when they are imported).
"${PIP[@]}" -q --no-deps -r requirements/runtime.txt

mmcv_ok() {
  "$PY" - <<PYEOF 2>/dev/null
import mmcv, mmcv.ops
assert mmcv.__version__ == '$MMCV_VERSION', mmcv.__version__
mmcv.ops.get_compiler_version()   # raises unless the compiled _ext module is present
PYEOF
}
if ! mmcv_ok; then
  wheel=$(ls "$WHEELHOUSE"/mmcv-${MMCV_VERSION}-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$wheel" ]; then
    log "compiling mmcv $MMCV_VERSION with ops for $DEVICE (about 18 min on 2 cores; done once, kept in $WHEELHOUSE)"
    mkdir -p "$WHEELHOUSE"
    tmp=$(mktemp -d "$WHEELHOUSE/.build.XXXXXX")
    trap 'rm -rf "$tmp"' EXIT
    # --no-build-isolation: without it the build env has no torch and mmcv silently skips its ops.
    MMCV_WITH_OPS=1 FORCE_CUDA=$FORCE_CUDA MAX_JOBS=${MAX_JOBS:-2} \
      "$PY" -m pip wheel --no-build-isolation --no-deps -w "$tmp" "mmcv==$MMCV_VERSION"
    built=$(ls "$tmp"/mmcv-*.whl)
    mv "$built" "$WHEELHOUSE/"          # same file system: the wheel appears whole or not at all
    wheel="$WHEELHOUSE/$(basename "$built")"
  fi
  log "installing $wheel"
  "${PIP[@]}" -q --no-deps --force-reinstall "$wheel"
  mmcv_ok || { echo "setup_env.sh: mmcv $MMCV_VERSION installed but mmcv.ops does not load" >&2; exit 1; }
fi

"${PIP[@]}" -q -r requirements/tests.txt
"${PIP[@]}" -q --no-deps --no-build-isolation -e .

"$PY" -c "import mmcv.ops, mmdet, mmseg, spikingjelly, mmplugins; print('[setup_env] ready:', 'torch', __import__('torch').__version__, 'mmcv', mmcv.__version__, 'mmdet', mmdet.__version__, 'mmseg', mmseg.__version__)"
echo "$fingerprint" > "$stamp"
