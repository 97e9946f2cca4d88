#!/usr/bin/env python3
"""An external model for gavel's external-model protocol (surrogates/EXTERNAL.md): runs a
checkpoint of The Well's model classes with PyTorch on gavel's request and writes the response.

    gavel ... --external-command "python tools/external_model_example.py CHECKPOINT {request} {response}"

CHECKPOINT is a folder with model.safetensors + config.json (as save_pretrained writes it);
--class picks the_well's class (FNO, TFNO, UNetClassic, UNetConvNext). Any program that reads
dataset `input` [B, C_in, *space] from the request and writes `output` [B, C_out, *space]
(float32) to the response path works the same way.
"""
import argparse

import h5py
import numpy as np
import torch


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkpoint")
    parser.add_argument("request")
    parser.add_argument("response")
    parser.add_argument("--class", dest="cls", default="FNO")
    args = parser.parse_args()

    from the_well.benchmark import models

    model = getattr(models, args.cls).from_pretrained(args.checkpoint)
    model.eval()
    with h5py.File(args.request, "r") as request:
        x = torch.from_numpy(np.asarray(request["input"], dtype=np.float32))
        out_channels = int(request.attrs["out_channels"])
    with torch.no_grad():
        y = model(x).numpy().astype(np.float32)
    if y.shape[1] != out_channels:
        raise SystemExit(f"{args.checkpoint}: model gives {y.shape[1]} channels, gavel expects {out_channels}")
    with h5py.File(args.response, "w") as response:
        response.create_dataset("output", data=y)


if __name__ == "__main__":
    main()
