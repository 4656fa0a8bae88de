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

  /**
   * The floats a layer takes: whole blocks, as many as its columns need and no more, times its rows;
   * the model file loader refuses a file by this count, so a block too many would refuse files that fit.
   */
  @Test
  void layersTakeTheirWholeBlocksAndNoMore() {
    assertEquals(3 * 64, Layout.blockedSize(3, 64, 64));
    assertEquals(3 * 128, Layout.blockedSize(3, 80, 64));
    assertEquals(5 * 16, Layout.blockedSize(5, 16, 16));
    assertEquals(16, Layout.blockWidth(true, 784, 16, true), "a first layer in one block of its padded width");
    assertEquals(64, Layout.blockWidth(true, 784, 16, false), "a first layer in blocks of its output chunks");
    assertEquals(128, Layout.blockWidth(true, 16, 1040, false));
    assertEquals(128, Layout.blockWidth(false, 1040, 16, true), "a later layer in blocks of its input chunks");
    assertEquals(128, Layout.blockWidth(false, 1040, 16, false));
    assertEquals(784L * 16, Layout.modelLayerFloats(0, 784, 10), "784 rows of 16 padded units");
    assertEquals(10L * 64, Layout.modelLayerFloats(1, 20, 10), "10 rows of one 64-wide block of 32 padded inputs");
  }
}
