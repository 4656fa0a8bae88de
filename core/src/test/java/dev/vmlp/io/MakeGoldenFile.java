package dev.vmlp.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.Model;
import dev.vmlp.Trainer;
import dev.vmlp.data.Digits;
import dev.vmlp.data.TrainTest;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How {@code golden-v1.safetensors} and {@code golden-v1-expected.json} (test resources) were made, with
 * version 0.1.0-SNAPSHOT of this library (format version 1): a 64-32(relu)-10 classifier trained on the bundled digits. Not run by
 * the build.
 *
 * <p><b>Never regenerate these two files.</b> {@link GoldenFileTest} checks that every later version
 * still loads the file that the first format version wrote and predicts what it predicted then. A new
 * format version gets a new golden file beside this one.
 *
 * <p>Usage: {@code java -cp <core classes, test classes, dependencies> dev.vmlp.io.MakeGoldenFile DIR}
 */
final class MakeGoldenFile {
  static final int ROWS = 20;

  private MakeGoldenFile() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    TrainTest digits = Digits.load();
    Architecture arch = Architecture.builder(64).hidden(32, Activation.RELU).output(10, Head.SOFTMAX_CROSS_ENTROPY);
    Model model;
    try (Trainer t = Trainer.builder(arch).scaling(digits.scaling()).seed(5).learningRate(0.02f).build()) {
      model = t.fit(digits.train(), null, 3).model();
    }
    ModelFiles.save(model, dir.resolve("golden-v1.safetensors"));

    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode expected = json.createObjectNode();
    expected.put("architecture", model.architecture().toString());
    expected.put("weights_sha256", model.weightsSha256());
    ArrayNode rows = expected.putArray("rows");
    float[] p = new float[10];
    for (int i = 0; i < ROWS; i++) {
      float[] x = digits.test().row(i);
      model.predictProbabilities(x, p);
      ObjectNode r = rows.addObject();
      ArrayNode in = r.putArray("input");
      for (float v : x) {
        in.add((int) v);
      }
      r.put("class", model.predict(x));
      ArrayNode probs = r.putArray("probabilities");
      for (float v : p) {
        probs.add(v);
      }
    }
    json.writeValue(dir.resolve("golden-v1-expected.json").toFile(), expected);
  }
}
