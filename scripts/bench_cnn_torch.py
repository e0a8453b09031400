#!/usr/bin/env python3
"""bench cnn's PyTorch side: the study's 3D CNN (same layers as core/.../model/GliomaCnn.java), CPU,
Adam + BCE, training steps timed like CnnStepProbe, in one of the variants of bench_common_torch.py.

Usage: bench_cnn_torch.py C,D,H,W BATCH STEPS WARMUP THREADS [VARIANT]
VARIANT: as in bench_common_torch.py (default ncdhw). STEPS 0 is the
lock-step mode of bench_common_torch.py. The result is one JSON object on the last line of stdout."""
import sys

from bench_common_torch import adam, import_torch, maybe_compile, parse_variant, progress, serve, to_layout


def main():
    c, d, h, w = (int(x) for x in sys.argv[1].split(","))
    batch, steps, warmup, threads = (int(x) for x in sys.argv[2:6])
    variant = sys.argv[6] if len(sys.argv) > 6 else "ncdhw"
    layout, _, compiled = parse_variant(variant)
    torch = import_torch()
    if torch is None:
        return
    from torch import nn
    torch.set_num_threads(threads)
    torch.manual_seed(1)
    flat = 16 * (d // 4) * (h // 4) * (w // 4)
    net = nn.Sequential(
        nn.Conv3d(c, 8, 3, 1, 1), nn.ReLU(), nn.MaxPool3d(2, 2),
        nn.Conv3d(8, 16, 3, 1, 1), nn.ReLU(), nn.MaxPool3d(2, 2),
        nn.Flatten(), nn.Linear(flat, 128), nn.ReLU(), nn.Linear(128, 1), nn.Sigmoid())
    net, (x,) = to_layout(torch, layout, net, [torch.randn(batch, c, d, h, w)])
    y = torch.ones(batch, 1)
    opt = adam(torch, variant, net.parameters(), 1e-4)
    loss_fn = nn.BCELoss()
    forward_loss = maybe_compile(torch, compiled, lambda: loss_fn(net(x), y))
    params = sum(p.numel() for p in net.parameters())
    progress("PyTorch %s %s, %d threads, CNN %d parameters, shape %dx%dx%dx%d batch %d"
             % (torch.__version__, variant, torch.get_num_threads(), params, c, d, h, w, batch))

    def step():
        opt.zero_grad(set_to_none=True)
        loss = forward_loss()
        loss.backward()
        opt.step()
        return loss.item()

    serve(torch, variant, step, steps, warmup, batch, {"params": params})


if __name__ == "__main__":
    main()
