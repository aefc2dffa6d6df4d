# Makes unet_rgb.safetensors: a 3-channel, 5-class lab U-Net and its eval-mode output, for the interop
# test (src/nn/unet-rgb.test.ts). Run by hand with Debian's python3-torch (1.13.1):
#   /usr/bin/python3 test/golden/make_unet_rgb.py /work/shared/seed/lab3_reference_solution.py test/golden/unet_rgb.safetensors
# The lab's classes are taken verbatim from the reference solution; the 3-channel model is its
# MNISTUNet with in_channels = 3 (init_conv.0 and final_conv) and 5 classes + ∅ (y_embedder).
# With a third argument (a flowlab checkpoint), it instead loads that file's bare state dict strictly.
import json, math, re, struct, sys
from abc import ABC, abstractmethod
from typing import List
import torch
import torch.nn as nn

src = open(sys.argv[1]).read()
# the lab's model classes, verbatim (the file's other cells need matplotlib and torch.func)
for name in ["ConditionalVectorField", "FourierEncoder", "ResidualLayer", "Encoder", "Midcoder", "Decoder", "MNISTUNet"]:
    m = re.search(r"^class %s\b.*?(?=^\S)" % name, src, re.S | re.M)
    exec(m.group(0), globals())


class RgbUNet(MNISTUNet):
    """The lab's MNISTUNet with in_channels = out_channels = 3 and num_classes real classes."""

    def __init__(self, channels, num_residual_layers, t_embed_dim, y_embed_dim, in_channels=3, num_classes=5):
        super().__init__(channels, num_residual_layers, t_embed_dim, y_embed_dim)
        self.init_conv[0] = nn.Conv2d(in_channels, channels[0], kernel_size=3, padding=1)
        self.y_embedder = nn.Embedding(num_embeddings=num_classes + 1, embedding_dim=y_embed_dim)
        self.final_conv = nn.Conv2d(channels[0], in_channels, kernel_size=3, padding=1)


def write_safetensors(path, tensors, metadata):
    header, blobs, off = {"__metadata__": metadata}, [], 0
    for k, t in tensors.items():
        t = t.detach().contiguous()
        dtype = {torch.float32: "F32", torch.int64: "I64"}[t.dtype]
        b = t.numpy().tobytes()
        header[k] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header).encode()
    h += b" " * (-len(h) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(h)) + h + b"".join(blobs))


def read_safetensors(path):
    import numpy as np
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + n])
    out = {}
    for k, v in header.items():
        if k == "__metadata__":
            continue
        a, b = v["data_offsets"]
        dt = {"F32": np.float32, "I64": np.int64, "I32": np.int32}[v["dtype"]]
        out[k] = torch.from_numpy(np.frombuffer(data[8 + n + a : 8 + n + b], dtype=dt).copy().reshape(v["shape"]))
    return out


ARCH = dict(channels=[8, 16, 32], num_residual_layers=1, t_embed_dim=40, y_embed_dim=40)

if len(sys.argv) > 3:
    # back: a flowlab checkpoint's bare keys load strictly into the PyTorch definition
    sd = {k: v for k, v in read_safetensors(sys.argv[3]).items() if not k.startswith(("ema.", "adam."))}
    net = RgbUNet(**ARCH, in_channels=3, num_classes=sd["y_embedder.weight"].shape[0] - 1)
    net.load_state_dict(sd, strict=True)
    net.eval()
    print("loaded strictly:", len(sd), "tensors")
    sys.exit(0)

torch.manual_seed(0)
net = RgbUNet(**ARCH)
g = torch.Generator().manual_seed(1234)
for m in net.modules():  # perturbed BatchNorms, as in unet_weights.safetensors
    if isinstance(m, nn.BatchNorm2d):
        C = m.num_features
        m.running_mean.copy_(0.3 * torch.randn(C, generator=g))
        m.running_var.copy_(0.5 + torch.rand(C, generator=g))
        m.weight.data.copy_(1 + 0.2 * torch.randn(C, generator=g))
        m.bias.data.copy_(0.2 * torch.randn(C, generator=g))
        m.num_batches_tracked.fill_(7)
net.eval()
x = torch.randn(4, 3, 16, 16, generator=g)
t = torch.rand(4, 1, 1, 1, generator=g)
y = torch.tensor([0, 4, 2, 5])  # 5 = ∅
with torch.no_grad():
    out = net(x, t, y)
tensors = {k: v for k, v in net.state_dict().items()}
tensors.update({"io.x": x, "io.t": t, "io.y": y, "io.out_eval": out})
write_safetensors(sys.argv[2], tensors, {"made_by": "test/golden/make_unet_rgb.py, PyTorch %s" % torch.__version__})
print("wrote", sys.argv[2], len(tensors), "tensors")
