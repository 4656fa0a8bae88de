package dev.vmlp.data;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import java.util.Objects;

/**
 * A training set, a test set, and the input scaling that suits the data's raw units (for example
 * bytes to [0, 1]).
 */
public record TrainTest(Dataset train, Dataset test, InputScaling scaling) {
  public TrainTest {
    Objects.requireNonNull(train, "train");
    Objects.requireNonNull(test, "test");
    Objects.requireNonNull(scaling, "scaling");
  }
}
