#!/usr/bin/env python3
"""bench seg's PyTorch side: the segmentation U-Net (same topology as core/.../seg/UNet.java: per level two
k3 convolutions + ReLU, 2x max pooling, a two-convolution bottleneck, nearest 2x upsampling, concatenation
with the level's encoder output, two convolutions, a 1x1 convolution to 3 logits with bias -2), CPU, Adam +
soft Dice + BCE on 3 sigmoid regions, one training step timed like SegStepProbe.
Usage: bench_seg_torch.py 3d|2d C,D,H,W BATCH STEPS WARMUP THREADS FILTERS LEVELS
(D, H, W already padded to a multiple of 2^LEVELS; in 2d one example is an H x W slice). Prints one line
starting with STEP."""
import resource
import sys
import time

import torch
from torch import nn


class UNet(nn.Module):
    def __init__(self, three, channels, filters, levels):
        super().__init__()
        conv = nn.Conv3d if three else nn.Conv2d
        pool = nn.MaxPool3d if three else nn.MaxPool2d

        def block(cin, cout):
            return nn.Sequential(conv(cin, cout, 3, 1, 1), nn.ReLU(), conv(cout, cout, 3, 1, 1), nn.ReLU())

        self.down = nn.ModuleList()
        cin = channels
        for level in range(levels):
            self.down.append(block(cin, filters << level))
            cin = filters << level
        self.pool = pool(2, 2)
        self.bottom = block(cin, filters << levels)
        self.up = nn.Upsample(scale_factor=2, mode="nearest")
        self.dec = nn.ModuleList()
        cin = filters << levels
        for level in reversed(range(levels)):
            self.dec.append(block(cin + (filters << level), filters << level))
            cin = filters << level
        self.logits = conv(cin, 3, 1)
        nn.init.constant_(self.logits.bias, -2.0)

    def forward(self, x):
        skips = []
        for d in self.down:
            x = d(x)
            skips.append(x)
            x = self.pool(x)
        x = self.bottom(x)
        for d, s in zip(self.dec, reversed(skips)):
            x = d(torch.cat([self.up(x), s], 1))
        return self.logits(x)


def dice_bce(z, y, smooth=1.0):
    p = torch.sigmoid(z)
    dims = tuple(range(2, z.dim()))
    dice = (2 * (p * y).sum(dims) + smooth) / (p.sum(dims) + y.sum(dims) + smooth)
    bce = nn.functional.binary_cross_entropy_with_logits(z, y, reduction="none").mean(dim=tuple(range(1, z.dim())))
    return (1 - dice.mean(1) + bce).mean()


def main():
    three = sys.argv[1] == "3d"
    c, d, h, w = (int(x) for x in sys.argv[2].split(","))
    batch, steps, warmup, threads, filters, levels = (int(x) for x in sys.argv[3:9])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = UNet(three, c, filters, levels)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    shape = (batch, c, d, h, w) if three else (batch, c, h, w)
    x = torch.randn(*shape)
    y = (torch.rand(batch, 3, *shape[2:]) > 0.9).float()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = dice_bce(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024
    print("STEP backend=pytorch-%s seconds=%.4f min=%.4f peak_rss_mb=%d library=torch-threads-%d"
          % (torch.__version__, sum(times) / len(times), min(times), peak_mb, threads))


if __name__ == "__main__":
    main()
