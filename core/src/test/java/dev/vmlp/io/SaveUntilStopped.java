package dev.vmlp.io;

import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.Model;
import java.nio.file.Path;

/**
 * A JVM that saves a model to {@code args[0]} and, after its first chunk, says {@code writing} and holds
 * the save for {@code args[1]} milliseconds; {@link ModelFilesTest} stops it meanwhile.
 */
final class SaveUntilStopped {
  private SaveUntilStopped() {}

  public static void main(String[] args) throws Exception {
    long holdMillis = Long.parseLong(args[1]);
    Model big = Model.initialize(Architecture.of(784, new int[] {256}, Activation.RELU, 10,
        Head.SOFTMAX_CROSS_ENTROPY), 1);
    boolean[] said = {false};
    ModelFiles.save(big, Path.of(args[0]), written -> {
      if (!said[0]) {
        said[0] = true;
        System.out.println("writing");
        System.out.flush();
        try {
          Thread.sleep(holdMillis);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    });
  }
}
