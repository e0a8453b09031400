"""What bench_cnn_torch.py and bench_seg_torch.py share: the PyTorch variants a benchmark times and the
protocol that lets the Java side (jobs/bench/LockStep.java) alternate their steps with DL4J's.

Variants (one per process, so each has its own peak memory and allocator), LAYOUT[+fused_adam] with an
optional compile: prefix:
  ncdhw                          PyTorch's default: NCDHW, torch.optim.Adam's default (for-loop) implementation
  channels_last_3d               model and tensors converted with memory_format=torch.channels_last_3d
  channels_last_3d+fused_adam    and Adam(fused=True): one fused kernel over each parameter (same algorithm)
  compile:VARIANT                torch.compile (inductor, default mode) of the forward pass and loss of VARIANT;
                                 backward through AOTAutograd; the optimiser step stays eager

Protocol: progress lines ("progress: ...") go to stderr. STEPS > 0 times that many steps after the warm-up.
STEPS 0 is lock-step mode: after the warm-up print "ready SECONDS" (the last warm-up step), then time one step
for each "step" line read from stdin, answering "step SECONDS LOSS", until "done" or end of input. The result is
one JSON object on the last line of stdout; without torch it is {"skipped": ...} (exit 0).
"""
import json
import resource
import statistics
import sys
import time

LAYOUTS = ("ncdhw", "channels_last_3d")


def progress(msg):
    print("progress: " + msg, file=sys.stderr, flush=True)


def parse_variant(variant):
    """(layout, fused_adam, compiled) of a variant name; ValueError names the choices."""
    compiled = variant.startswith("compile:")
    rest = variant[len("compile:"):] if compiled else variant
    fused = rest.endswith("+fused_adam")
    layout = rest[:-len("+fused_adam")] if fused else rest
    if layout not in LAYOUTS:
        raise ValueError("unknown variant %r: choose LAYOUT[+fused_adam] or compile:LAYOUT[+fused_adam], LAYOUT one "
                         "of %s" % (variant, ", ".join(LAYOUTS)))
    return layout, fused, compiled


def adam(torch, variant, params, lr):
    """torch.optim.Adam as the variant asks: its default implementation, or fused=True."""
    _, fused, _ = parse_variant(variant)
    return torch.optim.Adam(params, lr=lr, fused=True) if fused else torch.optim.Adam(params, lr=lr)


def import_torch():
    """torch, or None after printing the skipped result."""
    try:
        import torch
        return torch
    except ImportError as e:
        print(json.dumps({"skipped": "PyTorch not importable (%s): pip install torch" % e}))
        return None


def to_layout(torch, layout, net, tensors):
    """The network and the rank-5 tensors in the layout (ncdhw: as they are)."""
    if layout == "ncdhw":
        return net, tensors
    fmt = torch.channels_last_3d
    net = net.to(memory_format=fmt)
    tensors = [t.contiguous(memory_format=fmt) for t in tensors]
    if not all(t.is_contiguous(memory_format=fmt) for t in tensors) or not all(
            p.is_contiguous(memory_format=fmt) for p in net.parameters() if p.dim() == 5):
        raise RuntimeError("channels_last_3d conversion did not take")
    return net, tensors


def maybe_compile(torch, compiled, fn):
    """fn compiled by torch.compile when asked. One compile thread: no worker pool left behind if the Java
    side stops this process at its compile-time cap (bench.torch.compile.timeout.s)."""
    if not compiled:
        return fn
    import torch._inductor.config as inductor_config
    inductor_config.compile_threads = 1
    return torch.compile(fn)


def serve(torch, variant, step, steps, warmup, batch, extra):
    """Warm-up, then the timed steps (fixed or lock-step); prints the JSON result. step() returns the loss."""
    layout, fused, compiled = parse_variant(variant)
    warm = []
    compile_s = None
    for i in range(warmup + (1 if compiled else 0)):
        t0 = time.perf_counter()
        step()
        warm.append(time.perf_counter() - t0)
        if compiled and i == 0:
            compile_s = warm[-1]
            progress("PyTorch %s: first step, compilation included: %.1f s" % (variant, compile_s))
        else:
            progress("PyTorch %s warm-up step: %.2f s" % (variant, warm[-1]))
    times = []
    loss = float("nan")
    if steps > 0:
        for i in range(steps):
            t0 = time.perf_counter()
            loss = step()
            times.append(time.perf_counter() - t0)
            progress("PyTorch %s step %d/%d: %.2f s (loss %.4f)" % (variant, i + 1, steps, times[-1], loss))
    else:
        print("ready %.6f" % (warm[-1] if warm else float("nan")), flush=True)
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
    result = {
        "impl": "PyTorch " + variant,
        "variant": variant,
        "layout": layout,
        "fused_adam": fused,
        "compiled": compiled,
        "version": "torch-" + torch.__version__,
        "threads": torch.get_num_threads(),
        "step_s": median,
        "mean_s": sum(times) / len(times),
        "min_s": min(times),
        "steps_s": times,
        "warmup_s": warm,
        "compile_s": compile_s,
        "examples_per_s": batch / median,
        "loss": loss,
        # ru_maxrss: KiB on Linux.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
    }
    result.update(extra)
    print(json.dumps(result), flush=True)
