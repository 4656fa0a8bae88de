#!/usr/bin/env python3
"""Writes the PyTorch fixture of PyTorchFileTest (run from this folder with a Python that has torch):

  pytorch-64-32-10.safetensors        nn.Sequential(Linear(64, 32), ReLU(), Linear(32, 10)) with
                                      PyTorch's default initialisation, its state_dict keys renamed
                                      0.* -> layers.0.*, 2.* -> layers.1.*, metadata {"format": "pt"}
  pytorch-64-32-10-expected.json      8 input rows and the logits and softmax probabilities that
                                      PyTorch computes for them in float32
  pytorch-64-32-10-sgd.safetensors    the first network after 200 steps of per-sample SGD in PyTorch
                                      (torch.optim.SGD, lr 0.01, cross_entropy of one sample a step)
  pytorch-64-32-10-sgd-steps.json     those 200 samples, their labels and the loss of each step
  pytorch-named-half.safetensors      a module of named layers, hidden = Linear(64, 32) and
                                      out = Linear(32, 10) in float16, middle = Linear(32, 32,
                                      bias=False) in bfloat16, with its state_dict keys as they are
                                      (hidden.weight, hidden.bias, middle.weight, out.*), no metadata
  pytorch-named-half-expected.json    8 input rows and the logits PyTorch computes for them in float32
                                      after net.float() (which widens the stored values exactly)

The file is written the way the safetensors library writes one (safetensors.torch.save_file), without
needing that library: tensors sorted by name (all have the same dtype), compact JSON with
__metadata__ first, the header padded with spaces to a multiple of 8 bytes, little-endian data.
Made with Debian's python3-torch 1.13.1 (torch.__version__ says 1.13.0a0) and numpy 1.24. Run again,
the script writes the same weights bit for bit, but the float32 logits and losses PyTorch computes may
move by a few ulps with the processor (its sums follow the machine); the tests allow for that, and the
committed expectations are those of the run that made each file.
"""
import json
import struct

import numpy as np
import torch
from torch import nn

STEM = "pytorch-64-32-10"


DTYPES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16"}


def save_safetensors(path, tensors, metadata):
    header = {"__metadata__": metadata} if metadata else {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, torch.Tensor):
            dtype = DTYPES[value.dtype]
            # the raw 16 or 32 bits of each value, little-endian (numpy has no bfloat16)
            bits = value.contiguous().view(torch.int16 if value.element_size() == 2 else torch.int32)
            array = bits.numpy().astype("<i2" if value.element_size() == 2 else "<i4")
        else:
            dtype = "F32"
            array = np.ascontiguousarray(value, dtype="<f4")
        blob = array.tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        offset += len(blob)
        blobs.append(blob)
    text = json.dumps(header, separators=(",", ":")).encode("utf-8")
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def layer_tensors(net):
    """The Sequential's tensors under this library's names: 0.* -> layers.0.*, 2.* -> layers.1.*."""
    renamed = {"0": "layers.0", "2": "layers.1"}
    tensors = {}
    for key, value in net.state_dict().items():
        module, kind = key.split(".")
        tensors[renamed[module] + "." + kind] = value.detach().numpy()
    return tensors


def main():
    torch.manual_seed(20261126)
    net = nn.Sequential(nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
    save_safetensors(STEM + ".safetensors", layer_tensors(net), {"format": "pt"})

    # Rows like the bundled digits: pixel counts 0..16, about half of them zero.
    rng = np.random.default_rng(7)
    x = rng.integers(0, 17, size=(8, 64)).astype(np.float32)
    x[rng.random(size=x.shape) < 0.5] = 0
    with torch.no_grad():
        logits = net(torch.from_numpy(x))
        probabilities = torch.softmax(logits, dim=1)
    expected = {
        "torch_version": torch.__version__,
        "activation": "relu",
        "inputs": x.tolist(),
        "logits": logits.numpy().astype(np.float64).tolist(),
        "probabilities": probabilities.numpy().astype(np.float64).tolist(),
    }
    write_expected(STEM + "-expected.json", expected)
    sgd_steps(net)
    named_half(x)


def sgd_steps(net):
    """200 steps of SGD with batch size 1, as vmlp trains: each sample's loss, its gradient, an update."""
    rng = np.random.default_rng(11)
    x = rng.integers(0, 17, size=(200, 64)).astype(np.float32)
    x[rng.random(size=x.shape) < 0.5] = 0
    y = rng.integers(0, 10, size=200)
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01)
    losses = []
    for i in range(len(y)):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(net(torch.from_numpy(x[i:i + 1])), torch.from_numpy(y[i:i + 1]))
        loss.backward()
        optimizer.step()
        losses.append(float(loss))
    save_safetensors(STEM + "-sgd.safetensors", layer_tensors(net), {"format": "pt"})
    write_expected(STEM + "-sgd-steps.json", {
        "torch_version": torch.__version__,
        "learning_rate": 0.01,
        "inputs": x.tolist(),
        "labels": y.tolist(),
        "losses": losses,
    })


def write_expected(path, expected):
    with open(path, "w") as f:
        f.write("{\n")
        items = list(expected.items())
        for i, (key, value) in enumerate(items):
            if isinstance(value, list):
                rows = ",\n  ".join(json.dumps(row) for row in value)
                text = "[\n  " + rows + "\n ]"
            else:
                text = json.dumps(value)
            f.write(" " + json.dumps(key) + ": " + text + ("," if i < len(items) - 1 else "") + "\n")
        f.write("}\n")


class Named(nn.Module):
    """Layers as attributes: their state_dict names do not give their order, their shapes do."""

    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(64, 32)
        self.middle = nn.Linear(32, 32, bias=False)
        self.out = nn.Linear(32, 10)

    def forward(self, x):
        return self.out(torch.relu(self.middle(torch.relu(self.hidden(x)))))


def named_half(x):
    torch.manual_seed(20261129)
    net = Named()
    net.hidden.half()
    net.middle.bfloat16()
    net.out.half()
    save_safetensors("pytorch-named-half.safetensors", dict(net.state_dict()), None)
    net.float()
    with torch.no_grad():
        logits = net(torch.from_numpy(x))
    write_expected("pytorch-named-half-expected.json", {
        "torch_version": torch.__version__,
        "activation": "relu",
        "inputs": x.tolist(),
        "logits": logits.numpy().astype(np.float64).tolist(),
    })


if __name__ == "__main__":
    main()
