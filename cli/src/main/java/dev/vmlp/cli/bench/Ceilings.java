package dev.vmlp.cli.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The upper bounds that a run's own probes put on its kernels: the peak FMA rate, and the read
 * bandwidth of the cache level the weights fit in times the kernel's flops per weight read. A probe
 * bounds nothing when its error margin is over {@link #MAX_RELATIVE_ERROR} of its rate (or unknown);
 * the L3 probe also not unless it reads faster than the DRAM probe beyond both margins, since its
 * buffer (half the reported L3) otherwise lay in memory; and a probe that one of the run's kernels
 * measured above beyond both margins ({@link #measured}) read low, and bounds none of them. Each fit
 * probe's bound is an upper bound on its own, so a kernel's ceiling is the lowest of them; a bound that
 * the kernel measured above is not an upper bound and is not given either.
 */
final class Ceilings {
  /** The largest error margin, as a fraction of the rate, of a probe that bounds the kernels. */
  static final double MAX_RELATIVE_ERROR = 0.25;
  /** Bytes read per weight: a kernel that also writes its weights stores through other ports than it loads. */
  static final int BYTES_READ_PER_WEIGHT = 4;
  static final String PEAK = "peak FMA";

  /**
   * A kernel's ceiling.
   *
   * @param value GFLOP/s, or NaN when none is given
   * @param source the bound that sets it ({@code L1} ... {@code DRAM} or {@value #PEAK}), or null
   * @param omitted why none is given although the run has probes (e.g. {@code L2: error ± 155%}), or empty
   */
  record Ceiling(double value, String source, String omitted) {
    static final Ceiling NONE = new Ceiling(Double.NaN, null, "");
  }

  private final Report.Derived peak;
  private final Map<String, Report.Derived> bandwidth;
  private final Map<String, String> unfit = new LinkedHashMap<>();

  Ceilings(Report.Derived peak, Map<String, Report.Derived> bandwidth) {
    this.peak = peak;
    this.bandwidth = bandwidth;
    if (peak != null) {
      judge(PEAK, peak);
    }
    bandwidth.forEach(this::judge);
    Report.Derived l3 = bandwidth.get("L3");
    Report.Derived dram = bandwidth.get("DRAM");
    // the stronger reason first: a buffer in memory says more than a wide margin
    if (l3 != null && dram == null) {
      unfit.put("L3", "no DRAM probe to tell it from memory");
    } else if (l3 != null && low(l3) <= high(dram)) {
      unfit.put("L3", "not faster than DRAM");
    }
  }

  private void judge(String probe, Report.Derived d) {
    if (!Double.isFinite(d.error())) {
      unfit.put(probe, "no error margin");
    } else if (!(d.error() <= MAX_RELATIVE_ERROR * d.value())) {
      unfit.put(probe, String.format(Locale.ROOT, "error ± %.0f%%", 100 * d.error() / d.value()));
    }
  }

  /**
   * Marks the probes that the kernel {@code kernel}, whose weights fit in {@code level} (null when unknown)
   * and which ran at {@code gflops} ± {@code gflopsError} doing {@code flopsPerWeight} flops per weight, beat
   * beyond both margins: such a probe read low (the weights came from that level faster than the probe
   * read it), so its bound is an upper bound on no kernel, not only on that one. A kernel above a bound
   * within the margins loses that bound alone ({@link #of}).
   */
  void measured(String kernel, String level, int flopsPerWeight, double gflops, double gflopsError) {
    double low = gflops - (Double.isFinite(gflopsError) ? gflopsError : 0);
    if (peak != null && unfit(PEAK) == null && low > high(peak)) {
      unfit.put(PEAK, "read low: " + kernel + " ran at " + Format.num(gflops) + " GFLOP/s");
    }
    Report.Derived bw = level == null ? null : bandwidth.get(level);
    if (bw != null && unfit(level) == null && low * BYTES_READ_PER_WEIGHT / flopsPerWeight > high(bw)) {
      unfit.put(level, "read low: " + kernel + " read its weights at "
          + Format.num(gflops * BYTES_READ_PER_WEIGHT / flopsPerWeight) + " GB/s");
    }
  }

  private static double low(Report.Derived d) {
    return d.value() - (Double.isFinite(d.error()) ? d.error() : 0);
  }

  private static double high(Report.Derived d) {
    return d.value() + (Double.isFinite(d.error()) ? d.error() : 0);
  }

  /** Why {@code probe} ({@value #PEAK}, {@code L1} ... {@code DRAM}) bounds no kernel, or null when it does (or is absent). */
  String unfit(String probe) {
    return unfit.get(probe);
  }

  /** Whether the peak FMA rate was measured and bounds the kernels. */
  boolean peakFit() {
    return peak != null && unfit(PEAK) == null;
  }

  /**
   * The ceiling of a kernel that does {@code flopsPerWeight} flops per weight, whose weights fit in
   * {@code level} (null when the machine's caches are unknown), and measured {@code gflops}: the lower
   * of the bounds whose probes are fit, each of which alone is an upper bound; none when no probe is.
   */
  Ceiling of(String level, int flopsPerWeight, double gflops) {
    List<String> why = new ArrayList<>();
    Map<String, Double> bounds = new LinkedHashMap<>(); // the fit ones, each an upper bound on its own
    if (peak != null) {
      if (peakFit()) {
        bounds.put(PEAK, peak.value());
      } else {
        why.add(PEAK + ": " + unfit(PEAK));
      }
    }
    if (level != null) {
      Report.Derived bw = bandwidth.get(level);
      if (bw == null) {
        if (peak != null || !bandwidth.isEmpty()) {
          why.add("no " + level + " probe");
        }
      } else if (unfit(level) != null) {
        why.add(level + ": " + unfit(level));
      } else {
        bounds.put(level, (double) flopsPerWeight / BYTES_READ_PER_WEIGHT * bw.value());
      }
    }
    String source = null;
    for (Map.Entry<String, Double> b : bounds.entrySet()) {
      if (b.getValue() >= gflops) { // one the kernel beat was no bound: its probe read low
        if (source == null || b.getValue() < bounds.get(source)) {
          source = b.getKey();
        }
      } else {
        why.add(b.getKey() + " bound " + Format.num(b.getValue()) + " < measured");
      }
    }
    if (source != null) {
      return new Ceiling(bounds.get(source), source, "");
    }
    return why.isEmpty() ? Ceiling.NONE : new Ceiling(Double.NaN, null, String.join("; ", why));
  }
}
