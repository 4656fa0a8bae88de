package dev.vmlp.internal.hash;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The hash of floats: SHA-256 of their little-endian bits, however they are added. */
class FloatSha256Test {
  private static String expected(float[] v) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    for (float f : v) {
      b.putInt(Float.floatToRawIntBits(f));
    }
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
  }

  @Test
  void valuesAddedOneAtATimeOrInRunsHashTheirBytes() throws Exception {
    // more than the 1,024 floats of the buffer, so that both ways fill and empty it
    float[] v = new float[3001];
    for (int i = 0; i < v.length; i++) {
      v[i] = i % 7 == 0 ? -0f : i * 0.37f - 100f;
    }
    v[5] = Float.intBitsToFloat(0x7fc00123); // a NaN's payload counts
    FloatSha256 single = new FloatSha256();
    for (float f : v) {
      single = single.add(f); // each add returns the hash itself
    }
    assertEquals(expected(v), single.hex());
    assertEquals(expected(v), new FloatSha256().add(v, 0, 1000).add(v, 1000, 1100).add(v, 2100, 901).hex());
    FloatSha256 mixed = new FloatSha256().add(v, 0, 1023);
    for (int i = 1023; i < 1030; i++) {
      mixed.add(v[i]);
    }
    assertEquals(expected(v), mixed.add(v, 1030, v.length - 1030).hex());
  }
}
