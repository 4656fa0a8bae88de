package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What the bandwidth probe reads: an aligned buffer of the level's size, every float of it summed. */
class MachineProbeBenchmarkTest {
  @ParameterizedTest
  @ValueSource(strings = {"L1", "L2"})
  void theBandwidthProbeSumsAnAlignedBufferOfTheLevelsSize(String level) {
    MachineProbeBenchmark.Buffer buf = new MachineProbeBenchmark.Buffer();
    buf.level = level;
    buf.setup();
    // as the kernels' weights: a float[] began 16 bytes into an 8-byte-aligned object, so most of a
    // fork's 512-bit loads straddled two cache lines
    assertEquals(0, buf.data.address() % 64, "the buffer's address");
    long bytes = CacheSizes.detect().probeBytes(level);
    assertEquals(bytes, buf.data.byteSize());
    long vectors8 = 8L * MachineProbeBenchmark.S.vectorByteSize();
    assertEquals(bytes - bytes % vectors8, buf.bound);

    double expected = 0;
    for (long i = 0; i < buf.bound / Float.BYTES; i++) {
      expected += buf.data.getAtIndex(ValueLayout.JAVA_FLOAT, i);
    }
    float sum = MachineProbeBenchmark.sum(buf.data, buf.bound);
    assertTrue(Math.abs(sum - expected) <= 1e-4 * expected, sum + " against " + expected);
    MachineProbeBenchmark.Bytes counted = new MachineProbeBenchmark.Bytes();
    assertEquals(sum, new MachineProbeBenchmark().readBandwidth(buf, counted));
    assertEquals(buf.bound, counted.bytes, "the bytes counted are the bytes read");
  }
}
