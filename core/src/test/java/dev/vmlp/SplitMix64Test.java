package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The generator's bounded draws, which fix every shuffle: Lemire's multiply-and-reject on its longs. */
class SplitMix64Test {
  @Test
  void nextIntMultipliesTheTop32BitsAndRejectsTheBiasedLowProducts() {
    // 3 * 2^29: 2^32 mod bound = 2^30, so about one draw in four is rejected
    for (int bound : new int[] {1, 2, 3, 10, 1000, 1 << 30, 1_610_612_736, Integer.MAX_VALUE}) {
      SplitMix64 g = new SplitMix64(42);
      SplitMix64 longs = new SplitMix64(42);
      long threshold = (1L << 32) % bound; // = (2^32 - bound) % bound
      int rejected = 0;
      for (int i = 0; i < 2000; i++) {
        long m = (longs.nextLong() >>> 32) * bound;
        while ((m & 0xFFFFFFFFL) < threshold) {
          rejected++;
          m = (longs.nextLong() >>> 32) * bound;
        }
        assertEquals((int) (m >>> 32), g.nextInt(bound), "draw " + i + " below " + bound);
      }
      if (bound == 1_610_612_736) {
        assertTrue(rejected > 200, "the rejection ran " + rejected + " times");
      }
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SplitMix64(1).nextInt(0));
    assertEquals("bound must be positive: 0", e.getMessage());
  }
}
