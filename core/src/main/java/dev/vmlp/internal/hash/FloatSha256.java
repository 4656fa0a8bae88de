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
   * A network's {@code weights_sha256}: per layer in order, its weights {@code [out][in]} and then its
   * bias, the values exactly as given.
   */
  public static String ofLayers(List<LayerWeights> layers) {
    FloatSha256 h = new FloatSha256();
    for (LayerWeights lw : layers) {
      h.add(lw.weights()).add(lw.bias());
    }
    return h.hex();
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
