package org.gliomabench.jobs.train;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.bytedeco.javacpp.BytePointer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.NDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A CPU INDArray that Java serialization (and Kryo, through {@link GliomaKryoRegistrator}) writes as its raw
 * bytes. ND4J's own serialization writes and reads one element at a time: for the 51 MB of parameters and Adam
 * state of the bench's network that took about 0.15 s to write and 0.3 s to read, on every worker at every
 * averaging (task results) and again for every broadcast. Parameter averaging ships these on the CPU backend
 * ({@link ShippedArrays}). This class extends nd4j-native's array: only CPU builds can load it.
 *
 * <p>A copy made with an exchange folder ({@link ShippedArrays#copy}) writes its bytes to a file there and only the
 * file's path into the stream: Spark otherwise holds a serialized task result or broadcast on the heap several
 * times over while it is written, stored, fetched and read, and the heap that grew for it is not given back
 * (README, "Memory is planned"). The files are the training master's: it removes a round's once it is averaged.
 */
public final class PackedNDArray extends NDArray {
  private static final long serialVersionUID = 1L;
  private static final int MAGIC = 0x474c4d41;
  private static final int CHUNK = 1 << 20;

  /** Set on arrays that exist only to be shipped once: their memory goes back as soon as they are written. */
  private final boolean releaseAfterWrite;
  /** Where serializing writes the bytes as a file (a Hadoop path the driver and executors share), or null. */
  private final String exchangeDir;

  private PackedNDArray(INDArray contiguous, boolean releaseAfterWrite, String exchangeDir) {
    super(contiguous.data(), contiguous.shape(), contiguous.stride(), 0, 'c', contiguous.dataType());
    this.releaseAfterWrite = releaseAfterWrite;
    this.exchangeDir = exchangeDir;
  }

  /**
   * A detached copy of {@code a} that serializes as raw bytes; a plain copy on other backends (CUDA) and for
   * data types without a fixed width. Null stays null.
   */
  public static INDArray copyOf(INDArray a) {
    return copyOf(a, false, null);
  }

  /**
   * Like {@link #copyOf(INDArray)}; with {@code releaseAfterWrite} the copy frees its memory once serialized
   * (a task result: Spark serializes it once and drops it, and waiting for a garbage collection to free it
   * made every averaging page in fresh memory); with an {@code exchangeDir} its bytes are written to a file there
   * when serialized, and only the path travels.
   */
  static INDArray copyOf(INDArray a, boolean releaseAfterWrite, String exchangeDir) {
    if (a == null) {
      return null;
    }
    if (!packable(a)) {
      return a.dup();
    }
    if (a.isEmpty()) {
      return a.dup();
    }
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      PackedNDArray p = new PackedNDArray(Nd4j.createUninitializedDetached(a.dataType(), a.shape()), releaseAfterWrite,
          exchangeDir);
      p.assign(a);
      return p;
    }
  }

  static boolean packable(INDArray a) {
    return a instanceof NDArray && !a.isCompressed() && a.dataType().width() > 0 && a.dataType() != DataType.UTF8;
  }

  /** Writes a CPU array's header and raw bytes (native order, which the reader checks). */
  static void writePacked(INDArray array, OutputStream stream) throws IOException {
    INDArray a = array.isView() || array.ordering() != 'c' ? array.dup('c') : array;
    DataOutputStream out = new DataOutputStream(stream);
    out.writeInt(MAGIC);
    out.writeBoolean(ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN);
    out.writeUTF(a.dataType().name());
    out.writeBoolean(a.isEmpty());
    long[] shape = a.shape();
    out.writeInt(shape.length);
    for (long d : shape) {
      out.writeLong(d);
    }
    long bytes = a.isEmpty() ? 0 : a.length() * a.dataType().width();
    out.writeLong(bytes);
    if (bytes == 0) {
      out.flush();
      return;
    }
    String dir = array instanceof PackedNDArray p ? p.exchangeDir : null;
    out.writeBoolean(dir != null);
    if (dir != null) {
      out.writeUTF(ExchangeFiles.write(dir, bytes(a, bytes)));
    } else {
      copy(bytes(a, bytes), out);
    }
    out.flush();
    if (array instanceof PackedNDArray p && p.releaseAfterWrite) {
      ShippedArrays.release(p);
    }
    if (a != array) {
      ShippedArrays.release(a);
    }
  }

  /** Reads what {@link #writePacked} wrote into a new detached array. */
  static INDArray readPacked(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(stream);
    if (in.readInt() != MAGIC) {
      throw new IOException("not a packed ND4J array (bad header)");
    }
    boolean little = in.readBoolean();
    if (little != (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN)) {
      throw new IOException("packed ND4J array written with another byte order than this machine's");
    }
    DataType type = DataType.valueOf(in.readUTF());
    boolean empty = in.readBoolean();
    long[] shape = new long[in.readInt()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = in.readLong();
    }
    long bytes = in.readLong();
    if (empty) {
      return shape.length == 0 ? Nd4j.empty(type) : Nd4j.create(type, shape);
    }
    INDArray a;
    try (MemoryWorkspace ignored = Nd4j.getWorkspaceManager().scopeOutOfWorkspaces()) {
      a = Nd4j.createUninitializedDetached(type, shape);
    }
    if (a.length() * type.width() != bytes) {
      throw new IOException("packed ND4J array: " + bytes + " bytes for shape " + java.util.Arrays.toString(shape)
          + " of " + type);
    }
    if (in.readBoolean()) {
      ExchangeFiles.read(in.readUTF(), bytes(a, bytes));
    } else {
      copy(in, bytes(a, bytes));
    }
    return a;
  }

  /** Writes {@code data}'s remaining bytes to {@code out} through a heap chunk of at most 1 MB. */
  static void copy(ByteBuffer data, OutputStream out) throws IOException {
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, data.remaining()))];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      data.get(chunk, 0, n);
      out.write(chunk, 0, n);
    }
  }

  /** Fills {@code data}'s remaining bytes from {@code in} through a heap chunk of at most 1 MB. */
  static void copy(DataInputStream in, ByteBuffer data) throws IOException {
    byte[] chunk = new byte[(int) Math.min(CHUNK, Math.max(1, data.remaining()))];
    while (data.hasRemaining()) {
      int n = Math.min(chunk.length, data.remaining());
      in.readFully(chunk, 0, n);
      data.put(chunk, 0, n);
    }
  }

  private static ByteBuffer bytes(INDArray a, long bytes) {
    if (bytes > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("array of " + bytes + " bytes is too large to pack");
    }
    return new BytePointer(a.data().addressPointer()).capacity(bytes).asByteBuffer();
  }

  private Object writeReplace() {
    return new Proxy(this);
  }

  /** What Java serialization writes in place of a PackedNDArray; it reads back as a plain array. */
  private static final class Proxy implements Serializable {
    private static final long serialVersionUID = 1L;
    private transient INDArray array;

    Proxy(INDArray array) {
      this.array = array;
    }

    private void writeObject(ObjectOutputStream out) throws IOException {
      writePacked(array, out);
    }

    private void readObject(ObjectInputStream in) throws IOException {
      array = readPacked(in);
    }

    private Object readResolve() {
      return array;
    }
  }
}
