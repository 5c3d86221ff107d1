#!/bin/sh
# Install the pinned torch into the given Python without pulling a multi-GB CUDA
# build onto a machine that has no NVIDIA GPU.
#   usage: sh tools/install_torch.sh PYTHON
# Order of preference:
#   1. torch already installed at the pinned version      -> nothing to do
#   2. a local wheel (pip's find-links, e.g. a course lab) -> use it
#   3. an NVIDIA GPU (nvidia-smi) or macOS                -> PyPI's default build
#   4. Linux without a GPU                                 -> PyTorch's CPU-only index
# Override with TORCH_SPEC="torch==X.Y.Z" and/or TORCH_INDEX_URL=... .
set -eu
py=${1:-python3}
spec=${TORCH_SPEC:-$(grep '^torch==' "$(dirname "$0")/../constraints.txt")}
want=${spec#torch==}

have=$("$py" -c 'import torch; print(torch.__version__.split("+")[0])' 2>/dev/null || true)
if [ "$have" = "$want" ]; then
    echo "install_torch: torch $have already installed"; exit 0
fi

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
if [ -n "${TORCH_INDEX_URL:-}" ]; then
    echo "install_torch: $spec from $TORCH_INDEX_URL"
    exec "$py" -m pip install "$spec" --index-url "$TORCH_INDEX_URL" --extra-index-url https://pypi.org/simple
elif "$py" -m pip download -q --no-index --no-deps -d "$tmp" "$spec" >/dev/null 2>&1; then
    echo "install_torch: $spec from a local wheel"
    exec "$py" -m pip install "$spec"
elif command -v nvidia-smi >/dev/null 2>&1 || [ "$(uname -s)" = Darwin ]; then
    echo "install_torch: $spec, default build (GPU or macOS)"
    exec "$py" -m pip install "$spec"
else
    echo "install_torch: $spec, CPU-only build (no NVIDIA GPU found)"
    exec "$py" -m pip install "$spec" --index-url https://download.pytorch.org/whl/cpu \
        --extra-index-url https://pypi.org/simple
fi
