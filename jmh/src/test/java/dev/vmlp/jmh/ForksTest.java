package dev.vmlp.jmh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The helper that runs a class's {@code main} in a JVM of its own. */
class ForksTest {
  @Test
  void anAnswerIsTheTextAfterTheMark() throws Exception {
    assertEquals("42", Forks.answer(List.of(), Answers.class, 60));
  }

  @Test
  void aForkThatDoesNotExitFailsAtTheTimeout() {
    // the output was read to its end before the wait: a fork that hung kept the test waiting for as long
    // as it ran, whatever the timeout
    long t0 = System.nanoTime();
    AssertionError e = assertThrows(AssertionError.class, () -> Forks.answer(List.of(), Hangs.class, 2));
    double seconds = (System.nanoTime() - t0) * 1e-9;
    assertTrue(e.getMessage().contains("did not exit within 2 s"), e.getMessage());
    assertTrue(e.getMessage().contains(Forks.MARK + "started"), e.getMessage());
    assertTrue(seconds < 20, seconds + " s");
  }

  /** Answers 42. */
  public static final class Answers {
    public static void main(String[] args) {
      System.out.println(Forks.MARK + "42");
    }
  }

  /** Says it started, then sleeps far past the timeout. */
  public static final class Hangs {
    public static void main(String[] args) throws InterruptedException {
      System.out.println(Forks.MARK + "started");
      System.out.flush();
      Thread.sleep(30_000);
    }
  }
}
