#!/usr/bin/env python3
"""Loads a model file of this library into PyTorch, as a user would, and prints its logits for rows.

    python3 load_in_pytorch.py MODEL.safetensors < rows.json > logits.json

The module is the one the file's names and shapes describe: a `layers` ModuleList of nn.Linear, filled by
load_state_dict(strict=True) from the file's tensors (read with the format's own rules: an 8-byte
little-endian header length, the JSON header, little-endian F32 data; the safetensors package would do
the same), with the hidden activations that the file's vmlp.activations names. Input scaling is not
applied: the test gives a model without one. Reads a JSON list of rows, prints a JSON list of logit rows.
"""
import json
import struct
import sys

import torch
from torch import nn

ACTIVATIONS = {"identity": lambda z: z, "relu": torch.relu, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
               "leaky_relu": lambda z: nn.functional.leaky_relu(z, 0.01)}


class Layers(nn.Module):
    def __init__(self, shapes, activations):
        super().__init__()
        self.layers = nn.ModuleList(nn.Linear(i, o) for o, i in shapes)
        self.activations = activations

    def forward(self, x):
        for k, layer in enumerate(self.layers):
            x = layer(x)
            if k < len(self.activations):
                x = ACTIVATIONS[self.activations[k]](x)
        return x


def main():
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    metadata = header.pop("__metadata__", {})
    state = {}
    for name, t in header.items():
        begin, end = t["data_offsets"]
        if t["dtype"] != "F32":
            sys.exit("load_in_pytorch.py: " + name + " is " + t["dtype"])
        raw = bytearray(data[8 + n + begin:8 + n + end])
        state[name] = torch.frombuffer(raw, dtype=torch.float32).reshape(t["shape"])
    count = len([k for k in state if k.endswith(".weight")])
    shapes = [tuple(state["layers.%d.weight" % k].shape) for k in range(count)]
    activations = [a for a in metadata["vmlp.activations"].split(",") if a]
    net = Layers(shapes, activations)
    net.load_state_dict(state, strict=True)
    rows = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
    with torch.no_grad():
        print(json.dumps(net(rows).tolist()))


if __name__ == "__main__":
    main()
