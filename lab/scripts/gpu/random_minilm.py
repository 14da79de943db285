"""Give a MiniLM model directory random (seeded) weights of the real shapes.

    python3 lab/scripts/gpu/random_minilm.py MODEL_DIR

For timing where the real weights cannot go: the device machine has no network and a
call carries 64 MiB, less than the 91 MB of all-MiniLM-L6-v2's weights. MODEL_DIR holds
the model's config and tokenizer files (lab/scripts/gpu/kit.sh copies them); this writes
``model.safetensors`` beside them with transformers' own initialisation. The embeddings
mean nothing; the cost of a forward pass is the real model's.
"""

from __future__ import annotations

import sys
from pathlib import Path


def main(model_dir: Path) -> None:
    import torch
    from transformers import AutoConfig, AutoModel

    torch.manual_seed(0)
    config = AutoConfig.from_pretrained(model_dir, local_files_only=True)
    AutoModel.from_config(config).save_pretrained(model_dir, safe_serialization=True)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]))
