package org.gliomabench.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.JavaSerializer;
import org.nd4j.kryo.Nd4jRegistrator;
import org.nd4j.kryo.Nd4jSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The Kryo registrator of the cluster confs (spark.kryo.registrator): ND4J's, with CPU arrays written as raw
 * bytes ({@link PackedNDArray}) instead of one element at a time (other backends keep ND4J's serializer), and
 * Java records written with Java serialization: Spark's Kryo 4 cannot build its field serializer for a record
 * ("can't get field offset on a record class"), and the jobs collect records (ingest's per-patient results).
 * The JDK's unmodifiable collections ({@code List.of}, {@code Map.copyOf}, {@code Stream.toList()},
 * {@code Collections.unmodifiable*}, {@code Arrays.asList}) are written as their elements: Kryo's own collection
 * serializers create the class empty and add to it, which these refuse (UnsupportedOperationException in a
 * broadcast or task result, seen on the cluster).
 */
public final class GliomaKryoRegistrator extends Nd4jRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    super.registerClasses(kryo);
    kryo.addDefaultSerializer(Record.class, new JavaSerializer());
    for (Class<?> c : UNMODIFIABLE_LISTS) {
      kryo.register(c, new UnmodifiableList());
    }
    kryo.register(Arrays.asList(1, 2).getClass(), new ArraysAsList());
    for (Class<?> c : UNMODIFIABLE_SETS) {
      kryo.register(c, new UnmodifiableSet());
    }
    for (Class<?> c : UNMODIFIABLE_MAPS) {
      kryo.register(c, new UnmodifiableMap());
    }
    // By name: CUDA builds have no nd4j-native classes, and only CPU arrays are written raw.
    if (ShippedArrays.cpuBackend()) {
      kryo.register(Nd4j.getBackend().getNDArrayClass(), new Raw());
      kryo.register(PackedNDArray.class, new Raw());
    }
  }

  static final List<Class<?>> UNMODIFIABLE_LISTS = List.of(List.of().getClass(), List.of(1).getClass(),
      List.of(1, 2, 3).getClass(), List.of(1, 2, 3).subList(0, 2).getClass(), Stream.of(1, 2, 3).toList().getClass(),
      Collections.unmodifiableList(new ArrayList<>()).getClass(), Collections.unmodifiableList(new LinkedList<>()).getClass(),
      Collections.unmodifiableCollection(new ArrayList<>()).getClass());
  static final List<Class<?>> UNMODIFIABLE_SETS = List.of(Set.of().getClass(), Set.of(1).getClass(),
      Set.of(1, 2, 3).getClass(), Collections.unmodifiableSet(new LinkedHashSet<>()).getClass());
  static final List<Class<?>> UNMODIFIABLE_MAPS = List.of(Map.of().getClass(), Map.of(1, 2).getClass(),
      Map.of(1, 2, 3, 4).getClass(), Collections.unmodifiableMap(new LinkedHashMap<>()).getClass());

  /** The collections' shared wire form: the size, then each element with its class. */
  static void writeElements(Kryo kryo, Output output, Collection<?> elements) {
    output.writeInt(elements.size(), true);
    for (Object o : elements) {
      kryo.writeClassAndObject(output, o);
    }
  }

  static List<Object> readElements(Kryo kryo, Input input) {
    int n = input.readInt(true);
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(kryo.readClassAndObject(input));
    }
    return out;
  }

  /** Elements in order; read back as an unmodifiable list (nulls allowed, as {@code Stream.toList()} allows them). */
  static final class UnmodifiableList extends Serializer<Collection<Object>> {
    UnmodifiableList() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Collection<Object> list) {
      writeElements(kryo, output, list);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<Collection<Object>> type) {
      return Collections.unmodifiableList(readElements(kryo, input));
    }
  }

  /** {@code Arrays.asList}: fixed size but settable, so read back as one. */
  static final class ArraysAsList extends Serializer<List<Object>> {
    @Override
    public void write(Kryo kryo, Output output, List<Object> list) {
      writeElements(kryo, output, list);
    }

    @Override
    public List<Object> read(Kryo kryo, Input input, Class<List<Object>> type) {
      return Arrays.asList(readElements(kryo, input).toArray());
    }
  }

  /** Elements; read back as an unmodifiable set in the order written. */
  static final class UnmodifiableSet extends Serializer<Set<Object>> {
    UnmodifiableSet() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Set<Object> set) {
      writeElements(kryo, output, set);
    }

    @Override
    public Set<Object> read(Kryo kryo, Input input, Class<Set<Object>> type) {
      return Collections.unmodifiableSet(new LinkedHashSet<>(readElements(kryo, input)));
    }
  }

  /** Entries; read back as an unmodifiable map in the order written. */
  static final class UnmodifiableMap extends Serializer<Map<Object, Object>> {
    UnmodifiableMap() {
      setImmutable(true);
    }

    @Override
    public void write(Kryo kryo, Output output, Map<Object, Object> map) {
      output.writeInt(map.size(), true);
      for (Map.Entry<Object, Object> e : map.entrySet()) {
        kryo.writeClassAndObject(output, e.getKey());
        kryo.writeClassAndObject(output, e.getValue());
      }
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<Map<Object, Object>> type) {
      int n = input.readInt(true);
      Map<Object, Object> map = new LinkedHashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        map.put(kryo.readClassAndObject(input), kryo.readClassAndObject(input));
      }
      return Collections.unmodifiableMap(map);
    }
  }

  /** Kryo serializer of CPU arrays as raw bytes. */
  static final class Raw extends Serializer<INDArray> {
    private final Nd4jSerializer nd4j = new Nd4jSerializer();

    @Override
    public void write(Kryo kryo, Output output, INDArray array) {
      boolean packable = PackedNDArray.packable(array);
      output.writeBoolean(packable);
      if (!packable) {
        nd4j.write(kryo, output, array); // string or compressed arrays: ND4J's own format
        return;
      }
      try {
        PackedNDArray.writePacked(array, output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public INDArray read(Kryo kryo, Input input, Class<INDArray> type) {
      if (!input.readBoolean()) {
        return nd4j.read(kryo, input, type);
      }
      try {
        return PackedNDArray.readPacked(input);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
