package dev.vmlp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** {@link Forward#notListed}: the rows only the previous sample touched, found without branches. */
class NotListedTest {
  private static int[] subset(Random rnd, int n, double p) {
    return IntStream.range(0, n).filter(j -> rnd.nextDouble() < p).toArray();
  }

  @Property(tries = 200)
  void keepsInOrderWhatTheOtherListLacksAndLeavesTheMarksClear(
      @ForAll @IntRange(min = 1, max = 1100) int n, @ForAll long seed) {
    Random rnd = new Random(seed);
    int[] a = subset(rnd, n, rnd.nextDouble());
    int[] b = subset(rnd, n, rnd.nextDouble());
    // both lists sit inside larger arrays, as a sample's list sits inside a dataset's
    int aOff = rnd.nextInt(5);
    int bOff = rnd.nextInt(5);
    int[] aBig = new int[aOff + a.length + 3];
    int[] bBig = new int[bOff + b.length + 3];
    System.arraycopy(a, 0, aBig, aOff, a.length);
    System.arraycopy(b, 0, bBig, bOff, b.length);
    int[] marks = new int[n];
    int[] out = new int[n];
    int count = Forward.notListed(aBig, aOff, a.length, bBig, bOff, b.length, marks, out);
    int[] expected = Arrays.stream(a).filter(j -> Arrays.binarySearch(b, j) < 0).toArray();
    assertArrayEquals(expected, Arrays.copyOf(out, count));
    assertArrayEquals(new int[n], marks, "marks left set");
  }
}
