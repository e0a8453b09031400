package org.gliomabench.core.model;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.dnnl.IntMemoryMap;
import org.bytedeco.dnnl.engine;
import org.bytedeco.dnnl.memory;
import org.bytedeco.dnnl.primitive;
import org.bytedeco.dnnl.reorder;
import org.bytedeco.dnnl.stream;
import org.bytedeco.dnnl.global.dnnl;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * What the project's oneDNN layers share: the CPU engine, a stream and a primitive cache per thread, and the
 * wrapping of ND4J arrays as oneDNN memory in place. Also the strided copy ({@link #assign}) the layout changes
 * and the skip concatenations need: ND4J's generic strided assign took up to 0.9 s for one permuted copy of the
 * U-Net's input, oneDNN's JIT reorder about 20 ms.
 *
 * <p>Loaded only where ND4J runs its oneDNN CPU build (AVX2 CPU, not CUDA); that build links its own oneDNN (2.3),
 * this is the dnnl preset's 2.5 library, loaded beside it. Where it is not loaded every caller takes ND4J's path.
 */
final class OneDnn {
  static final engine ENGINE;
  private static final boolean AVAILABLE;
  /**
   * Per thread: two Spark workers of one executor running the same primitive at once corrupted each other's
   * gradients now and then (runs with two concurrent workers stopped being bit-for-bit repeatable; one
   * primitive per thread made them so again), so primitives are never shared between threads.
   */
  private static final ThreadLocal<Map<Object, Object>> CACHE = ThreadLocal.withInitial(HashMap::new);

  static {
    engine e = null;
    boolean ok = false;
    if ("onednn-avx2".equals(NativeBackend.loadedBuild())) {
      try {
        Loader.load(dnnl.class);
        e = new engine(engine.kind.cpu, 0);
        ok = true;
      } catch (LinkageError | RuntimeException ex) {
        e = null;
      }
    }
    ENGINE = e;
    AVAILABLE = ok;
  }

  private static final ThreadLocal<stream> STREAMS = ThreadLocal.withInitial(() -> new stream(ENGINE));
  private static volatile boolean enabled = true;

  private OneDnn() {}

  /** Whether oneDNN is loaded and usable (ND4J's oneDNN CPU build, dnnl bindings present) and not switched off. */
  static boolean available() {
    return AVAILABLE && enabled;
  }

  /** Whether oneDNN is loaded, whatever {@link #setEnabled} says. */
  static boolean loaded() {
    return AVAILABLE;
  }

  /** Switches the project's oneDNN paths off (ND4J's everywhere) or back on in this JVM, for tests. */
  static void setEnabled(boolean on) {
    enabled = on;
  }

  /** This thread's stream. */
  static stream stream() {
    return STREAMS.get();
  }

  /**
   * This thread's cached object for {@code key}, made on first use. The key should name everything the object
   * was built for; {@link #threads()} is added here: a primitive must run with the OpenMP thread count it was made
   * for (its JIT kernels split the work and meet at barriers; fewer threads hang them), and DL4J's Spark workers
   * set their own per thread.
   */
  @SuppressWarnings("unchecked")
  static <T> T cached(Object key, Supplier<T> make) {
    return (T) CACHE.get().computeIfAbsent(List.of(key, threads()), k -> make.get());
  }

  /** Number of OpenMP threads ND4J (and so oneDNN) runs with on this thread now. */
  static int threads() {
    return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
  }

  /** Whether every array (nulls skipped) is FLOAT with its elements densely in C order. */
  static boolean accepts(INDArray... arrays) {
    for (INDArray a : arrays) {
      if (a != null && (a.dataType() != DataType.FLOAT || !NativeArrays.dense(a))) {
        return false;
      }
    }
    return true;
  }

  /** {N, C, spatial...}, oneDNN's logical order of an activation array whatever its layout. */
  static long[] logicalDims(INDArray a, boolean channelsLast) {
    long[] s = a.shape();
    if (!channelsLast) {
      return s.clone();
    }
    long[] d = new long[s.length];
    d[0] = s[0];
    d[1] = s[s.length - 1];
    System.arraycopy(s, 1, d, 2, s.length - 2);
    return d;
  }

  /** oneDNN's format of dense 2D (rank 4) or 3D (rank 5) activations, channels last or first. */
  static memory.format_tag activationTag(int rank, boolean channelsLast) {
    if (rank == 5) {
      return channelsLast ? memory.format_tag.ndhwc : memory.format_tag.ncdhw;
    }
    if (rank == 4) {
      return channelsLast ? memory.format_tag.nhwc : memory.format_tag.nchw;
    }
    throw new IllegalArgumentException("oneDNN activations must have rank 4 or 5, got " + rank);
  }

  /** A dense activation array as oneDNN memory, in place. */
  static memory wrapActivations(INDArray a, boolean channelsLast) {
    return wrap(a, logicalDims(a, channelsLast), activationTag(a.rank(), channelsLast));
  }

  /** An array's bytes as oneDNN memory of the given descriptor, in place (a pooling workspace). */
  static memory wrap(INDArray a, memory.desc desc) {
    return new memory(desc, ENGINE, firstElement(a));
  }

  /** A FLOAT array as oneDNN memory of the given logical dims and format, in place. */
  static memory wrap(INDArray a, long[] dims, memory.format_tag tag) {
    return new memory(new memory.desc(dims, memory.data_type.f32, tag), ENGINE, firstElement(a));
  }

  /** A FLOAT array (any strides, a view included) as oneDNN memory in ND4J's own axis order, in place. */
  static memory wrap(INDArray a) {
    return new memory(strided(a), ENGINE, firstElement(a));
  }

  private static memory.desc strided(INDArray a) {
    return new memory.desc(a.shape(), memory.data_type.f32, a.stride());
  }

  /** The address of the array's first element: a view's data buffer already starts at its offset. */
  private static Pointer firstElement(INDArray a) {
    return a.data().addressPointer();
  }

  /** Runs a primitive on this thread's stream with the given (argument, memory) pairs and waits for it. */
  static void execute(primitive p, Object... argsAndMemory) {
    stream s = stream();
    try (IntMemoryMap args = new IntMemoryMap()) {
      for (int i = 0; i < argsAndMemory.length; i += 2) {
        if (argsAndMemory[i + 1] != null) {
          args.put((Integer) argsAndMemory[i], (memory) argsAndMemory[i + 1]);
        }
      }
      p.execute(s, args);
      s._wait();
    }
  }

  /**
   * dst = src element by element, both FLOAT arrays of one shape with any strides (a permuted view, a channel
   * slice of a concatenation): one oneDNN reorder, where ND4J's strided assign is slow.
   */
  static void assign(INDArray dst, INDArray src) {
    if (!Arrays.equals(dst.shape(), src.shape()) || dst.dataType() != DataType.FLOAT
        || src.dataType() != DataType.FLOAT) {
      throw new IllegalArgumentException("oneDNN assign needs FLOAT arrays of one shape, got " + src.shapeInfoToString()
          + " -> " + dst.shapeInfoToString());
    }
    reorder r = cached(new AssignKey(src.shape(), src.stride(), dst.stride()),
        () -> new reorder(new reorder.primitive_desc(ENGINE, strided(src), ENGINE, strided(dst))));
    try (memory from = wrap(src); memory to = wrap(dst)) {
      stream s = stream();
      r.execute(s, from, to);
      s._wait();
    }
  }

  private record AssignKey(long[] shape, long[] from, long[] to) {
    @Override
    public boolean equals(Object o) {
      return o instanceof AssignKey k && Arrays.equals(shape, k.shape) && Arrays.equals(from, k.from)
          && Arrays.equals(to, k.to);
    }

    @Override
    public int hashCode() {
      return 31 * (31 * Arrays.hashCode(shape) + Arrays.hashCode(from)) + Arrays.hashCode(to);
    }
  }
}
