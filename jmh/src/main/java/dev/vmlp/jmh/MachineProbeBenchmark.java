package dev.vmlp.jmh;

import dev.vmlp.internal.kernel.Layout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The machine's own ceilings, measured in the same run as the kernels so that their GFLOP/s can be read
 * as a fraction of what one core can do:
 * <ul>
 *   <li>{@code fmaPeak}: {@value #CHAINS} independent chains of vector FMAs at the preferred width
 *       (enough to cover the FMA latency on two pipes), nothing loaded or stored. The secondary metric
 *       {@code flops} is the rate in FLOP/s (an FMA is 2 flops per lane).
 *   <li>{@code readBandwidth}: vector loads summed into 8 accumulators over a 64-byte-aligned buffer
 *       (as the kernels' weights are) sized for each {@code level} by {@link CacheSizes#probeBytes}. The
 *       secondary metric {@code bytes} is the read rate in B/s.
 * </ul>
 * One thread, like the kernels. The work is counted with {@link AuxCounters}, so the rates need no
 * knowledge of the vector width.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-XX:+UseParallelGC"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MachineProbeBenchmark {
  static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  static final int CHAINS = 12;
  static final int FMA_LOOP = 128;
  /** Calls on tiny inputs before the trial, so that the measured code is C2's from the start. */
  static final int WARM_CALLS = 20_000;

  /** Floating-point operations done in the iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Flops {
    public long flops;

    @Setup(Level.Iteration)
    public void reset() {
      flops = 0;
    }
  }

  /** Bytes read in the iteration. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Bytes {
    public long bytes;

    @Setup(Level.Iteration)
    public void reset() {
      bytes = 0;
    }
  }

  /** Buffers for the bandwidth probe, one level per trial. */
  @State(Scope.Thread)
  public static class Buffer {
    @Param({"L1", "L2", "L3", "DRAM"})
    public String level;

    /**
     * The probe's floats, aligned to {@value Layout#ALIGN_BYTES} bytes as the kernels' weights are. A
     * {@code float[]} starts 16 bytes into an object that the heap aligns to 8 only, so in most forks every
     * 512-bit load straddled two cache lines: L1 read 133-136 GB/s in four forks of six on one Zen 4 core
     * and 211-216 GB/s in the other two. Aligned, it reads 200-204 GB/s in every fork there.
     */
    MemorySegment data;
    /** The bytes read per call: the buffer's whole multiple of 8 vectors. */
    long bound;

    @Setup(Level.Trial)
    public void setup() {
      long bytes = CacheSizes.detect().probeBytes(level);
      data = Arena.ofAuto().allocate(bytes, Layout.ALIGN_BYTES);
      for (long i = 0; i < bytes / Float.BYTES; i++) {
        data.setAtIndex(ValueLayout.JAVA_FLOAT, i, (i & 1023) * 1e-3f);
      }
      bound = bytes - bytes % (8L * S.vectorByteSize());
      // Vector code runs thousands of times slower before C2 compiles it: get there on a small prefix
      // (an interpreted pass over a DRAM-sized buffer alone would take seconds).
      long prefix = Math.min(bound, 4096);
      for (int i = 0; i < WARM_CALLS; i++) {
        sum(data, prefix);
      }
    }
  }

  /** The FMA chains' values between invocations (they converge to 1: nothing overflows or goes subnormal). */
  float[] chains = new float[CHAINS * S.length()];

  @Setup(Level.Trial)
  public void warmFma() {
    for (int i = 0; i < WARM_CALLS; i++) {
      fmaRounds(chains, 2);
    }
  }

  @Benchmark
  public void fmaPeak(Flops f) {
    fmaRounds(chains, FMA_LOOP);
    f.flops += 2L * FMA_LOOP * CHAINS * S.length();
  }

  @Benchmark
  public float readBandwidth(Buffer buf, Bytes bytes) {
    bytes.bytes += buf.bound;
    return sum(buf.data, buf.bound);
  }

  /**
   * {@code rounds} rounds of {@value #CHAINS} independent FMA chains, {@code c = c * 0.999 + 0.001},
   * starting from and ending in {@code c}: the loads and stores around the loop cost a few percent at
   * {@value #FMA_LOOP} rounds.
   */
  static void fmaRounds(float[] c, int rounds) {
    FloatVector a = FloatVector.broadcast(S, 0.999f);
    FloatVector b = FloatVector.broadcast(S, 1e-3f);
    int n = S.length();
    FloatVector c0 = FloatVector.fromArray(S, c, 0);
    FloatVector c1 = FloatVector.fromArray(S, c, n);
    FloatVector c2 = FloatVector.fromArray(S, c, 2 * n);
    FloatVector c3 = FloatVector.fromArray(S, c, 3 * n);
    FloatVector c4 = FloatVector.fromArray(S, c, 4 * n);
    FloatVector c5 = FloatVector.fromArray(S, c, 5 * n);
    FloatVector c6 = FloatVector.fromArray(S, c, 6 * n);
    FloatVector c7 = FloatVector.fromArray(S, c, 7 * n);
    FloatVector c8 = FloatVector.fromArray(S, c, 8 * n);
    FloatVector c9 = FloatVector.fromArray(S, c, 9 * n);
    FloatVector c10 = FloatVector.fromArray(S, c, 10 * n);
    FloatVector c11 = FloatVector.fromArray(S, c, 11 * n);
    for (int i = 0; i < rounds; i++) {
      c0 = c0.fma(a, b);
      c1 = c1.fma(a, b);
      c2 = c2.fma(a, b);
      c3 = c3.fma(a, b);
      c4 = c4.fma(a, b);
      c5 = c5.fma(a, b);
      c6 = c6.fma(a, b);
      c7 = c7.fma(a, b);
      c8 = c8.fma(a, b);
      c9 = c9.fma(a, b);
      c10 = c10.fma(a, b);
      c11 = c11.fma(a, b);
    }
    c0.intoArray(c, 0);
    c1.intoArray(c, n);
    c2.intoArray(c, 2 * n);
    c3.intoArray(c, 3 * n);
    c4.intoArray(c, 4 * n);
    c5.intoArray(c, 5 * n);
    c6.intoArray(c, 6 * n);
    c7.intoArray(c, 7 * n);
    c8.intoArray(c, 8 * n);
    c9.intoArray(c, 9 * n);
    c10.intoArray(c, 10 * n);
    c11.intoArray(c, 11 * n);
  }

  /**
   * The sum of the floats in bytes {@code [0, bound)} of {@code d} ({@code bound} a multiple of 8 vectors, at
   * most {@link Integer#MAX_VALUE}) in 8 accumulators. The loop counts in an int: C2 takes the segment's
   * bounds checks out of an int counted loop, and with a long index L1 read 167 GB/s where this reads 200.
   */
  static float sum(MemorySegment d, long bound) {
    int n = S.vectorByteSize();
    int step = 8 * n;
    int end = Math.toIntExact(bound);
    ByteOrder o = ByteOrder.nativeOrder();
    FloatVector s0 = FloatVector.zero(S);
    FloatVector s1 = s0;
    FloatVector s2 = s0;
    FloatVector s3 = s0;
    FloatVector s4 = s0;
    FloatVector s5 = s0;
    FloatVector s6 = s0;
    FloatVector s7 = s0;
    for (int i = 0; i < end; i += step) {
      s0 = s0.add(FloatVector.fromMemorySegment(S, d, i, o));
      s1 = s1.add(FloatVector.fromMemorySegment(S, d, i + n, o));
      s2 = s2.add(FloatVector.fromMemorySegment(S, d, i + 2 * n, o));
      s3 = s3.add(FloatVector.fromMemorySegment(S, d, i + 3 * n, o));
      s4 = s4.add(FloatVector.fromMemorySegment(S, d, i + 4 * n, o));
      s5 = s5.add(FloatVector.fromMemorySegment(S, d, i + 5 * n, o));
      s6 = s6.add(FloatVector.fromMemorySegment(S, d, i + 6 * n, o));
      s7 = s7.add(FloatVector.fromMemorySegment(S, d, i + 7 * n, o));
    }
    return s0.add(s1).add(s2.add(s3)).add(s4.add(s5).add(s6.add(s7))).reduceLanes(VectorOperators.ADD);
  }
}
