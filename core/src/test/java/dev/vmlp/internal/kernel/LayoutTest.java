package dev.vmlp.internal.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
   * A first layer of fewer than 64 units is stored as wide as its padded width for training, as a
   * model stores it: 64-wide blocks took 4 times its floats (256 MB for 2^20 inputs and 16 units), and
   * resuming such a model from its file took 4 times what loading it did.
   */
  @Test
  void aNarrowFirstLayerTrainsInTheModelsLayout() {
    int in = 1 << 20;
    for (int out = 1; out <= 2048; out++) {
      int outPad = Layout.pad(out);
      int block = Layout.blockWidth(true, Layout.pad(in), outPad, false);
      long training = Layout.blockedSize(in, outPad, block);
      if (outPad < 64) {
        assertEquals(outPad, block, out + " units");
        assertEquals(Layout.modelLayerFloats(0, in, out), training, out + " units");
      } else {
        assertEquals(Layout.chunkLength(outPad), block, out + " units: threads own whole chunks");
      }
    }
    assertEquals(64, Layout.blockWidth(false, 16, 256, false), "an output-major layer's blocks are its input chunks");
  }
}
