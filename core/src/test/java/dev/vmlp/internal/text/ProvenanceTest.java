package dev.vmlp.internal.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** The provenance values' rules at the edges of their number types. */
class ProvenanceTest {
  @Test
  void seedsAndSampleCountsAreRefusedPastALong() {
    assertNull(Provenance.problem(Provenance.SEED, "9223372036854775807"));
    assertNull(Provenance.problem(Provenance.SEED, "-9223372036854775808"));
    assertEquals("'9223372036854775808' is not a 64-bit integer",
        Provenance.problem(Provenance.SEED, "9223372036854775808"));
    assertEquals("'-9223372036854775809' is not a 64-bit integer",
        Provenance.problem(Provenance.SEED, "-9223372036854775809"));
    assertNull(Provenance.problem(Provenance.ONLINE_SAMPLES, "9223372036854775807"));
    assertEquals("'9999999999999999999' is not a count of samples",
        Provenance.problem(Provenance.ONLINE_SAMPLES, "9999999999999999999"));
  }

  @Test
  void anEpochOfOneSampleAndDecimalsOf64CharactersAreTaken() {
    assertNull(Provenance.problem(Provenance.EPOCH_SIZE, "1"), "left to epochProblem, which names both keys");
    assertEquals("'0' is not a positive count of samples", Provenance.problem(Provenance.EPOCH_SIZE, "0"));
    String longest = "0.1" + "0".repeat(61); // 64 characters
    assertNull(Provenance.decimalProblem(longest));
    assertNull(Provenance.problem(Provenance.LEARNING_RATE, longest));
    assertEquals("'" + longest + "5' is not a decimal number", Provenance.decimalProblem(longest + "5"));
  }
}
