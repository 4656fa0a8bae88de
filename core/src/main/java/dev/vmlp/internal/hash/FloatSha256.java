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

    /** Layer {@code l}'s weight from input {@code i} to unit {@code o}. */
    float weight(int l, int o, int i);

    /** Layer {@code l}'s bias of unit {@code o}. */
    float bias(int l, int o);
  }

  /**
   * A network's {@code weights_sha256}: per layer in order, its weights {@code [out][in]} row by row and
   * then its bias, the values exactly as given. The one definition of the order, for every storage.
   */
  public static String ofLayers(Layers layers) {
    FloatSha256 h = new FloatSha256();
    for (int l = 0; l < layers.count(); l++) {
      int out = layers.outputs(l);
      int in = layers.inputs(l);
      for (int o = 0; o < out; o++) {
        for (int i = 0; i < in; i++) {
          h.add(layers.weight(l, o, i));
        }
      }
      for (int o = 0; o < out; o++) {
        h.add(layers.bias(l, o));
      }
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
      public float weight(int l, int o, int i) {
        LayerWeights lw = layers.get(l);
        return lw.weights()[o * lw.inputs() + i];
      }

      @Override
      public float bias(int l, int o) {
        return layers.get(l).bias()[o];
      }
    });
  }

  /** Adds one value. */
  public FloatSha256 add(float v) {
    if (!buf.hasRemaining()) {
      buf.flip();
      md.update(buf);
      buf.clear();
    }
    buf.putFloat(v);
    return this;
  }

  /** Adds every value of {@code v}, in order. */
  public FloatSha256 add(float[] v) {
    for (float f : v) {
      add(f);
    }
    return this;
  }

  /** The digest as 64 lower-case hex digits; the hash takes no more values after this. */
  public String hex() {
    buf.flip();
    md.update(buf);
    buf.clear();
    return HexFormat.of().formatHex(md.digest());
  }
}
