package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Forward#zeroIn}: the rows only the previous sample touched, which the sparse path updates on
 * their own, found without branches.
 */
class PrevOnlyRowsTest {
  private static float[] sample(Random rnd, int n, double density) {
    float[] x = new float[n];
    for (int j = 0; j < n; j++) {
      x[j] = rnd.nextDouble() < density ? (float) rnd.nextGaussian() : rnd.nextBoolean() ? 0f : -0f;
    }
    return x;
  }

  @Property(tries = 200)
  void keepsInOrderThePreviousRowsWhoseNextInputIsZero(@ForAll @IntRange(min = 1, max = 1100) int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    float[] prev = sample(rnd, n, rnd.nextDouble());
    int[] prevNz = IntStream.range(0, n).filter(j -> prev[j] != 0f).toArray();
    // the next sample sits inside a larger array, as a sample sits inside a dataset
    int xOff = rnd.nextInt(5) * n;
    float[] x = new float[xOff + n + 3];
    System.arraycopy(sample(rnd, n, rnd.nextDouble()), 0, x, xOff, n);
    int[] nextNz = IntStream.range(0, n).filter(j -> x[xOff + j] != 0f).toArray();
    int off = rnd.nextInt(5);
    int[] list = new int[off + prevNz.length + 3];
    System.arraycopy(prevNz, 0, list, off, prevNz.length);
    int[] out = new int[n];
    int count = Forward.zeroIn(list, off, prevNz.length, x, xOff, out);
    int[] expected = Arrays.stream(prevNz).filter(j -> Arrays.binarySearch(nextNz, j) < 0).toArray();
    assertArrayEquals(expected, Arrays.copyOf(out, count));
  }
}
