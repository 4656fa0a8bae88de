package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The generator's bounded draws, which fix every shuffle: Lemire's multiply-and-reject on its longs; and
 * the shuffle they drive.
 */
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

  /**
   * The epoch shuffle is Fisher-Yates: every order of 3 samples comes about equally often, a sample
   * staying in its place included. The hash tests cannot tell a biased shuffle from a fair one (their
   * hashes would only be recorded again), and {@code TrainerTest} replays {@code shuffle} itself; a
   * draw below {@code i} instead of {@code i + 1} (Sattolo's algorithm) gives only the 2 cyclic orders, and one
   * below the length at every step favours some orders 5 to 4.
   */
  @Test
  void theShuffleGivesEveryOrderAboutEquallyOften() {
    Map<String, Integer> counts = new TreeMap<>();
    int runs = 60_000;
    for (long seed = 0; seed < runs; seed++) {
      int[] a = {0, 1, 2};
      new SplitMix64(seed).shuffle(a);
      counts.merge(Arrays.toString(a), 1, Integer::sum);
    }
    assertEquals(6, counts.size(), "orders seen: " + counts);
    for (var e : counts.entrySet()) {
      // 10,000 expected each, with a standard deviation of 91: 500 is more than 5 of them, and the
      // naive shuffle (a draw below the length at every step) is 1,111 off
      assertTrue(Math.abs(e.getValue() - runs / 6) < 500, e.getKey() + " came " + e.getValue() + " times: " + counts);
    }
  }
}
