package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The numbers on the page and in the summary: three significant digits, switching unit at the boundary. */
class FormatTest {
  @Test
  void numbersKeepThreeSignificantDigitsAtEachBoundary() {
    assertEquals("100", Format.num(100));
    assertEquals("99.9", Format.num(99.9));
    assertEquals("10.0", Format.num(10));
    assertEquals("1.00", Format.num(1));
    assertEquals("0.999", Format.num(0.999));
    assertEquals("1,234", Format.num(1234));
    assertEquals("1234", Format.plain(1234));
  }

  @Test
  void smallNumbersKeepTheirDigits() {
    // an avgt score in s/op (JMH's unit without @OutputTimeUnit) was 0.000 ± 0.000 s/op
    assertEquals("2.42e-06", Format.num(2.415e-6));
    assertEquals("2.42e-06 ± 2.30e-07", Format.pm(2.415e-6, 2.3e-7));
    assertEquals("-5.00e-03", Format.num(-0.005));
    assertEquals("2.00e-06, 4.00e-06", Format.plain(2e-6) + ", " + Format.plain(4e-6));
    assertEquals("0.010", Format.num(0.01));
    assertEquals("0.000", Format.num(0));
  }

  @Test
  void bytesSwitchUnitAtEachPowerOf1024AndWholeGibibytesStayWhole() {
    assertEquals("unknown", Format.bytes(0));
    assertEquals("1023 B", Format.bytes(1023));
    assertEquals("1.00 KiB", Format.bytes(1 << 10));
    assertEquals("1.00 MiB", Format.bytes(1 << 20));
    assertEquals("1 GiB", Format.bytes(1L << 30));
    assertEquals("16 GiB", Format.bytes(16L << 30)); // a machine's memory
    assertEquals("1,536 MiB", Format.bytes(3L << 29)); // not a whole number of GiB
  }

  @Test
  void anUnknownNumberIsADash() {
    assertEquals("-", Format.num(Double.NaN)); // an allocation without -prof gc
    assertEquals("5.00", Format.pm(5, Double.NaN));
  }

  @Test
  void timesSwitchUnitAtAThousand() {
    assertEquals("999 ns", Format.time(999));
    assertEquals("1.00 µs", Format.time(1e3));
    assertEquals("1.00 ms", Format.time(1e6));
    assertEquals("-", Format.time(Double.NaN));
  }

  @Test
  void percentileKeysLoseOnlyATrailingPointZero() {
    assertEquals("50", Format.percentile("50.0"));
    assertEquals("99.9", Format.percentile("99.9"));
    assertEquals("100", Format.percentile("100.0"));
  }
}
