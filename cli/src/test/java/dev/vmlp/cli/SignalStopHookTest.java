package dev.vmlp.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SignalStop}'s hook in this JVM: whom it interrupts, and when it lets the JVM exit; and where the
 * message says training stopped.
 */
class SignalStopHookTest {
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aSignalDuringTrainingInterruptsTheTrainerAndTheHookReturnsOnceTheSaveIsDone() throws Exception {
    SignalStop stop = SignalStop.install();
    Thread hook = new Thread(stop::onSignal);
    try {
      hook.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (!Thread.currentThread().isInterrupted() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertTrue(Thread.currentThread().isInterrupted(), "the signal interrupts the training thread");
      assertTrue(stop.workEnded(), "the signal asked the run to stop");
      assertFalse(Thread.currentThread().isInterrupted(), "the save that follows runs uninterrupted");
      hook.join(200);
      assertTrue(hook.isAlive(), "the hook waits for the save");
    } finally {
      Thread.interrupted();
      stop.close();
    }
    hook.join(TimeUnit.SECONDS.toMillis(SignalStop.SAVE_WAIT_SECONDS) / 2);
    assertFalse(hook.isAlive(), "the hook returns once the save is done, not after its grace");
  }

  @Test
  void aSignalAfterTrainingDoesNotInterruptTheSave() {
    SignalStop stop = SignalStop.install();
    try {
      assertFalse(stop.workEnded(), "no signal came");
    } finally {
      stop.close(); // the save is done: a hook that runs now returns at once
    }
    stop.onSignal();
    assertFalse(Thread.interrupted(), "a signal after training leaves the thread that saves alone");
  }

  /**
   * vmlp bench's hook: it stops the benchmarks at once and again while they have not ended (a fork that
   * started as the signal came), no more once the command says they have, and returns once the report is
   * written.
   */
  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aRepeatedStopIsMadeUntilTheWorkEndsAndTheHookReturnsOnceTheReportIsWritten() throws Exception {
    java.util.concurrent.atomic.AtomicInteger stops = new java.util.concurrent.atomic.AtomicInteger();
    SignalStop stop = SignalStop.install(stops::incrementAndGet);
    Thread hook = new Thread(stop::onSignal);
    try {
      hook.start();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (stops.get() < 3 && System.nanoTime() < deadline) {
        Thread.sleep(10);
      }
      assertTrue(stops.get() >= 3, "stopped again while the work went on: " + stops.get());
      assertTrue(stop.workEnded(), "the signal asked the work to stop");
      int ended = stops.get();
      Thread.sleep(5 * SignalStop.REPEAT_MILLIS);
      assertEquals(ended, stops.get(), "no stop after the work ended");
      assertTrue(hook.isAlive(), "the hook waits for the report");
    } finally {
      stop.close();
    }
    hook.join(TimeUnit.SECONDS.toMillis(SignalStop.SAVE_WAIT_SECONDS) / 2);
    assertFalse(hook.isAlive(), "the hook returns once the report is written, not after its grace");
  }

  @Test
  void theStopMessageSaysTheEpochAndItsSamplesOrThatItEnded() {
    assertEquals("in epoch 3, after 1,024 of its samples", TrainCommand.stoppedWhere(3, 1024, 1437));
    assertEquals("in epoch 1, after 0 of its samples", TrainCommand.stoppedWhere(1, 0, 1437));
    assertEquals("as epoch 7 ended", TrainCommand.stoppedWhere(7, 1437, 1437));
  }
}
