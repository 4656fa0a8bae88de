package dev.vmlp.internal.hash;

import dev.vmlp.LayerWeights;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * SHA-256 over a sequence of floats as little-endian float32, their raw bits (a NaN's payload and the
 * sign of a zero count): the definition of a network's {@code weights_sha256}. Internal: not part of
 * the library's API.
 */
public final class FloatSha256 {
  private final MessageDigest md;
  private final ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);

  public FloatSha256() {
    try {
      md = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /**
   * A network's parameters as the hash reads them, layer by layer, wherever they are stored: the
   * portable arrays of {@link LayerWeights} or the library's padded training layout.
   */
  public interface Layers {
    /** How many layers. */
    int count();

    /** Layer {@code l}'s number of units (the rows of its weights). */
    int outputs(int l);

    /** Layer {@code l}'s number of inputs (the columns of its weights). */
    int inputs(int l);

    /** Copies layer {@code l}'s weights of unit {@code o}, one per input, into {@code dst[0, inputs(l))}. */
    void weights(int l, int o, float[] dst);

    /** Copies layer {@code l}'s bias into {@code dst[0, outputs(l))}. */
    void bias(int l, float[] dst);
  }

  /**
   * A network's {@code weights_sha256}: per layer in order, its weights {@code [out][in]} row by row and
   * then its bias, the values exactly as given. The one definition of the order, for every storage. It
   * reads one row at a time, so it copies no layer whole.
   */
  public static String ofLayers(Layers layers) {
    int widest = 0;
    for (int l = 0; l < layers.count(); l++) {
      widest = Math.max(widest, Math.max(layers.inputs(l), layers.outputs(l)));
    }
    float[] row = new float[widest];
    FloatSha256 h = new FloatSha256();
    for (int l = 0; l < layers.count(); l++) {
      int in = layers.inputs(l);
      for (int o = 0; o < layers.outputs(l); o++) {
        layers.weights(l, o, row);
        h.add(row, 0, in);
      }
      layers.bias(l, row);
      h.add(row, 0, layers.outputs(l));
    }
    return h.hex();
  }

  /** {@link #ofLayers(Layers)} of layers in the portable layout. */
  public static String ofLayers(List<LayerWeights> layers) {
    return ofLayers(new Layers() {
      @Override
      public int count() {
        return layers.size();
      }

      @Override
      public int outputs(int l) {
        return layers.get(l).outputs();
      }

      @Override
      public int inputs(int l) {
        return layers.get(l).inputs();
      }

      @Override
      public void weights(int l, int o, float[] dst) {
        LayerWeights lw = layers.get(l);
        System.arraycopy(lw.weights(), o * lw.inputs(), dst, 0, lw.inputs());
      }

      @Override
      public void bias(int l, float[] dst) {
        System.arraycopy(layers.get(l).bias(), 0, dst, 0, layers.get(l).outputs());
      }
    });
  }

  /** Adds one value. */
  public FloatSha256 add(float v) {
    if (!buf.hasRemaining()) {
      flush();
    }
    buf.putFloat(v);
    return this;
  }

  /** Adds {@code v[off, off + len)}, in order, a buffer's worth at a time. */
  public FloatSha256 add(float[] v, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, v.length);
    while (len > 0) {
      if (!buf.hasRemaining()) {
        flush();
      }
      int n = Math.min(len, buf.remaining() / Float.BYTES);
      buf.asFloatBuffer().put(v, off, n); // a view from the position, little-endian like buf, raw bits
      buf.position(buf.position() + n * Float.BYTES);
      off += n;
      len -= n;
    }
    return this;
  }

  /** The digest as 64 lower-case hex digits; the hash takes no more values after this. */
  public String hex() {
    flush();
    return HexFormat.of().formatHex(md.digest());
  }

  /** Hands the buffered bytes to the digest and empties the buffer. */
  private void flush() {
    buf.flip();
    md.update(buf);
    buf.clear();
  }
}
