"""Writes a random-weight SD1.5 checkpoint that ComfyUI detects as SD15.

Used only by the real-peer test tier: its images are noise, but every node of a
txt2img/img2img graph runs for real. The architecture comes from ComfyUI's own
classes, built on the meta device (no memory), then filled with small random f16
weights under the original LDM key prefixes.

usage: python make_sd15_checkpoint.py COMFYUI_DIR OUT.safetensors
"""

import json
import os
import sys

import torch


def main(comfy_dir: str, out: str) -> None:
    sys.path.insert(0, comfy_dir)
    # ComfyUI reads its command line on import (when asked to); without --cpu it looks for CUDA.
    sys.argv = [sys.argv[0], "--cpu"]
    import comfy.options

    comfy.options.enable_args_parsing()
    import comfy.ops
    from comfy.ldm.models.autoencoder import AutoencoderKL
    from comfy.ldm.modules.diffusionmodules.openaimodel import UNetModel
    from safetensors.torch import save_file
    from transformers import CLIPTextConfig, CLIPTextModel

    unet_config = dict(
        use_checkpoint=False, image_size=32, out_channels=4, use_spatial_transformer=True, legacy=False,
        adm_in_channels=None, in_channels=4, model_channels=320, num_res_blocks=[2, 2, 2, 2],
        transformer_depth=[1, 1, 1, 1, 1, 1, 0, 0], channel_mult=[1, 2, 4, 4], transformer_depth_middle=1,
        use_linear_in_transformer=False, context_dim=768, num_heads=8,
        transformer_depth_output=[1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0],
        use_temporal_attention=False, use_temporal_resblock=False,
    )
    vae_config = {"double_z": True, "z_channels": 4, "resolution": 256, "in_channels": 3, "out_ch": 3, "ch": 128,
                  "ch_mult": [1, 2, 4, 4], "num_res_blocks": 2, "attn_resolutions": [], "dropout": 0.0}
    with open(os.path.join(comfy_dir, "comfy", "sd1_clip_config.json")) as f:
        clip_config = CLIPTextConfig(**{k: v for k, v in json.load(f).items() if not k.startswith("_")})

    shapes = {}
    with torch.device("meta"):
        unet = UNetModel(**unet_config, operations=comfy.ops.disable_weight_init)
        vae = AutoencoderKL(ddconfig=vae_config, embed_dim=4)
        clip = CLIPTextModel(clip_config)
    for prefix, model in (("model.diffusion_model.", unet), ("first_stage_model.", vae),
                          ("cond_stage_model.transformer.", clip)):
        for key, tensor in model.state_dict().items():
            shapes[prefix + key] = tuple(tensor.shape)

    generator = torch.Generator().manual_seed(0)
    weights = {}
    for key, shape in shapes.items():
        if key.endswith("position_ids"):
            weights[key] = torch.arange(shape[-1], dtype=torch.int64).reshape(shape)
        elif "norm" in key and key.endswith("weight"):
            weights[key] = torch.ones(shape, dtype=torch.float16)
        else:
            weights[key] = (torch.randn(shape, generator=generator) * 0.02).to(torch.float16)
    os.makedirs(os.path.dirname(out) or ".", exist_ok=True)
    tmp = out + ".tmp"
    save_file(weights, tmp)
    os.replace(tmp, out)
    print(f"{out}: {len(weights)} tensors")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
