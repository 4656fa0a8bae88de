package dev.vmlp.cli.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.Paint;
import java.awt.Rectangle;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.StandardChartTheme;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.labels.ItemLabelAnchor;
import org.jfree.chart.labels.ItemLabelPosition;
import org.jfree.chart.labels.StandardCategoryItemLabelGenerator;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextBlock;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;
import org.jfree.svg.ViewBox;

/**
 * The report's charts, drawn by JFreeChart into SVG (JFreeSVG) to be inlined in the page: no script,
 * nothing fetched when the page is viewed. With two runs (a comparison), every series appears twice,
 * the baseline in a lighter shade of the current run's colour.
 */
public final class Charts {
  static final int WIDTH = 680;
  static final int HEIGHT = 400;
  private static final Color[] PALETTE = {
    new Color(0x4E79A7), new Color(0xF28E2B), new Color(0x59A14F), new Color(0xB07AA1), new Color(0x76B7B2),
    new Color(0xEDC948), new Color(0xE15759), new Color(0x9C755F), new Color(0xFF9DA7), new Color(0x6B6B6B),
  };
  private static final Color CEILING = new Color(0xBAB0AC);
  private static final Color MARKER = new Color(0xC0392B);
  private static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 17);
  private static final Font SUBTITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font AXIS = new Font(Font.SANS_SERIF, Font.PLAIN, 14);
  private static final Font TICKS = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font LABELS = new Font(Font.SANS_SERIF, Font.PLAIN, 11);

  /** A chart as an inline SVG element. */
  public record Chart(String title, String svg) {}

  private Charts() {}

  /** Display names of the kernels, short enough for the category axis. */
  static final Map<String, String> KERNEL_NAMES = Map.of(
      "forwardInputMajor", "forward (input-major)",
      "forwardOutputMajor", "forward (output-major)",
      "rank1InputMajor", "rank-1 update",
      "updateForwardFused", "update + forward (fused)",
      "transposedUpdate", "transposed + update",
      "softmax", "softmax head");

  static String kernelName(String k) {
    return KERNEL_NAMES.getOrDefault(k, k);
  }

  /** The most characters a category, a series or a marker shows in a chart; its title shows twice as many. */
  static final int LABEL_MAX = 40;

  /**
   * {@code s} as a chart draws it: each control character but the tab written as a Java escape (a
   * backslash, {@code u} and four hex digits), as the page's text and the Markdown write it ({@link
   * ReportPage#shown}), and cut to {@code max} characters, the last an ellipsis, so that a long JMH
   * parameter (a 300-character value) does not take the chart's room from its plot; the tables give the
   * whole text. A cut never splits a character outside the BMP.
   */
  static String label(String s, int max) {
    s = ReportPage.shown(s);
    if (s.codePointCount(0, s.length()) <= max) {
      return s;
    }
    return s.substring(0, s.offsetByCodePoints(0, max - 1)) + "…";
  }

  static String label(Object s) {
    return label(String.valueOf(s), LABEL_MAX);
  }

  // ---- the sections' charts

  /** Read bandwidth per level, with the peak FMA rate as the subtitle. */
  static List<Chart> machine(List<Report> runs) {
    Bars b = new Bars("Read bandwidth of one core", "buffer (fits in)", "GB/s");
    StringBuilder sub = new StringBuilder();
    for (Report r : runs) {
      r.bandwidth().forEach((level, d) -> b.add(r, "read bandwidth", levelLabel(r, level), d.value(), d.error()));
      Report.Derived peak = r.fmaPeak();
      if (peak != null) {
        sub.append(sub.isEmpty() ? "" : "; ").append(runs.size() > 1 ? r.label() + ": " : "")
            .append(String.format(Locale.ROOT, "peak FMA %.1f GFLOP/s", peak.value()));
      }
    }
    b.subtitle = sub.toString();
    return b.isEmpty() ? List.of() : List.of(b.render());
  }

  private static String levelLabel(Report r, String level) {
    Long bytes = r.machine() != null && r.machine().probeBuffers() != null ? r.machine().probeBuffers().get(level) : null;
    return bytes == null ? level : level + " (" + Format.bytes(bytes) + ")";
  }

  /** GFLOP/s per kernel at each shape: scalar, vector and the machine's ceiling for that kernel. */
  static List<Chart> kernels(List<Report> runs) {
    Map<String, Bars> byShape = new LinkedHashMap<>();
    for (Report r : runs) {
      for (Report.KernelRow k : r.kernels()) {
        Bars b = byShape.computeIfAbsent(k.shape(),
            s -> new Bars("Kernels at " + label(s) + " (IN x OUT)", null, "GFLOP/s"));
        b.add(r, k.impl(), kernelName(k.kernel()), k.gflops(), k.gflopsError());
        if (!Double.isNaN(k.ceiling()) && k.impl().equals("vector")) {
          b.addCeiling(r, "ceiling (read bandwidth or peak FMA)", kernelName(k.kernel()), k.ceiling());
        }
      }
    }
    for (Report r : runs) {
      Report.Derived peak = r.fmaPeak();
      if (r.ceilings().peakFit()) { // a noisy probe's line would be read as a bound
        for (Bars b : byShape.values()) {
          b.marker(peak.value(), "peak FMA" + (runs.size() > 1 ? " (" + r.label() + ")" : ""));
        }
      }
    }
    return byShape.values().stream().map(Bars::render).toList();
  }

  /** Vector over scalar speed-up per kernel, one bar per shape. */
  static List<Chart> speedups(List<Report> runs) {
    Bars b = new Bars("Vector over scalar speed-up", null, "speed-up (x)");
    b.labelSuffix = "x";
    for (Report r : runs) {
      for (Report.Speedup s : r.speedups()) {
        b.add(r, s.shape(), kernelName(s.kernel()), s.speedup(), Double.NaN);
      }
    }
    b.marker(1, "break-even");
    return b.isEmpty() ? List.of() : List.of(b.render());
  }

  /** Training samples/s per network, one bar per implementation and input path. */
  static List<Chart> training(List<Report> runs) {
    Bars b = new Bars("Training throughput (per-sample SGD, one thread)", "network", "samples/s");
    for (Report r : runs) {
      for (Report.TrainRow t : r.training()) {
        b.add(r, t.variant(), t.net(), t.samplesPerSecond(), t.samplesPerSecondError());
      }
    }
    return b.isEmpty() ? List.of() : List.of(b.render());
  }

  /** Speed-up against thread count per network and path, with the ideal line. */
  static List<Chart> scaling(List<Report> runs) {
    JFreeChart chart = scalingChart(runs);
    return chart == null ? List.of() : List.of(new Chart("Thread scaling of the trainer", svg(chart)));
  }

  /** The thread-scaling chart, or null when the runs have no thread-scaling results. */
  static JFreeChart scalingChart(List<Report> runs) {
    XYSeriesCollection data = new XYSeriesCollection();
    List<Paint> paints = new ArrayList<>();
    List<String> names = new ArrayList<>();
    int maxThreads = 1;
    double maxSpeedup = 0;
    Map<String, Integer> colour = new LinkedHashMap<>();
    for (Report r : runs) {
      Map<String, XYSeries> series = new LinkedHashMap<>();
      for (Report.ScalingRow s : r.scaling()) {
        String base = s.curve();
        String name = runs.size() > 1 ? base + " · " + r.label() : base;
        // duplicates allowed: a file may hold the same result twice (two runs' arrays joined)
        XYSeries xy = series.computeIfAbsent(name, n -> new XYSeries(n, true, true));
        xy.add(s.threads(), s.speedup());
        maxThreads = Math.max(maxThreads, s.threads());
        if (Double.isFinite(s.speedup())) {
          maxSpeedup = Math.max(maxSpeedup, s.speedup());
        }
        if (!names.contains(name)) {
          names.add(name);
          int c = colour.computeIfAbsent(base, k -> colour.size());
          paints.add(shade(PALETTE[c % PALETTE.length], runs, r));
        }
      }
      series.values().forEach(data::addSeries);
    }
    if (data.getSeriesCount() == 0) {
      return null;
    }
    XYSeries ideal = new XYSeries("ideal (speed-up = threads)");
    ideal.add(1, 1);
    ideal.add(Math.max(2, maxThreads), Math.max(2, maxThreads));
    data.addSeries(ideal);
    JFreeChart chart = org.jfree.chart.ChartFactory.createXYLineChart("Thread scaling of the trainer", "threads",
        "speed-up over 1 thread", data, PlotOrientation.VERTICAL, true, false, false);
    style(chart);
    XYPlot plot = chart.getXYPlot();
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
    renderer.setLegendItemLabelGenerator((d, series) -> label(d.getSeriesKey(series)));
    for (int i = 0; i < paints.size(); i++) {
      renderer.setSeriesPaint(i, paints.get(i));
      renderer.setSeriesStroke(i, new BasicStroke(2.5f));
    }
    int idealIndex = data.getSeriesCount() - 1;
    renderer.setSeriesPaint(idealIndex, Color.GRAY);
    renderer.setSeriesShapesVisible(idealIndex, false);
    renderer.setSeriesStroke(idealIndex, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 5f}, 0f));
    plot.setRenderer(renderer);
    NumberAxis x = (NumberAxis) plot.getDomainAxis();
    x.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    x.setRange(0.8, Math.max(2, maxThreads) + 0.2);
    NumberAxis y = (NumberAxis) plot.getRangeAxis();
    // a speed-up beyond the ideal (each thread's share of the weights fits a cache the whole did not) stays on it
    y.setRange(0, Math.max(Math.max(2, maxThreads), maxSpeedup) + 0.2);
    styleAxes(plot.getDomainAxis(), plot.getRangeAxis());
    return chart;
  }

  /** Single-row predict latency percentiles, µs, one bar per network. */
  static List<Chart> latency(List<Report> runs) {
    Bars b = new Bars("Single-row predict latency", "percentile", "µs");
    for (Report r : runs) {
      for (Report.PredictRow p : r.predict()) {
        p.percentiles().forEach((k, v) -> b.add(r, p.net(), "p" + Format.percentile(k), v / 1e3, Double.NaN));
      }
    }
    return b.isEmpty() ? List.of() : List.of(b.render());
  }

  /** The peers' kernels beside vmlp's vector kernel for the same work at the same shape ({@link PeerComparison}). */
  static List<Chart> peerKernels(List<Report> runs) {
    Map<String, Bars> byShape = new LinkedHashMap<>();
    for (Report r : runs) {
      for (PeerComparison.Bar p : PeerComparison.bars(r)) {
        byShape.computeIfAbsent(p.shape(), s -> new Bars("Peers' kernels at " + label(s), "operation", "GFLOP/s"))
            .add(r, p.variant(), p.op(), p.gflops(), p.error());
      }
    }
    byShape.values().forEach(b -> b.subtitle = PeerComparison.SUBTITLE);
    return byShape.values().stream().map(Bars::render).toList();
  }

  /** The peers' SGD step beside vmlp's, samples/s. */
  static List<Chart> peerTraining(List<Report> runs) {
    Bars b = new Bars("Training throughput against peers", "network", "samples/s");
    Set<String> nets = new LinkedHashSet<>();
    for (Report r : runs) {
      r.peerTraining().forEach(p -> nets.add(p.net()));
    }
    for (Report r : runs) {
      for (Report.TrainRow t : r.training()) {
        if (nets.contains(t.net()) && t.impl().equals("vector")) {
          b.add(r, "vmlp " + t.variant(), t.net(), t.samplesPerSecond(), t.samplesPerSecondError());
        }
      }
      for (Report.TrainRow p : r.peerTraining()) {
        b.add(r, p.variant(), p.net(), p.samplesPerSecond(), p.samplesPerSecondError());
      }
    }
    return nets.isEmpty() ? List.of() : List.of(b.render());
  }

  // ---- drawing

  /** A bar chart being put together: series by category, with optional error margins and marker lines. */
  static final class Bars {
    final String title;
    final String categoryAxis;
    final String valueAxis;
    String subtitle = "";
    String labelSuffix = "";
    final List<Object[]> items = new ArrayList<>();
    final List<Object[]> markers = new ArrayList<>();
    final Map<String, Color> colours = new LinkedHashMap<>();
    final Set<String> ceilings = new LinkedHashSet<>();

    Bars(String title, String categoryAxis, String valueAxis) {
      this.title = title;
      this.categoryAxis = categoryAxis;
      this.valueAxis = valueAxis;
    }

    boolean isEmpty() {
      return items.isEmpty();
    }

    void add(Report run, String series, String category, double value, double error) {
      items.add(new Object[] {run, series, category, value, error, false});
    }

    void addCeiling(Report run, String series, String category, double value) {
      ceilings.add(series);
      items.add(new Object[] {run, series, category, value, Double.NaN, true});
    }

    void marker(double value, String label) {
      markers.add(new Object[] {value, label});
    }

    /**
     * The tallest finite bar or marker: one NaN would make the axis range NaN and flatten the chart.
     * Error bars beyond the tallest bar are cut, not allowed to squash the bars.
     */
    double top() {
      double max = 0;
      for (Object[] i : items) {
        if (Double.isFinite((double) i[3])) {
          max = Math.max(max, (double) i[3]);
        }
      }
      for (Object[] m : markers) {
        if (Double.isFinite((double) m[0])) {
          max = Math.max(max, (double) m[0]);
        }
      }
      return max;
    }

    Chart render() {
      return new Chart(title, svg(chart()));
    }

    /** The chart as JFreeChart draws it. */
    JFreeChart chart() {
      List<Report> runs = new ArrayList<>();
      for (Object[] i : items) {
        if (!runs.contains((Report) i[0])) {
          runs.add((Report) i[0]);
        }
      }
      DefaultStatisticalCategoryDataset data = new DefaultStatisticalCategoryDataset();
      Map<String, Paint> paints = new LinkedHashMap<>();
      Map<String, Integer> baseColour = new LinkedHashMap<>();
      boolean errors = false;
      double max = top();
      // Series in order of first appearance, each run's beside the other's.
      List<String> order = new ArrayList<>();
      for (Object[] i : items) {
        if (!order.contains((String) i[1])) {
          order.add((String) i[1]);
        }
      }
      for (String base : order) {
        for (Report run : runs) {
          for (Object[] i : items) {
            if (i[0] != run || !i[1].equals(base)) {
              continue;
            }
            String series = runs.size() > 1 ? base + " · " + run.label() : base;
            double v = (double) i[3];
            double e = (double) i[4];
            if (Double.isFinite(v)) {
              data.add(v, Double.isFinite(e) ? e : 0, series, (String) i[2]);
              errors |= Double.isFinite(e) && e > 0;
            } else {
              data.add(null, null, series, (String) i[2]); // no bar, but the series and category keep their place
            }
            if (!paints.containsKey(series)) {
              Color c = (boolean) i[5] ? CEILING
                  : PALETTE[baseColour.computeIfAbsent(base, k -> baseColour.size()) % PALETTE.length];
              paints.put(series, shade(c, runs, run));
            }
          }
        }
      }
      JFreeChart chart = org.jfree.chart.ChartFactory.createBarChart(label(title, 2 * LABEL_MAX), categoryAxis,
          valueAxis, data, PlotOrientation.VERTICAL, true, false, false);
      chart.getCategoryPlot().setDomainAxis(new CategoryAxis(categoryAxis) {
        @Override
        @SuppressWarnings("rawtypes") // JFreeChart's signature
        protected TextBlock createLabel(Comparable category, float width, RectangleEdge edge, Graphics2D g2) {
          return super.createLabel(label(category), width, edge, g2); // the category keeps its whole name as key
        }
      });
      style(chart);
      if (!subtitle.isEmpty()) {
        TextTitle t = new TextTitle(ReportPage.shown(subtitle), SUBTITLE);
        t.setPaint(Color.DARK_GRAY);
        chart.addSubtitle(0, t);
      }
      CategoryPlot plot = chart.getCategoryPlot();
      BarRenderer renderer = errors ? new StatisticalBarRenderer() : new BarRenderer();
      if (renderer instanceof StatisticalBarRenderer s) {
        s.setErrorIndicatorPaint(Color.BLACK);
      }
      renderer.setBarPainter(new StandardBarPainter());
      renderer.setShadowVisible(false);
      renderer.setDrawBarOutline(false);
      renderer.setItemMargin(0.04);
      renderer.setMaximumBarWidth(0.12);
      // the series and categories keep their whole names as keys: two cut alike stay two
      renderer.setLegendItemLabelGenerator((d, series) -> label(d.getRowKey(series)));
      int s = 0;
      for (Paint p : paints.values()) {
        renderer.setSeriesPaint(s++, p);
      }
      if (data.getRowCount() * data.getColumnCount() <= 24) {
        renderer.setDefaultItemLabelGenerator(new StandardCategoryItemLabelGenerator("{2}", numberFormat(max, labelSuffix)));
        renderer.setDefaultItemLabelsVisible(true);
        renderer.setDefaultItemLabelFont(LABELS);
        renderer.setDefaultPositiveItemLabelPosition(
            new ItemLabelPosition(ItemLabelAnchor.OUTSIDE12, TextAnchor.BOTTOM_CENTER));
      }
      plot.setRenderer(renderer);
      NumberAxis y = (NumberAxis) plot.getRangeAxis();
      y.setRange(0, max > 0 ? max * 1.2 : 1);
      for (Object[] m : markers) {
        if (!Double.isFinite((double) m[0])) {
          continue;
        }
        ValueMarker vm = new ValueMarker((double) m[0], MARKER, new BasicStroke(1.5f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        vm.setLabel(label(m[1]) + " " + numberFormat(max, labelSuffix).format((double) m[0]));
        vm.setLabelFont(LABELS);
        vm.setLabelPaint(MARKER);
        vm.setLabelAnchor(RectangleAnchor.TOP_RIGHT);
        vm.setLabelTextAnchor(TextAnchor.BOTTOM_RIGHT);
        plot.addRangeMarker(vm);
      }
      CategoryAxis x = plot.getDomainAxis();
      x.setMaximumCategoryLabelLines(3);
      x.setMaximumCategoryLabelWidthRatio(1.0f);
      x.setCategoryMargin(0.18);
      styleAxes(x, y);
      return chart;
    }
  }

  /** The baseline's colour is a lighter shade of the current run's. */
  private static Color shade(Color c, List<Report> runs, Report run) {
    if (runs.size() < 2 || runs.indexOf(run) == runs.size() - 1) {
      return c;
    }
    return new Color((c.getRed() + 2 * 255) / 3, (c.getGreen() + 2 * 255) / 3, (c.getBlue() + 2 * 255) / 3);
  }

  private static DecimalFormat numberFormat(double max, String suffix) {
    String pattern = max >= 100 ? "#,##0" : max >= 10 ? "0.0" : "0.00";
    DecimalFormat f = new DecimalFormat(pattern + (suffix.isEmpty() ? "" : "'" + suffix + "'"),
        DecimalFormatSymbols.getInstance(Locale.ROOT));
    return f;
  }

  private static void style(JFreeChart chart) {
    StandardChartTheme theme = (StandardChartTheme) StandardChartTheme.createJFreeTheme();
    theme.setExtraLargeFont(TITLE);
    theme.setLargeFont(AXIS);
    theme.setRegularFont(TICKS);
    theme.setSmallFont(LABELS);
    theme.apply(chart);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setAntiAlias(true);
    chart.getTitle().setFont(TITLE);
    chart.setPadding(new RectangleInsets(6, 6, 6, 12));
    LegendTitle legend = chart.getLegend();
    if (legend != null) {
      legend.setItemFont(TICKS);
      legend.setPosition(RectangleEdge.BOTTOM);
      legend.setFrame(org.jfree.chart.block.BlockBorder.NONE);
    }
    var plot = chart.getPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlineVisible(false);
    if (plot instanceof CategoryPlot c) {
      c.setRangeGridlinePaint(new Color(0xDDDDDD));
      c.setRangeGridlineStroke(new BasicStroke(1f));
    } else if (plot instanceof XYPlot xy) {
      xy.setRangeGridlinePaint(new Color(0xDDDDDD));
      xy.setDomainGridlinePaint(new Color(0xDDDDDD));
      xy.setRangeGridlineStroke(new BasicStroke(1f));
      xy.setDomainGridlineStroke(new BasicStroke(1f));
    }
  }

  private static void styleAxes(org.jfree.chart.axis.Axis x, org.jfree.chart.axis.Axis y) {
    for (var a : List.of(x, y)) {
      a.setLabelFont(AXIS);
      a.setTickLabelFont(TICKS);
      a.setTickLabelPaint(Color.BLACK);
      a.setLabelPaint(Color.BLACK);
    }
  }

  private static int ids;

  /** The chart as an SVG element that scales with the page (ids unique within the page). */
  static synchronized String svg(JFreeChart chart) {
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    g.setDefsKeyPrefix("c" + (ids++) + "-");
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGElement(null, false, new ViewBox(0, 0, WIDTH, HEIGHT), null, null);
  }
}
