package dev.vmlp;

import static dev.vmlp.internal.kernel.KernelFixtures.nonZeros;
import static dev.vmlp.internal.kernel.KernelFixtures.vector;
import static dev.vmlp.internal.kernel.KernelFixtures.without;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * {@link Forward#zeroIn}: the rows only the previous sample touched, which the sparse path updates on
 * their own, found without branches.
 */
class PrevOnlyRowsTest {
  @Property(tries = 200)
  void keepsInOrderThePreviousRowsWhoseNextInputIsZero(@ForAll @IntRange(min = 1, max = 1100) int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    int[] prevNz = nonZeros(vector(rnd, n, n, rnd.nextDouble()), n);
    // the next sample sits inside a larger array, as a sample sits inside a dataset
    int xOff = rnd.nextInt(5) * n;
    float[] next = vector(rnd, n, n, rnd.nextDouble());
    float[] x = new float[xOff + n + 3];
    System.arraycopy(next, 0, x, xOff, n);
    int off = rnd.nextInt(5);
    int[] list = new int[off + prevNz.length + 3];
    System.arraycopy(prevNz, 0, list, off, prevNz.length);
    int[] out = new int[n];
    int count = Forward.zeroIn(list, off, prevNz.length, x, xOff, out);
    assertArrayEquals(without(prevNz, nonZeros(next, n)), Arrays.copyOf(out, count));
  }
}
