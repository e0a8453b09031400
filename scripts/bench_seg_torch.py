#!/usr/bin/env python3
"""bench seg's PyTorch side: the segmentation U-Net of core/.../seg/UNet.java rebuilt layer for layer, CPU,
torch's default threads, Adam + soft Dice (+ BCE) over 3 sigmoid region channels; training steps timed like
SegBenchmark's DL4J probe (warm-up steps, then the median of the timed ones).

Usage: bench_seg_torch.py C,D,H,W BATCH STEPS WARMUP FILTERS LEVELS BCE_WEIGHT
The shape is the PADDED grid the DL4J network sees (each spatial size a multiple of 2^LEVELS).
Progress lines go to stderr; the result is one JSON object on the last line of stdout. Without torch it
prints {"skipped": ...} and exits 0.
STEPS 0 is SegBenchmark's lock-step mode: after the warm-up it prints "ready", then times one step for each
"step" line read from stdin (answering "step SECONDS LOSS") until "done" or end of input, so that the DL4J
and PyTorch steps alternate under the same machine load.

The network (UNet.java): per level l two Conv3d(k3, stride 1, padding 1, bias, ReLU) with FILTERS*2^l
filters, MaxPool3d(2); a bottleneck of two such convolutions with FILTERS*2^LEVELS filters; up each level
by nearest-neighbour 2x upsampling (DL4J's Upsampling3D repeats voxels; no transposed convolution, no
parameters), concatenation [upsampled, skip] along channels (ChannelMergeVertex), two convolutions; a 1x1x1
Conv3d to 3 logits, sigmoid. Loss (SoftDiceLoss.java), per example with p = sigmoid(z), smoothing 1:
  1 - mean_c (2 sum p y + 1) / (sum p + sum y + 1) + BCE_WEIGHT * mean BCE(z, y)
averaged over the minibatch. Adam with lr 1e-3 and torch's (= ND4J's) default betas and epsilon.
"""
import json
import resource
import statistics
import sys
import time

REGIONS = 3
SMOOTH = 1.0


def progress(msg):
    print("progress: " + msg, file=sys.stderr, flush=True)


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
    try:
        import torch
        from torch import nn
    except ImportError as e:
        print(json.dumps({"skipped": "PyTorch not importable (%s): pip install torch" % e}))
        return
    torch.manual_seed(1)
    net = build(torch, nn, c, filters, levels)
    params = sum(p.numel() for p in net.parameters())
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x = torch.randn(batch, c, d, h, w)
    y = (torch.rand(batch, REGIONS, d, h, w) < 0.5).float()

    def step():
        opt.zero_grad(set_to_none=True)
        loss = soft_dice_bce(torch, net(x), y, bce_weight)
        loss.backward()
        opt.step()
        return loss.item()

    progress("PyTorch %s, %d threads, U-Net %d parameters, shape %dx%dx%dx%d batch %d"
             % (torch.__version__, torch.get_num_threads(), params, c, d, h, w, batch))
    for i in range(warmup):
        t0 = time.perf_counter()
        step()
        progress("PyTorch warm-up step %d: %.2f s" % (i + 1, time.perf_counter() - t0))
    times = []
    if steps > 0:
        for i in range(steps):
            t0 = time.perf_counter()
            loss = step()
            times.append(time.perf_counter() - t0)
            progress("PyTorch step %d/%d: %.2f s (loss %.4f)" % (i + 1, steps, times[-1], loss))
    else:
        print("ready", flush=True)
        for line in sys.stdin:
            if line.strip() != "step":
                break
            t0 = time.perf_counter()
            loss = step()
            times.append(time.perf_counter() - t0)
            print("step %.6f %.6f" % (times[-1], loss), flush=True)
        if not times:
            print(json.dumps({"skipped": "no step was asked for"}))
            return
    median = statistics.median(times)
    print(json.dumps({
        "impl": "PyTorch CPU",
        "version": "torch-" + torch.__version__,
        "threads": torch.get_num_threads(),
        "params": params,
        "step_s": median,
        "min_s": min(times),
        "steps_s": times,
        "examples_per_s": batch / median,
        "loss": loss,
        # ru_maxrss: KiB on Linux.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }))


if __name__ == "__main__":
    main()
