#!/usr/bin/env python3
"""bench seg's PyTorch side: the segmentation U-Net of core/.../seg/UNet.java rebuilt layer for layer, CPU,
Adam + soft Dice (+ BCE) over 3 sigmoid region channels; training steps timed like SegBenchmark's DL4J probe
(warm-up steps, then the median of the timed ones), in one of the variants of bench_common_torch.py.

Usage: bench_seg_torch.py C,D,H,W BATCH STEPS WARMUP FILTERS LEVELS BCE_WEIGHT [THREADS [VARIANT]]
The shape is the PADDED grid the DL4J network sees (each spatial size a multiple of 2^LEVELS). THREADS 0 (or
absent): torch's default. VARIANT: as in bench_common_torch.py (default ncdhw).
STEPS 0 is the lock-step mode of bench_common_torch.py (SegBenchmark alternates the DL4J and PyTorch steps
under the same machine load). The result is one JSON object on the last line of stdout; without torch it is
{"skipped": ...} and the exit status 0.

The network (UNet.java): per level l two Conv3d(k3, stride 1, padding 1, bias, ReLU) with FILTERS*2^l
filters, MaxPool3d(2); a bottleneck of two such convolutions with FILTERS*2^LEVELS filters; up each level
by nearest-neighbour 2x upsampling (DL4J's Upsampling3D repeats voxels; no transposed convolution, no
parameters), concatenation [upsampled, skip] along channels (ChannelMergeVertex), two convolutions; a 1x1x1
Conv3d to 3 logits, sigmoid. Loss (SoftDiceLoss.java), per example with p = sigmoid(z), smoothing 1:
  1 - mean_c (2 sum p y + 1) / (sum p + sum y + 1) + BCE_WEIGHT * mean BCE(z, y)
averaged over the minibatch. Adam with lr 1e-3 and torch's (= ND4J's) default betas and epsilon.
"""
import sys

from bench_common_torch import adam, import_torch, maybe_compile, parse_variant, progress, serve, to_layout

REGIONS = 3
SMOOTH = 1.0


def build(torch, nn, channels, filters, levels):
    def block(cin, cout):
        return nn.Sequential(nn.Conv3d(cin, cout, 3, 1, 1), nn.ReLU(inplace=True),
                             nn.Conv3d(cout, cout, 3, 1, 1), nn.ReLU(inplace=True))

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.enc = nn.ModuleList()
            cin = channels
            for level in range(levels):
                self.enc.append(block(cin, filters << level))
                cin = filters << level
            self.pool = nn.MaxPool3d(2, 2)
            self.bottom = block(cin, filters << levels)
            self.up = nn.Upsample(scale_factor=2, mode="nearest")
            self.dec = nn.ModuleList()
            below = filters << levels
            for level in range(levels - 1, -1, -1):
                f = filters << level
                self.dec.append(block(below + f, f))
                below = f
            self.logits = nn.Conv3d(filters, REGIONS, 1)

        def forward(self, x):
            skips = []
            for enc in self.enc:
                x = enc(x)
                skips.append(x)
                x = self.pool(x)
            x = self.bottom(x)
            for dec, skip in zip(self.dec, reversed(skips)):
                x = dec(torch.cat([self.up(x), skip], dim=1))
            return self.logits(x)

    return UNet()


def soft_dice_bce(torch, z, y, bce_weight):
    n = z.shape[0]
    zf = z.reshape(n, REGIONS, -1)
    yf = y.reshape(n, REGIONS, -1)
    p = torch.sigmoid(zf)
    dice = (2 * (p * yf).sum(-1) + SMOOTH) / (p.sum(-1) + yf.sum(-1) + SMOOTH)
    score = 1 - dice.mean(-1)
    if bce_weight > 0:
        bce = torch.nn.functional.binary_cross_entropy_with_logits(zf, yf, reduction="none").mean(dim=(1, 2))
        score = score + bce_weight * bce
    return score.mean()


def main():
    c, d, h, w = (int(x) for x in sys.argv[1].split(","))
    batch, steps, warmup, filters, levels = (int(x) for x in sys.argv[2:7])
    bce_weight = float(sys.argv[7])
    threads = int(sys.argv[8]) if len(sys.argv) > 8 else 0
    variant = sys.argv[9] if len(sys.argv) > 9 else "ncdhw"
    layout, _, compiled = parse_variant(variant)
    torch = import_torch()
    if torch is None:
        return
    from torch import nn
    if threads > 0:
        torch.set_num_threads(threads)
    torch.manual_seed(1)
    net = build(torch, nn, c, filters, levels)
    params = sum(p.numel() for p in net.parameters())
    net, (x, y) = to_layout(torch, layout, net,
                            [torch.randn(batch, c, d, h, w), (torch.rand(batch, REGIONS, d, h, w) < 0.5).float()])
    opt = adam(torch, variant, net.parameters(), 1e-3)
    forward_loss = maybe_compile(torch, compiled, lambda: soft_dice_bce(torch, net(x), y, bce_weight))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = forward_loss()
        loss.backward()
        opt.step()
        return loss.item()

    progress("PyTorch %s %s, %d threads, U-Net %d parameters, shape %dx%dx%dx%d batch %d"
             % (torch.__version__, variant, torch.get_num_threads(), params, c, d, h, w, batch))
    serve(torch, variant, step, steps, warmup, batch, {"params": params})


if __name__ == "__main__":
    main()
