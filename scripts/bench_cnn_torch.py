#!/usr/bin/env python3
"""bench cnn's PyTorch side: the study's 3D CNN (same layers as core/.../model/GliomaCnn.java), CPU,
Adam + BCE, one training step timed like CnnStepProbe. Usage: bench_cnn_torch.py C,D,H,W BATCH STEPS WARMUP THREADS
Prints one line starting with STEP."""
import resource
import sys
import time

import torch
from torch import nn


def main():
    c, d, h, w = (int(x) for x in sys.argv[1].split(","))
    batch, steps, warmup, threads = (int(x) for x in sys.argv[2:6])
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    flat = 16 * (d // 4) * (h // 4) * (w // 4)
    net = nn.Sequential(
        nn.Conv3d(c, 8, 3, 1, 1), nn.ReLU(), nn.MaxPool3d(2, 2),
        nn.Conv3d(8, 16, 3, 1, 1), nn.ReLU(), nn.MaxPool3d(2, 2),
        nn.Flatten(), nn.Linear(flat, 128), nn.ReLU(), nn.Linear(128, 1), nn.Sigmoid())
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    loss_fn = nn.BCELoss()
    x = torch.randn(batch, c, d, h, w)
    y = torch.ones(batch, 1)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(net(x), y)
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
