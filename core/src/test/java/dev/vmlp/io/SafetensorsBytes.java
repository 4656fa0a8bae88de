package dev.vmlp.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Builds safetensors files byte by byte, for tests that need valid, damaged or hostile ones. */
final class SafetensorsBytes {
  static final ObjectMapper JSON = new ObjectMapper();

  private SafetensorsBytes() {}

  /** An 8-byte little-endian {@code length}, then {@code header}, then {@code data}. */
  static byte[] file(long length, byte[] header, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(length).put(header).put(data);
    return b.array();
  }

  /** A file whose header length is that of {@code header}. */
  static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return file(h.length, h, data);
  }

  /** A file with the header {@code header}. */
  static byte[] file(ObjectNode header, byte[] data) {
    try {
      return file(JSON.writeValueAsString(header), data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code n} zero bytes. */
  static byte[] zeros(int n) {
    return new byte[n];
  }

  /** Little-endian float32 bytes. */
  static byte[] floats(float... v) {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putFloat(f);
    }
    return b.array();
  }

  /** Little-endian 16-bit values, the bytes of F16 or BF16 tensors. */
  static byte[] halves(short... v) {
    ByteBuffer b = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (short h : v) {
      b.putShort(h);
    }
    return b.array();
  }

  /** A tensor's entry and its bytes, for {@link #file(Map, Map)}. */
  record Raw(String dtype, long[] shape, byte[] bytes) {
    static Raw f32(long[] shape, float... v) {
      return new Raw("F32", shape, floats(v));
    }
  }

  /**
   * A file of {@code tensors}, stored one after the other in the map's order, with {@code metadata}
   * (none when null).
   */
  static byte[] file(Map<String, String> metadata, Map<String, Raw> tensors) {
    ObjectNode h = JSON.createObjectNode();
    if (metadata != null) {
      ObjectNode m = h.putObject("__metadata__");
      metadata.forEach(m::put);
    }
    ByteArrayOutputStream data = new ByteArrayOutputStream();
    for (Map.Entry<String, Raw> e : tensors.entrySet()) {
      Raw t = e.getValue();
      h.set(e.getKey(), tensor(t.dtype(), t.shape(), data.size(), data.size() + t.bytes().length));
      data.writeBytes(t.bytes());
    }
    return file(h, data.toByteArray());
  }

  static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** The parsed JSON header of a file. */
  static ObjectNode header(byte[] file) {
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    try {
      return (ObjectNode) JSON.readTree(new String(file, 8, (int) n, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The data section of a file. */
  static byte[] data(byte[] file) {
    long n = ByteBuffer.wrap(file, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    return Arrays.copyOfRange(file, 8 + (int) n, file.length);
  }

  /** A tensor entry {@code {"dtype", "shape", "data_offsets"}}. */
  static ObjectNode tensor(String dtype, long[] shape, long begin, long end) {
    ObjectNode t = JSON.createObjectNode();
    t.put("dtype", dtype);
    var s = t.putArray("shape");
    for (long d : shape) {
      s.add(d);
    }
    t.putArray("data_offsets").add(begin).add(end);
    return t;
  }

  /**
   * A small deterministic network 4-3(relu)-2(softmax) with scaling ×0.5 and provenance metadata,
   * whose weights are exact binary fractions.
   */
  static Model small() {
    Architecture arch = Architecture.builder(4).hidden(3, Activation.RELU).output(2, Head.SOFTMAX_CROSS_ENTROPY);
    List<LayerWeights> w = new ArrayList<>();
    float[] w0 = new float[12];
    for (int i = 0; i < w0.length; i++) {
      w0[i] = (i - 5) * 0.25f;
    }
    w.add(new LayerWeights(3, 4, w0, new float[] {0.5f, -0.25f, 0.125f}));
    w.add(new LayerWeights(2, 3, new float[] {1, -1, 0.5f, -0.5f, 2, 0.75f}, new float[] {0.25f, -0.125f}));
    return Model.of(arch, w, InputScaling.multiplyBy(0.5f))
        .withMetadata(Map.of("seed", "7", "epochs", "3", "learning_rate", "0.01", "threads", "1", "kernels", "scalar"));
  }

  /** The bytes {@link ModelFiles#save} writes for {@code model}. */
  static byte[] saved(Model model, Path dir) throws IOException {
    Path f = dir.resolve("saved-" + System.nanoTime() + ".safetensors");
    ModelFiles.save(model, f);
    byte[] b = Files.readAllBytes(f);
    Files.delete(f);
    return b;
  }
}
