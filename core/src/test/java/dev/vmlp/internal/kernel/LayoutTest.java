package dev.vmlp.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The layout's sizes, which fix the order of every sum and so the bits of every trained network: a
 * width padded to the next multiple of 16 (no further), and chunks of {@code 64 ⌈n/1024⌉}, at most 16.
 */
class LayoutTest {
  @Test
  void widthsArePaddedToTheNextMultipleOfSixteen() {
    for (int n = 1; n <= 5000; n++) {
      int pad = Layout.pad(n);
      assertEquals(0, pad % Layout.LANES, "pad(" + n + ")");
      assertTrue(pad >= n && pad < n + Layout.LANES, "pad(" + n + ") = " + pad);
    }
  }

  @Test
  void chunksAreSixtyFourTimesTheThousandsRoundedUpAndAtMostSixteen() {
    assertEquals(64, Layout.chunkLength(16));
    assertEquals(64, Layout.chunkLength(1024));
    assertEquals(128, Layout.chunkLength(1040));
    assertEquals(128, Layout.chunkLength(2048));
    assertEquals(192, Layout.chunkLength(2064));
    for (int n = Layout.LANES; n <= 20000; n += Layout.LANES) {
      int len = Layout.chunkLength(n);
      int chunks = Layout.chunkCount(n);
      assertEquals(64 * ((n + 1023) / 1024), len, "chunkLength(" + n + ")");
      assertTrue(chunks >= 1 && chunks <= 16, chunks + " chunks of " + n);
      assertTrue((chunks - 1) * len < n && chunks * len >= n, chunks + " chunks of " + len + " for " + n);
    }
  }

  /**
   * A narrow first layer of many inputs is stored as wide as its padded width for training, as a
   * model stores it: 64-wide blocks took 4 times its floats (256 MB for 2^20 inputs and 16 units), and
   * resuming such a model from its file took 4 times what loading it did. Narrow layers of fewer inputs
   * keep the faster 64-wide blocks.
   */
  @Test
  void aNarrowFirstLayerOfManyInputsTrainsInTheModelsLayout() {
    for (int in : new int[] {784, 87_381, 87_382, 1 << 20}) {
      for (int out = 1; out <= 2048; out++) {
        int outPad = Layout.pad(out);
        boolean one = Layout.firstInOneBlock(in, outPad);
        long training = Layout.blockedSize(in, outPad, Layout.blockWidth(true, Layout.pad(in), outPad, one));
        long padding = (training - (long) in * outPad) * Float.BYTES;
        if (outPad >= 64) {
          assertFalse(one, out + " units: threads own whole chunks");
        } else if (!one) {
          assertTrue(padding <= Layout.FIRST_PADDING_BYTES, in + "x" + out + " pads " + padding + " bytes");
        }
        if (one) {
          assertEquals(Layout.modelLayerFloats(0, in, out), training, in + "x" + out);
        }
      }
    }
    assertTrue(Layout.firstInOneBlock(1 << 20, 16));
    assertTrue(Layout.firstInOneBlock(87_382, 16), "48 floats of padding a row pass 16 MiB here");
    assertFalse(Layout.firstInOneBlock(87_381, 16));
    assertFalse(Layout.firstInOneBlock(1 << 20, 64));
    assertFalse(Layout.firstInOneBlock(784, 16));
    // exactly 16 MiB of padding is not more than 16 MiB: 2^17 inputs x 32 floats, 2^18 x 16 floats
    assertFalse(Layout.firstInOneBlock(1 << 17, 32));
    assertTrue(Layout.firstInOneBlock((1 << 17) + 1, 32));
    assertFalse(Layout.firstInOneBlock(1 << 18, 48));
    assertTrue(Layout.firstInOneBlock((1 << 18) + 1, 48));
  }
}
