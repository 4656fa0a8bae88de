package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed JMH JSON of real runs, read into the report model: every family, and the derived numbers. */
class ReportModelTest {
  static final String QUICK = "quick.json";
  static final String KERNELS = "dev.vmlp.jmh.KernelBenchmark.";

  final Report quick = Samples.report(QUICK);

  @Test
  void everyResultOfTheQuickRunIsRead() {
    // the quick preset: 5 probes, 20 kernels, 2 softmax, 3 training, 2 predict, 2 scaling
    assertEquals(34, quick.results().size());
    assertNotNull(quick.machine(), "quick.machine.json beside quick.json");
    assertEquals("quick", quick.machine().run().preset());
    assertTrue(quick.machine().run().command().startsWith("bin/vmlp bench"), quick.machine().run().command());
  }

  @Test
  void probeGivesPeakFlopsAndBandwidthPerLevel() {
    Report.Derived peak = quick.fmaPeak();
    assertNotNull(peak);
    JsonNode raw = Samples.raw(QUICK, "dev.vmlp.jmh.MachineProbeBenchmark.fmaPeak", Map.of());
    JsonNode flops = raw.get("secondaryMetrics").get("flops");
    assertEquals("ops/s", flops.get("scoreUnit").asText());
    assertEquals(flops.get("score").asDouble() / 1e9, peak.value(), 1e-9);
    assertEquals(flops.get("scoreError").asDouble() / 1e9, peak.error(), 1e-9);

    Map<String, Report.Derived> bw = quick.bandwidth();
    assertEquals(List.of("L1", "L2", "L3", "DRAM"), List.copyOf(bw.keySet()));
    double l1 = Samples.raw(QUICK, "dev.vmlp.jmh.MachineProbeBenchmark.readBandwidth", Map.of("level", "L1"))
        .get("secondaryMetrics").get("bytes").get("score").asDouble();
    assertEquals(l1 / 1e9, bw.get("L1").value(), 1e-9);
  }

  @Test
  void kernelGflopsAreFlopsOverNanoseconds() {
    List<Report.KernelRow> rows = quick.kernels();
    assertEquals(20, rows.size());
    Set<String> kernels = rows.stream().map(Report.KernelRow::kernel).collect(Collectors.toSet());
    assertEquals(Report.KERNEL_FLOPS.keySet(), kernels);
    for (Report.KernelRow k : rows) {
      double ns = Samples.score(QUICK, KERNELS + k.kernel(), Map.of("impl", k.impl(), "shape", k.shape()));
      int[] io = Report.shape(k.shape());
      int perWeight = k.kernel().equals("updateForwardFused") || k.kernel().equals("transposedUpdate") ? 4 : 2;
      assertEquals(ns, k.ns(), 1e-9 * ns, k::toString);
      assertEquals((double) perWeight * io[0] * io[1] / ns, k.gflops(), 1e-9 * k.gflops(), k::toString);
    }
    Report.KernelRow fwd = rows.stream()
        .filter(k -> k.kernel().equals("forwardInputMajor") && k.shape().equals("784x256") && k.impl().equals("vector"))
        .findFirst().orElseThrow();
    assertEquals(2.0 * 784 * 256 / Samples.score(QUICK, KERNELS + "forwardInputMajor",
        Map.of("impl", "vector", "shape", "784x256")), fwd.gflops(), 1e-9);
  }

  @Test
  void kernelCeilingIsAnUpperBoundFromTheProbesThatAreFit() throws IOException {
    // the quick run: a noisy peak and L1, and the L2 probe read low (its rank-1 update read its 784x256
    // weights at 128 GB/s, the probe 96 ± 11), so no kernel has a ceiling
    assertEquals(Set.of("L2"), readLow(quick));
    assertEquals(0, checkCeilings(quick));
    Path json = BenchmarksDocTest.ROOT.resolve("docs/bench/record.json");
    Report record = new Report("record.json", MachineInfo.besides(json), JmhJson.read(json));
    // its input-major products read L2 at 157-170 GB/s, the probe 104; L3's probe, in memory, is unfit anyway
    assertEquals(Set.of("L2", "L3"), readLow(record));
    assertEquals(30, checkCeilings(record), "the full probe bounds every kernel of the record");
  }

  /** The levels whose weights some kernel of {@code r} read faster than the level's probe did, beyond both margins. */
  static Set<String> readLow(Report r) {
    var caches = r.machine().caches();
    Set<String> readLow = new java.util.HashSet<>();
    for (Report.KernelRow k : r.kernels()) {
      int[] io = Report.shape(k.shape());
      long bytes = 4L * io[0] * io[1];
      String level = bytes <= caches.l1d() ? "L1" : bytes <= caches.l2() ? "L2" : bytes <= caches.l3() ? "L3" : "DRAM";
      double flops = k.kernel().equals("updateForwardFused") || k.kernel().equals("transposedUpdate") ? 4.0 : 2.0;
      Report.Derived d = r.bandwidth().get(level);
      if ((k.gflops() - k.gflopsError()) * 4 / flops > d.value() + d.error()) {
        readLow.add(level);
      }
      if (k.gflops() - k.gflopsError() > r.fmaPeak().value() + r.fmaPeak().error()) {
        readLow.add("peak FMA");
      }
    }
    return readLow;
  }

  /** Checks each kernel's ceiling of {@code r} against the rules; the count of kernels given one. */
  static int checkCeilings(Report r) {
    var caches = r.machine().caches();
    Map<String, Report.Derived> bw = r.bandwidth();
    Report.Derived peak = r.fmaPeak();
    Set<String> readLow = readLow(r);
    boolean peakFit = peak.error() <= 0.25 * peak.value() && !readLow.contains("peak FMA");
    int shown = 0;
    for (Report.KernelRow k : r.kernels()) {
      int[] io = Report.shape(k.shape());
      long bytes = 4L * io[0] * io[1];
      String level = bytes <= caches.l1d() ? "L1" : bytes <= caches.l2() ? "L2" : bytes <= caches.l3() ? "L3" : "DRAM";
      Report.Derived d = bw.get(level);
      boolean fit = d.error() <= 0.25 * d.value() && !readLow.contains(level) && (!level.equals("L3")
          || d.value() - d.error() > bw.get("DRAM").value() + bw.get("DRAM").error());
      double flops = k.kernel().equals("updateForwardFused") || k.kernel().equals("transposedUpdate") ? 4.0 : 2.0;
      double bound = Double.NaN; // the lowest fit bound that the kernel did not beat
      if (fit && k.gflops() <= flops / 4 * d.value()) { // the weights' reads only
        bound = flops / 4 * d.value();
      }
      if (peakFit && k.gflops() <= peak.value() && !(bound <= peak.value())) {
        bound = peak.value();
      }
      if (Double.isNaN(bound)) {
        assertTrue(Double.isNaN(k.ceiling()), k::toString);
        assertFalse(k.ceilingOmitted().isEmpty(), k::toString);
        continue;
      }
      shown++;
      assertEquals(bound, k.ceiling(), 1e-9 * bound, k::toString);
      assertTrue(k.gflops() <= k.ceiling(), k::toString);
    }
    return shown;
  }

  /** A record's probe from a quick run (1 fork of 3 x 0.5 s): margins wider than some rates; L3's buffer in memory. */
  static List<JmhResult> noisyProbe() {
    return List.of(probe("fmaPeak", null, "flops", 206e9, 184e9), probe("readBandwidth", "L1", "bytes", 194e9, 33.4e9),
        probe("readBandwidth", "L2", "bytes", 104e9, 161e9), probe("readBandwidth", "L3", "bytes", 20.8e9, 7.59e9),
        probe("readBandwidth", "DRAM", "bytes", 20.7e9, 5.16e9));
  }

  static JmhResult probe(String method, String level, String counter, double perSecond, double error) {
    return new JmhResult("dev.vmlp.jmh.MachineProbeBenchmark." + method, "thrpt",
        level == null ? Map.of() : Map.of("level", level), new JmhResult.Metric(1e3, 10, "ops/s"), Map.of(),
        Map.of(counter, new JmhResult.Metric(perSecond, error, "ops/s")), 1, List.of(), "25", "25", List.of());
  }

  static JmhResult kernel(String method, String shape, double ns) {
    return new JmhResult(KERNELS + method, "avgt", Map.of("impl", "vector", "shape", shape),
        new JmhResult.Metric(ns, ns / 100, "ns/op"), Map.of(), Map.of(), 2, List.of(), "25", "25", List.of());
  }

  static Report.KernelRow row(Report r, String method, String shape) {
    return r.kernels().stream().filter(k -> k.kernel().equals(method) && k.shape().equals(shape)).findFirst().orElseThrow();
  }

  @Test
  void noProbeThatIsTooNoisyOrInMemoryBoundsAKernel() {
    List<JmhResult> results = new java.util.ArrayList<>(noisyProbe());
    results.add(kernel("transposedUpdate", "256x10", 99.4));
    results.add(kernel("forwardInputMajor", "784x256", 4760));
    results.add(kernel("rank1InputMajor", "1024x1024", 53_900));
    Report r = new Report("record", quick.machine(), results); // the same machine: L3 reported as 508 MiB
    Ceilings c = r.ceilings();
    assertEquals("error ± 89%", c.unfit("peak FMA"));
    assertNull(c.unfit("L1"));
    assertEquals("error ± 155%", c.unfit("L2"));
    assertEquals("not faster than DRAM", c.unfit("L3"));
    assertNull(c.unfit("DRAM"));

    Report.KernelRow t = row(r, "transposedUpdate", "256x10"); // 103 GFLOP/s: was 106% of a 97.2 ceiling
    assertEquals(194, t.ceiling(), 1e-9, t::toString); // 4 flops per 4-byte weight read at L1's 194 GB/s
    assertEquals("L1", t.ceilingSource());
    Report.KernelRow f = row(r, "forwardInputMajor", "784x256");
    assertTrue(Double.isNaN(f.ceiling()), f::toString);
    assertEquals("peak FMA: error ± 89%; L2: error ± 155%", f.ceilingOmitted());
    Report.KernelRow u = row(r, "rank1InputMajor", "1024x1024");
    assertTrue(Double.isNaN(u.ceiling()), u::toString);
    assertEquals("peak FMA: error ± 89%; L3: not faster than DRAM", u.ceilingOmitted());
  }

  @Test
  void aFitPeakBoundsAKernelWhoseLevelsProbeIsUnfit() {
    Report.Derived peak = new Report.Derived(null, 200, 10);
    Map<String, Report.Derived> bw = new java.util.LinkedHashMap<>();
    bw.put("L1", new Report.Derived(null, 190, 5));
    bw.put("L2", new Report.Derived(null, 100, 150)); // unfit
    Ceilings c = new Ceilings(peak, bw);
    Ceilings.Ceiling l2 = c.of("L2", 2, 60);
    assertEquals(200, l2.value(), 1e-9); // the peak alone is an upper bound
    assertEquals("peak FMA", l2.source());
    Ceilings.Ceiling l1 = c.of("L1", 2, 60);
    assertEquals(95, l1.value(), 1e-9); // the lower of the two: 2 flops per 4 bytes at 190 GB/s
    assertEquals("L1", l1.source());
    Ceilings.Ceiling beaten = c.of("L1", 2, 120); // above L1's 95: that probe read low, the peak still holds
    assertEquals(200, beaten.value(), 1e-9);
    assertEquals("peak FMA", beaten.source());
    assertEquals("peak FMA bound 200 < measured; L1 bound 95.0 < measured", c.of("L1", 2, 250).omitted());
    Ceilings noisy = new Ceilings(new Report.Derived(null, 200, 150), bw);
    assertEquals("peak FMA: error ± 75%; L2: error ± 150%", noisy.of("L2", 2, 60).omitted());
  }

  @Test
  void aProbeThatAKernelReadFasterBoundsNoKernel() throws IOException {
    // the record of 2026-11-28: L2 read 104 ± 11.5 GB/s, but the 784x256 input-major product read its 784 KB
    // of weights from L2 at 157 GB/s (78.7 GFLOP/s, 2 flops per 4-byte weight); the output-major product at
    // that shape was given "57%" of a 52.2 GFLOP/s "ceiling" that the same run had beaten by half
    Path json = BenchmarksDocTest.ROOT.resolve("docs/bench/record.json");
    Report record = new Report("record.json", MachineInfo.besides(json), JmhJson.read(json));
    assertEquals("read low: forwardInputMajor 784x128 vector read its weights at 170 GB/s", record.ceilings().unfit("L2"));
    Report.KernelRow outputMajor = record.kernels().stream()
        .filter(k -> k.kernel().equals("forwardOutputMajor") && k.shape().equals("784x256") && k.impl().equals("vector"))
        .findFirst().orElseThrow();
    assertEquals("peak FMA", outputMajor.ceilingSource(), outputMajor::toString);
    assertEquals(record.fmaPeak().value(), outputMajor.ceiling(), 1e-9);
  }

  @Test
  void aKernelThatWritesItsWeightsIsChargedItsReadsOnly() {
    List<JmhResult> results = new java.util.ArrayList<>(noisyProbe());
    results.add(kernel("rank1InputMajor", "256x10", 225));
    Report.KernelRow k = row(new Report("record", quick.machine(), results), "rank1InputMajor", "256x10");
    assertEquals(2.0 / 4 * 194, k.ceiling(), 1e-9, k::toString); // not 2 flops per 8 bytes read and written
  }

  @Test
  void aBoundThatTheKernelMeasuredAboveIsNotGiven() {
    List<JmhResult> results = new java.util.ArrayList<>(noisyProbe());
    results.set(2, probe("readBandwidth", "L2", "bytes", 50e9, 5e9));
    results.add(kernel("forwardInputMajor", "784x256", 4760)); // 84 GFLOP/s
    Report.KernelRow k = row(new Report("record", quick.machine(), results), "forwardInputMajor", "784x256");
    assertTrue(Double.isNaN(k.ceiling()), k::toString);
    // 84 GFLOP/s read the weights at 169 GB/s, beyond the probe's 55: it read low, for every kernel
    assertEquals("peak FMA: error ± 89%; L2: read low: forwardInputMajor 784x256 vector read its weights at 169 GB/s",
        k.ceilingOmitted());
    results.set(2, probe("readBandwidth", "L2", "bytes", 160e9, 10e9)); // [150, 170]: within the margin
    Report.KernelRow within = row(new Report("record", quick.machine(), results), "forwardInputMajor", "784x256");
    assertEquals("peak FMA: error ± 89%; L2 bound 80.0 < measured", within.ceilingOmitted());
  }

  @Test
  void eachResultSaysHowItWasRun() throws IOException {
    assertEquals(List.of("1 fork, 4 x 500 ms warm-up, 3 x 500 ms: 27 results", "1 fork, 8 x 500 ms warm-up, 3 x 500 ms: 7 results"),
        quick.settings());
    Path json = BenchmarksDocTest.ROOT.resolve("docs/bench/record.json");
    Report record = new Report("record.json", MachineInfo.besides(json), JmhJson.read(json));
    // the record's probe came from bin/vmlp bench --full, not from the record's 2 forks of 1-2 s
    assertEquals("1 fork, 3 x 1 s warm-up, 5 x 1 s", record.probeSettings());
    assertTrue(record.settings().contains("2 forks, 5 x 1 s warm-up, 5 x 1 s: 74 results"), record.settings()::toString);
  }

  @Test
  void speedupIsScalarTimeOverVectorTime() {
    List<Report.Speedup> s = quick.speedups();
    assertEquals(11, s.size(), s::toString); // 5 kernels x 2 shapes, and the softmax head
    for (Report.Speedup x : s) {
      if (x.kernel().equals("softmax")) {
        double scalar = Samples.score(QUICK, "dev.vmlp.jmh.SoftmaxBenchmark.softmaxLossGradient", Map.of("impl", "scalar"));
        double vector = Samples.score(QUICK, "dev.vmlp.jmh.SoftmaxBenchmark.softmaxLossGradient", Map.of("impl", "vector"));
        assertEquals(scalar / vector, x.speedup(), 1e-9);
        continue;
      }
      double scalar = Samples.score(QUICK, KERNELS + x.kernel(), Map.of("impl", "scalar", "shape", x.shape()));
      double vector = Samples.score(QUICK, KERNELS + x.kernel(), Map.of("impl", "vector", "shape", x.shape()));
      assertEquals(scalar / vector, x.speedup(), 1e-9 * x.speedup(), x::toString);
    }
  }

  /** {@code r} with its score and error multiplied by {@code factor}, as a second run on a slower machine. */
  static JmhResult slower(JmhResult r, double factor) {
    JmhResult.Metric m = r.primary();
    return new JmhResult(r.benchmark(), r.mode(), r.params(), new JmhResult.Metric(m.score() * factor,
        m.error() * factor, m.unit()), r.percentiles(), r.secondary(), r.forks(), r.jvmArgs(), r.jdkVersion(),
        r.vmVersion(), r.raw(), r.iterations());
  }

  @Test
  void aResultHeldTwiceIsPairedWithTheScalarOrOneThreadCopyOfItsOwnRun() {
    // two runs' arrays joined; the second run 3x slower throughout, so a cross pairing shows as 3x or 1/3x
    List<JmhResult> joined = new ArrayList<>(quick.results());
    quick.results().forEach(r -> joined.add(slower(r, 3)));
    Report twice = new Report("joined", null, joined);
    List<Double> expected = new ArrayList<>();
    quick.speedups().forEach(x -> expected.addAll(List.of(x.speedup(), x.speedup())));
    List<Double> got = twice.speedups().stream().map(Report.Speedup::speedup).toList();
    assertEquals(expected.size(), got.size(), got::toString);
    for (int i = 0; i < got.size(); i++) {
      assertEquals(expected.get(i), got.get(i), 1e-9 * expected.get(i), "speed-up " + i + " of " + got);
    }
    List<Double> scaling = twice.scaling().stream().map(Report.ScalingRow::speedup).toList();
    double two = quick.scaling().get(1).speedup();
    assertEquals(4, scaling.size(), scaling::toString);
    for (int i = 0; i < 4; i++) {
      double want = i < 2 ? 1.0 : two;
      assertEquals(want, scaling.get(i), 1e-9 * want, "scaling " + scaling);
    }
  }

  @Test
  void softmaxSpeedupsAreOnePerClassCount() {
    List<JmhResult> two = new ArrayList<>();
    for (String classes : List.of("10", "100")) {
      for (String impl : List.of("scalar", "vector")) {
        double ns = (impl.equals("scalar") ? 80 : 20) * (classes.equals("10") ? 1 : 10);
        two.add(new JmhResult("dev.vmlp.jmh.SoftmaxBenchmark.softmaxLossGradient", "avgt",
            Map.of("impl", impl, "classes", classes), new JmhResult.Metric(ns, 1, "ns/op"), Map.of(), Map.of(), 1,
            List.of(), "25", "25", List.of()));
      }
    }
    assertEquals(List.of("softmax 10 classes 80.0/20.0", "softmax 100 classes 800.0/200.0"),
        new Report("run", null, two).speedups().stream()
            .map(x -> String.format(Locale.ROOT, "%s %s %.1f/%.1f", x.kernel(), x.shape(), x.scalarNs(), x.vectorNs()))
            .toList());
  }

  @Test
  void trainingSamplesPerSecondIsOneBillionOverNanosecondsPerSample() {
    List<Report.TrainRow> rows = quick.training();
    assertEquals(Set.of("vector dense", "vector sparse", "scalar dense"),
        rows.stream().map(Report.TrainRow::variant).collect(Collectors.toSet()));
    for (Report.TrainRow t : rows) {
      JsonNode raw = Samples.raw(QUICK, "dev.vmlp.TrainStepBenchmark.step",
          Map.of("impl", t.impl(), "path", t.path(), "net", t.net()));
      double ns = raw.get("primaryMetric").get("score").asDouble();
      assertEquals(1e9 / ns, t.samplesPerSecond(), 1e-9 * t.samplesPerSecond());
      // -prof gc was on: bytes per sample from gc.alloc.rate.norm
      JsonNode alloc = raw.get("secondaryMetrics").get("gc.alloc.rate.norm");
      assertEquals(alloc.get("score").asDouble(), t.bytesPerSample(), 1e-9);
    }
  }

  @Test
  void threadScalingSpeedupIsRelativeToOneThread() {
    List<Report.ScalingRow> rows = quick.scaling();
    assertEquals(List.of(1, 2), rows.stream().map(Report.ScalingRow::threads).toList());
    double one = Samples.score(QUICK, "dev.vmlp.ThreadScalingBenchmark.pass", Map.of("threads", "1"));
    double two = Samples.score(QUICK, "dev.vmlp.ThreadScalingBenchmark.pass", Map.of("threads", "2"));
    assertEquals(1.0, rows.get(0).speedup(), 1e-12);
    assertEquals(one / two, rows.get(1).speedup(), 1e-9);
  }

  @Test
  void predictLatencyPercentilesAndAllocationAreRead() {
    Report.PredictRow one = quick.predict().stream().filter(p -> p.method().equals("predictOne")).findFirst().orElseThrow();
    JsonNode raw = Samples.raw(QUICK, "dev.vmlp.PredictBenchmark.predictOne", Map.of("net", "784-256-10"));
    assertEquals("sample", raw.get("mode").asText());
    JsonNode pc = raw.get("primaryMetric").get("scorePercentiles");
    for (String k : List.of("50.0", "90.0", "99.0", "99.9")) {
      assertEquals(pc.get(k).asDouble(), one.percentiles().get(k), 1e-9, k); // ns/op already
    }
    assertTrue(one.percentiles().get("50.0") <= one.percentiles().get("99.9"));
    assertEquals(raw.get("secondaryMetrics").get("gc.alloc.rate.norm").get("score").asDouble(), one.bytesPerOp(), 1e-9);
    Report.PredictRow batch = quick.predict().stream().filter(p -> p.method().equals("predictBatch64")).findFirst().orElseThrow();
    assertTrue(batch.percentiles().isEmpty(), "average time has no percentiles");
  }

  @Test
  void peersAreRecognisedByClassAndMethodName() {
    Report peers = Samples.report("peers.json"); // a quick run with the peers
    List<Report.PeerKernelRow> k = peers.peerKernels();
    assertEquals(Set.of("forward", "transposed", "rank1"), k.stream().map(Report.PeerKernelRow::op).collect(Collectors.toSet()));
    assertTrue(k.stream().map(Report.PeerKernelRow::peer).collect(Collectors.toSet()).containsAll(Set.of("ejml", "netlibJava")));
    for (Report.PeerKernelRow p : k) {
      double ns = Samples.score("peers.json", "dev.vmlp.jmh.peers.PeerKernelBenchmark." + p.op() + "_" + p.peer(),
          p.layout().isEmpty() ? Map.of("shape", p.shape()) : Map.of("shape", p.shape(), "layout", p.layout()));
      int[] io = Report.shape(p.shape());
      assertEquals(2.0 * io[0] * io[1] / ns, p.gflops(), 1e-9 * p.gflops(), p::toString);
    }
    List<Report.TrainRow> t = peers.peerTraining();
    assertFalse(t.isEmpty());
    assertTrue(t.stream().allMatch(r -> r.net().equals("784-256-10")), t::toString);
    // none of them is mistaken for vmlp's own families, nor left over
    assertTrue(peers.kernels().stream().allMatch(r -> r.source().className().equals("KernelBenchmark")));
    assertTrue(peers.training().stream().allMatch(r -> r.source().className().equals("TrainStepBenchmark")));
    assertTrue(peers.others().stream().allMatch(r -> r.className().equals("SoftmaxBenchmark")), peers.others()::toString);
  }

  @Test
  void aRunWithoutPeersHasNone() {
    assertTrue(quick.peerKernels().isEmpty());
    assertTrue(quick.peerTraining().isEmpty());
  }

  @Test
  void unknownBenchmarksAreKeptAsOthers() throws Exception {
    String json = """
        [{"benchmark": "org.example.FooBenchmark.bar", "mode": "thrpt", "params": {"n": "3"},
          "primaryMetric": {"score": 12.5, "scoreError": "NaN", "scoreUnit": "ops/s"}}]""";
    Report r = new Report("x", null, JmhJson.parse(json));
    assertEquals(1, r.others().size());
    JmhResult o = r.others().get(0);
    assertEquals("FooBenchmark", o.className());
    assertEquals("bar", o.method());
    assertTrue(Double.isNaN(o.primary().error()), "JMH writes an unknown error as the string NaN");
    assertTrue(r.kernels().isEmpty());
    assertTrue(r.bandwidth().isEmpty());
  }

  static MachineInfo withCaches(long l1d, long l2, long l3) {
    return new MachineInfo("", 1, "", 0, "", new dev.vmlp.jmh.CacheSizes(l1d, l2, l3, ""), null, "", "", "", "", "",
        List.of(), null, null);
  }

  @Test
  void weightsLieInTheSmallestCacheThatHoldsThemAndInDramOnlyWhenACacheSizeIsKnown() {
    Report r = new Report("r", withCaches(32 << 10, 1 << 20, 32 << 20), List.of());
    assertEquals("L1", r.level(32 << 10));
    assertEquals("L2", r.level((32 << 10) + 1));
    assertEquals("L2", r.level(1 << 20));
    assertEquals("L3", r.level(32 << 20));
    assertEquals("DRAM", r.level((32 << 20) + 1));
    assertEquals("DRAM", new Report("r", withCaches(0, 0, 8 << 20), List.of()).level(9 << 20));
    assertNull(new Report("r", withCaches(0, 0, 0), List.of()).level(1), "no size known: no level");
    assertNull(new Report("r", null, List.of()).level(1));
  }

  static JmhResult of(String benchmark, String mode, Map<String, String> params, JmhResult.Metric primary,
      Map<String, Double> percentiles) {
    return new JmhResult(benchmark, mode, params, primary, percentiles, Map.of(), 1, List.of(), "", "", List.of());
  }

  @Test
  void predictionPercentilesSavedInMicrosecondsAreShownInNanoseconds() {
    JmhResult one = of("dev.vmlp.PredictBenchmark.predictOne", "sample", Map.of("net", "784-256-10"),
        new JmhResult.Metric(2.5, 0.1, "us/op"), Map.of("50.0", 2.0, "99.9", 4.5));
    Report.PredictRow row = new Report("r", null, List.of(one)).predict().get(0);
    assertEquals(2_500, row.ns(), 1e-9);
    assertEquals(Map.of("50.0", 2_000.0, "99.9", 4_500.0), row.percentiles());
  }

  @Test
  void aNetOfOneLayerSizeIsRefused() {
    for (String net : List.of("784", "abc")) {
      JmhResult r = of("dev.vmlp.TrainStepBenchmark.step", "avgt", Map.of("net", net), new JmhResult.Metric(1, 0.1, "us/op"),
          Map.of());
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Report("r", null, List.of(r)));
      assertEquals("TrainStepBenchmark.step net=" + net + ": net '" + net + "' is not layer sizes (e.g. 784-256-10)",
          e.getMessage());
    }
  }

  @Test
  void aSettingThatCoversOneResultSaysResult() {
    JmhResult r = new JmhResult("a.B.c", "avgt", Map.of(), new JmhResult.Metric(1, 0.1, "ns/op"), Map.of(), Map.of(), 2,
        List.of(), "", "", List.of(), new JmhResult.Iterations(5, "1 s", 5, "1 s"));
    assertEquals(List.of("2 forks, 5 x 1 s warm-up, 5 x 1 s: 1 result"), new Report("r", null, List.of(r)).settings());
    assertEquals(List.of("2 forks, 5 x 1 s warm-up, 5 x 1 s: 2 results"), new Report("r", null, List.of(r, r)).settings());
  }

  @Test
  void firstLineOfDropsJmhsErrorPrefix() {
    assertEquals("Benchmark had encountered error", Report.firstLineOf(
        new RuntimeException("ERROR: Benchmark had encountered error\n\tat x.y.z")));
    assertEquals("the fork exited", Report.firstLineOf(new RuntimeException("WARNING: the fork exited")));
    assertEquals("IllegalStateException", Report.firstLineOf(new IllegalStateException()));
  }

  @Test
  void timesInOtherUnitsAreConvertedToNanoseconds() {
    // throughput: 4 ± 0.4 ops/s is 0.25 s ± 0.025 s per op, to first order
    assertEquals(2.5e7, Report.nsError(new JmhResult.Metric(4, 0.4, "ops/s")), 1e-3);
    assertEquals(5_000, Report.ns(new JmhResult.Metric(5, 0.1, "us/op")), 1e-9);
    assertEquals(100, Report.nsError(new JmhResult.Metric(5, 0.1, "us/op")), 1e-9);
    assertEquals(2_000_000, Report.ns(new JmhResult.Metric(2, 0, "ms/op")), 1e-9);
    assertEquals(1e9 / 4, Report.ns(new JmhResult.Metric(4, 0, "ops/s")), 1e-3);
    assertEquals(5_000, Report.ns(new JmhResult.Metric(5, 0.1, "µs/op")), 1e-9);
    assertEquals(120e9, Report.ns(new JmhResult.Metric(2, 0, "min/op")), 1e-3);
    assertEquals(60e9 / 4, Report.ns(new JmhResult.Metric(4, 0, "ops/min")), 1e-3);
    assertThrows(IllegalArgumentException.class, () -> Report.ns(new JmhResult.Metric(1, 0, "B/op/s")));
  }

  @Test
  void hoursAndDaysAreJmhTimeUnitsToo() {
    // JMH names TimeUnit.HOURS and DAYS hr and day (@OutputTimeUnit); ops/hr was refused as not fitting thrpt
    assertEquals(3600e9, Report.ns(new JmhResult.Metric(1, 0, "hr/op")), 1e-3);
    assertEquals(86400e9 / 2, Report.ns(new JmhResult.Metric(2, 0, "ops/day")), 1e-3);
    assertEquals(1e9, Report.ns(new JmhResult.Metric(3600, 0, "ops/hr")), 1e-6);
  }

  @Test
  void aPercentileOrIterationThatIsNotANumberNamesTheResult(@TempDir Path tmp) throws IOException {
    String result = """
        [{"benchmark": "org.example.FooBenchmark.bar", "mode": "avgt", "params": {"n": "3"},
          "primaryMetric": {"score": 12.5, "scoreError": 1, "scoreUnit": "ns/op", %s}}]""";
    Map<String, String> cases = Map.of("\"scorePercentiles\": {\"50.0\": \"fast\"}", "percentile 50.0: 'fast' is not a number",
        "\"rawData\": [[12.5, \"abc\"]]", "an iteration: 'abc' is not a number");
    for (var c : cases.entrySet()) {
      Path f = Files.writeString(tmp.resolve("bad.json"), result.formatted(c.getKey()));
      IOException e = assertThrows(IOException.class, () -> JmhJson.read(f));
      assertEquals(f + ": FooBenchmark.bar n=3: " + c.getValue(), e.getMessage()); // was "not a JMH JSON result file ('abc' ...)"
    }
  }

  @Test
  void aResultWithoutAFieldIsNamedAmongResultsOfTheSameBenchmark(@TempDir Path tmp) throws IOException {
    // results of one method differ in their parameters alone: "KernelBenchmark.forwardOutputMajor: no 'mode'"
    // left the reader to find which of the run's six, a result without a name was "a result", and a score
    // that is no number was "'' is not a number", of no field
    String ok = """
        {"benchmark": "org.example.FooBenchmark.bar", "mode": "avgt", "params": {"n": "1"},
         "primaryMetric": {"score": 12.5, "scoreError": 1, "scoreUnit": "ns/op"}}""";
    Map<String, String> cases = Map.of(
        ok.replace("\"mode\": \"avgt\", ", "").replace("\"1\"", "\"3\""), "FooBenchmark.bar n=3: no 'mode'",
        ok.replace("\"1\"", "\"3\"").replace("avgt", "fast"), "FooBenchmark.bar n=3: unknown mode 'fast'",
        ok.replace("\"1\"", "\"3\"").replaceAll(",\\s*\"primaryMetric.*}", "}"), "FooBenchmark.bar n=3 has no primaryMetric",
        ok.replace("\"benchmark\": \"org.example.FooBenchmark.bar\", ", ""), "result 2 has no 'benchmark'",
        ok.replace("\"1\"", "\"3\"").replace("12.5", "{\"a\": 1}"), "FooBenchmark.bar n=3: score: {\"a\":1} is not a number",
        ok.replace("\"1\"", "\"3\"").replace(": 1,", ": [1],"), "FooBenchmark.bar n=3: scoreError: [1] is not a number");
    for (var c : cases.entrySet()) {
      Path f = Files.writeString(tmp.resolve("bad.json"), "[" + ok + ", " + c.getKey() + "]");
      IOException e = assertThrows(IOException.class, () -> JmhJson.read(f), c.getKey());
      assertTrue(e.getMessage().startsWith(f + ": ") && e.getMessage().contains(c.getValue()), e.getMessage());
    }
  }

  @Test
  void aMetricWithABlankOrNonTextUnitNamesTheResult(@TempDir Path tmp) throws IOException {
    String result = """
        [{"benchmark": "org.example.FooBenchmark.bar", "mode": "avgt",
          "primaryMetric": {"score": 12.5, "scoreError": 1, "scoreUnit": %s},
          "secondaryMetrics": {"gc.alloc.rate.norm": {"score": 0, "scoreError": "NaN", "scoreUnit": %s}}}]""";
    for (String[] units : List.of(new String[] {"\" \"", "\"ns/op\""}, new String[] {"\"ns/op\"", "\"\""},
        new String[] {"\"ns/op\"", "7"})) {
      Path f = Files.writeString(tmp.resolve("bad.json"), result.formatted(units[0], units[1]));
      IOException e = assertThrows(IOException.class, () -> JmhJson.read(f), units[1]);
      assertEquals(f + ": FooBenchmark.bar: a metric has no scoreUnit", e.getMessage());
    }
  }

  @Test
  void filesThatAreNotJmhJsonAreErrorsNamingTheFile(@TempDir Path tmp) throws IOException {
    for (String text : List.of("{not json", "{\"benchmark\": 1}", "[{\"benchmark\": \"a.B.c\", \"mode\": \"avgt\"}]")) {
      Path f = Files.writeString(tmp.resolve("bad.json"), text);
      IOException e = assertThrows(IOException.class, () -> JmhJson.read(f));
      assertTrue(e.getMessage().startsWith(f + ": not a JMH JSON result file"), e.getMessage());
    }
  }

  @Test
  void twoFilesJoinedAreRefusedRatherThanReadAsTheFirst(@TempDir Path tmp) throws IOException {
    String one = Files.readString(Samples.path(QUICK));
    Path f = Files.writeString(tmp.resolve("joined.json"), one + one); // cat a.json b.json > joined.json
    IOException e = assertThrows(IOException.class, () -> JmhJson.read(f)); // was the first file's results alone
    assertTrue(e.getMessage().startsWith(f + ": not a JMH JSON result file (more JSON after the array of results at line "),
        e.getMessage());
    assertTrue(e.getMessage().endsWith("(two files joined?))"), e.getMessage());
    Path trailing = Files.writeString(tmp.resolve("trailing.json"), one + "\n  \n");
    assertEquals(34, JmhJson.read(trailing).size(), "white space after the array is no content");
  }

  @Test
  void aProbeRateThatIsNotAPositiveFiniteNumberNamesTheResult(@TempDir Path tmp) throws IOException {
    String probe = """
        [{"benchmark": "dev.vmlp.jmh.MachineProbeBenchmark.readBandwidth", "mode": "thrpt", "params": {"level": "L1"},
          "primaryMetric": {"score": 5, "scoreError": 1, "scoreUnit": "ops/s"},
          "secondaryMetrics": {"bytes": {"score": %s, "scoreError": 0, "scoreUnit": "ops/s"}}}]""";
    for (String score : List.of("0", "-2e10", "\"Infinity\"", "\"NaN\"")) {
      Path f = Files.writeString(tmp.resolve("probe.json"), probe.formatted(score));
      IOException e = assertThrows(IOException.class, () -> Report.read("probe", f), score); // was a ceiling of Infinity
      assertTrue(e.getMessage().startsWith(f + ": MachineProbeBenchmark.readBandwidth level=L1: bytes "), e.getMessage());
      assertTrue(e.getMessage().endsWith(" is not a positive finite number"), e.getMessage());
    }
  }

  @Test
  void aProbeCounterThatIsNotARateNamesTheResultAndItsUnit(@TempDir Path tmp) throws IOException {
    String probe = """
        [{"benchmark": "dev.vmlp.jmh.MachineProbeBenchmark.fmaPeak", "mode": "thrpt",
          "primaryMetric": {"score": 5, "scoreError": 1, "scoreUnit": "ops/s"},
          "secondaryMetrics": {"flops": {"score": 2e11, "scoreError": 1e9, "scoreUnit": "%s"}}}]""";
    for (String unit : List.of("#", "ns/op", "B/op")) {
      Path f = Files.writeString(tmp.resolve("probe.json"), probe.formatted(unit));
      // was a peak FMA rate of "-" that "bounds the kernels: no: no error margin"
      IOException e = assertThrows(IOException.class, () -> Report.read("probe", f), unit);
      assertEquals(f + ": MachineProbeBenchmark.fmaPeak: flops is in '" + unit + "', not a rate (ops per a time, e.g. ops/s)",
          e.getMessage());
    }
    Path f = Files.writeString(tmp.resolve("probe.json"), probe.formatted("ops/ms"));
    Report.Derived peak = Report.read("probe", f).fmaPeak();
    assertEquals(2e14 / 1e9, peak.value(), 1e-6, "ops/ms is a rate: 2e11 per ms");
    assertEquals(1e12 / 1e9, peak.error(), 1e-9, "and so is its margin: 1e9 per ms");
  }

  @Test
  void aNetOfTwoLayerSizesIsRead() {
    JmhResult small = of("dev.vmlp.TrainStepBenchmark.step", "avgt", Map.of("net", "784-10", "impl", "vector",
        "path", "dense"), new JmhResult.Metric(2, 0.1, "us/op"), Map.of());
    JmhResult wide = of("dev.vmlp.TrainStepBenchmark.step", "avgt", Map.of("net", "784-256-10", "impl", "vector",
        "path", "dense"), new JmhResult.Metric(20, 0.1, "us/op"), Map.of());
    assertEquals(List.of("784-10", "784-256-10"),
        new Report("r", null, List.of(wide, small)).training().stream().map(Report.TrainRow::net).toList());
  }

  @Test
  void peerAndPredictionResultsWhoseNetOrShapeCannotBeReadNameTheResult() {
    Map<String, String> cases = Map.of(
        "dev.vmlp.PredictBenchmark.predictOne", "PredictBenchmark.predictOne net=abc: net 'abc' is not layer sizes"
            + " (e.g. 784-256-10)",
        "dev.vmlp.jmh.peers.PeerTrainStepBenchmark.step_ejml", "PeerTrainStepBenchmark.step_ejml net=abc: net 'abc'"
            + " is not layer sizes (e.g. 784-256-10)",
        "dev.vmlp.jmh.peers.PeerKernelBenchmark.forward_ejml", "PeerKernelBenchmark.forward_ejml shape=abc: shape"
            + " 'abc' is not INxOUT (e.g. 784x256)");
    cases.forEach((benchmark, message) -> {
      JmhResult r = of(benchmark, "avgt", Map.of(benchmark.contains("Kernel") ? "shape" : "net", "abc"),
          new JmhResult.Metric(1, 0.1, "us/op"), Map.of());
      assertEquals(message, assertThrows(IllegalArgumentException.class, () -> new Report("r", null, List.of(r)))
          .getMessage());
    });
    // a peer class's method that is not op_peer needs no shape nor net
    for (String benchmark : List.of("dev.vmlp.jmh.peers.PeerKernelBenchmark.baseline",
        "dev.vmlp.jmh.peers.PeerTrainStepBenchmark.baseline")) {
      Report r = new Report("r", null, List.of(of(benchmark, "avgt", Map.of(), new JmhResult.Metric(1, 0.1, "us/op"),
          Map.of())));
      assertTrue(r.peerKernels().isEmpty() && r.peerTraining().isEmpty(), benchmark);
    }
  }

  @Test
  void aZeroShapeOrThreadCountIsRefused() {
    JmhResult k = new JmhResult(KERNELS + "forwardInputMajor", "avgt", Map.of("impl", "vector", "shape", "0x256"),
        new JmhResult.Metric(100, 1, "ns/op"), Map.of(), Map.of(), 2, List.of(), "25", "25", List.of());
    assertEquals("KernelBenchmark.forwardInputMajor impl=vector shape=0x256: shape '0x256' is not INxOUT"
        + " (e.g. 784x256)",
        assertThrows(IllegalArgumentException.class, () -> new Report("r", null, List.of(k))).getMessage());
    JmhResult t = of("dev.vmlp.ThreadScalingBenchmark.pass", "avgt", Map.of("net", "784-256-10", "path", "dense",
        "threads", "0"), new JmhResult.Metric(100, 1, "ns/op"), Map.of());
    assertEquals("ThreadScalingBenchmark.pass net=784-256-10 path=dense threads=0: threads '0' is not a thread count",
        assertThrows(IllegalArgumentException.class, () -> new Report("r", null, List.of(t))).getMessage());
  }

  @Test
  void aVectorResultHeldMoreOftenThanItsScalarOneIsPairedWithTheLastScalarCopy() {
    JmhResult scalar = kernel("forwardInputMajor", "784x256", 4000);
    scalar = new JmhResult(scalar.benchmark(), "avgt", Map.of("impl", "scalar", "shape", "784x256"), scalar.primary(),
        Map.of(), Map.of(), 2, List.of(), "25", "25", List.of());
    JmhResult vector = kernel("forwardInputMajor", "784x256", 1000);
    List<Double> speedups = new Report("r", null, List.of(scalar, vector, slower(vector, 2), slower(vector, 4)))
        .speedups().stream().map(Report.Speedup::speedup).toList();
    assertEquals(List.of(4.0, 2.0, 1.0), speedups);
  }
}
