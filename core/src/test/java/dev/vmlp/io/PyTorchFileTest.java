package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.Model;
import dev.vmlp.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A file written by PyTorch ({@code make_pytorch_fixture.py} beside the resources:
 * {@code nn.Sequential(Linear(64, 32), ReLU(), Linear(32, 10))}, keys renamed to
 * {@code layers.{i}.*}) loads with the activation given and predicts what PyTorch computed; so does the
 * same file under the names PyTorch itself gives ({@code 0.*}, {@code 2.*}).
 */
class PyTorchFileTest {
  static final String FILE = "pytorch-64-32-10.safetensors";

  @TempDir
  Path tmp;

  @Test
  void loadsWithTheActivationGivenAndPredictsWhatPyTorchComputed() throws IOException {
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals("64-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals(InputScaling.none(), m.scaling());
    assertEquals(Map.of("format", "pt"), m.metadata());

    JsonNode expected = TestResources.json("pytorch-64-32-10-expected.json");
    JsonNode inputs = expected.path("inputs");
    assertEquals(8, inputs.size());
    Workspace ws = m.newWorkspace();
    float[] z = new float[10];
    float[] p = new float[10];
    double worstLogit = 0;
    double worstProbability = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = TestResources.floats(inputs.get(i));
      float[] wantZ = TestResources.floats(expected.path("logits").get(i));
      float[] wantP = TestResources.floats(expected.path("probabilities").get(i));
      m.predictLogits(x, 0, z, 0, ws);
      m.predictProbabilities(x, 0, p, 0, ws);
      int best = 0;
      for (int k = 0; k < 10; k++) {
        // float32 sums of up to 64 products in another order: a few ulps of the logits' magnitude
        assertEquals(wantZ[k], z[k], 1e-5 * Math.max(1, Math.abs(wantZ[k])), "row " + i + " logit " + k);
        assertEquals(wantP[k], p[k], 1e-6, "row " + i + " probability " + k);
        worstLogit = Math.max(worstLogit, Math.abs(wantZ[k] - z[k]));
        worstProbability = Math.max(worstProbability, Math.abs(wantP[k] - p[k]));
        best = wantZ[k] > wantZ[best] ? k : best;
      }
      assertEquals(best, m.predict(x, 0, ws), "row " + i);
    }
    // Not bit-equal in general, but close: and not vacuously so (the model is not trivial).
    assertTrue(worstLogit < 1e-5 && worstProbability < 1e-6, worstLogit + " " + worstProbability);
  }

  /** The fixture with its layer tensors renamed: layers.0 and layers.1 to {@code path + i0} and {@code path + i1}. */
  private Path renamed(String path, int i0, int i1, String name) throws IOException {
    return renamed(name, n -> n.replace("layers.0.", path + i0 + ".").replace("layers.1.", path + i1 + "."));
  }

  private Path renamed(String name, UnaryOperator<String> rename) throws IOException {
    byte[] bytes = TestResources.bytes(FILE);
    ObjectNode h = SafetensorsBytes.header(bytes);
    ObjectNode out = SafetensorsBytes.JSON.createObjectNode();
    for (Map.Entry<String, JsonNode> e : h.properties()) {
      out.set(e.getKey().equals("__metadata__") ? e.getKey() : rename.apply(e.getKey()), e.getValue());
    }
    return Files.write(tmp.resolve(name), SafetensorsBytes.file(out, SafetensorsBytes.data(bytes)));
  }

  @Test
  void loadsUnderTheNamesPyTorchGivesTheLayersOfASequential() throws IOException {
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Model reference = ModelFiles.load(TestResources.copy(FILE, tmp), relu);
    // save_file(net.state_dict()) of nn.Sequential(Linear, ReLU, Linear): 0.* and 2.*; of a module
    // whose attribute `layers` is that Sequential: layers.0.* and layers.2.*; deeper paths alike
    for (Path f : new Path[] {renamed("", 0, 2, "bare.safetensors"), renamed("layers.", 0, 2, "attr.safetensors"),
        renamed("model.net_1.", 1, 3, "deep.safetensors"), renamed("", 4, 17, "far.safetensors"),
        // an nn.Sequential nested in another: its children are named by index too
        renamed("1.", 0, 2, "nested.safetensors"), renamed("0.3.", 0, 2, "nested2.safetensors")}) {
      Model m = ModelFiles.load(f, relu);
      assertEquals(reference.architecture(), m.architecture(), f.toString());
      assertEquals(reference.weightsSha256(), m.weightsSha256(), f.toString());
    }
    // the order is the indices', not the names' (as text, "10" sorts before "9")
    Path numeric = renamed("", 9, 10, "numeric.safetensors");
    assertEquals(reference.weightsSha256(), ModelFiles.load(numeric, relu).weightsSha256());
  }

  @Test
  void aForeignFileIsStillOneSequenceOfWholeLayers() throws IOException {
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Path mixed = renamed("mixed.safetensors", n -> n.replace("layers.0.", "0.").replace("layers.1.", "head.2."));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(mixed, relu));
    assertTrue(e.getMessage().contains("module path 'head.' differs from ''"), e.getMessage());
    Path noBias = renamed("nobias.safetensors", n -> n.replace("layers.0.bias", "0.gamma")
        .replace("layers.0.", "0.").replace("layers.1.", "2."));
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(noBias, relu));
    assertEquals("0.gamma", e.field());
    assertTrue(e.getMessage().contains("unknown name"), e.getMessage());
    Path missing = renamed("missing.safetensors", n -> n.replace("layers.0.bias", "7.bias")
        .replace("layers.0.", "0.").replace("layers.1.", "2."));
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(missing, relu));
    assertEquals("0.bias", e.field());
    assertTrue(e.getMessage().contains("tensor '0.bias' is missing"), e.getMessage());
    // a module path is names (identifiers or indices) each followed by one dot, the same for all tensors
    for (String path : new String[] {".", "layers..", "..", "net-1.", "a b.", "model.\u00e9.", "x/y."}) {
      Path odd = renamed("odd.safetensors", n -> n.replace("layers.0.", path + "0.").replace("layers.1.", path + "2."));
      e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(odd, relu), path);
      assertTrue(e.getMessage().contains("unknown name"), e.getMessage());
    }
  }

  /**
   * A module path may hold every letter, the underscore and every digit (the ends of each range
   * included), and an index has up to 9 digits; a tenth is refused.
   */
  @Test
  void aModulePathTakesEveryLetterAndDigitAndAnIndexUpToNineDigits() throws IOException {
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Model reference = ModelFiles.load(TestResources.copy(FILE, tmp), relu);
    for (Path f : new Path[] {renamed("AZaz_09.", 0, 2, "letters.safetensors"),
        renamed("9.0.", 100_000_000, 999_999_999, "nine-digits.safetensors")}) {
      Model m = ModelFiles.load(f, relu);
      assertEquals(reference.architecture(), m.architecture(), f.toString());
      assertEquals(reference.weightsSha256(), m.weightsSha256(), f.toString());
    }
    Path ten = renamed("ten-digits.safetensors", n -> n.replace("layers.0.", "1000000000.").replace("layers.1.", "2."));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(ten, relu));
    assertTrue(e.getMessage().contains("unknown name; a model file holds {i}.weight and {i}.bias, after one module path"),
        e.getMessage());
    for (String path : new String[] {"@.", "[.", "`.", "{.", ":."}) { // the characters next to each range
      Path odd = renamed("odd.safetensors", n -> n.replace("layers.0.", path + "0.").replace("layers.1.", path + "2."));
      e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(odd, relu), path);
      assertTrue(e.getMessage().contains("unknown name"), e.getMessage());
    }
  }

  /**
   * A foreign file of several hidden layers takes one activation per hidden layer, or one for all; another
   * count is refused naming both.
   */
  @Test
  void aForeignFileTakesOneActivationPerHiddenLayer() throws IOException {
    dev.vmlp.Architecture arch = dev.vmlp.Architecture.builder(4).hidden(3, Activation.RELU).hidden(5, Activation.TANH)
        .output(2, Head.SOFTMAX_CROSS_ENTROPY);
    Model m = Model.initialize(arch, 5);
    byte[] bytes = SafetensorsBytes.saved(m, tmp);
    ObjectNode h = SafetensorsBytes.header(bytes);
    h.remove("__metadata__");
    Path foreign = Files.write(tmp.resolve("two-hidden.safetensors"), SafetensorsBytes.file(h, SafetensorsBytes.data(bytes)));
    Model back = ModelFiles.load(foreign, LoadOptions.defaults().withActivations(
        java.util.List.of(Activation.RELU, Activation.TANH)));
    assertEquals(arch, back.architecture());
    assertEquals(m.weightsSha256(), back.weightsSha256());
    assertEquals("4-3(sigmoid)-5(sigmoid)-2(softmax)", ModelFiles.load(foreign,
        LoadOptions.defaults().withActivation(Activation.SIGMOID)).architecture().toString());
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(foreign,
        LoadOptions.defaults().withActivations(java.util.List.of(Activation.RELU, Activation.TANH, Activation.RELU))));
    assertEquals("activations", e.field());
    assertTrue(e.getMessage().contains("the network has 2 hidden layers, but 3 activations were given (relu,tanh,relu)"),
        e.getMessage());
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(foreign));
    assertTrue(e.getMessage().contains("its 2 hidden layers must be given"), e.getMessage());
  }

  /** A header whose {@code __metadata__} is null (the format allows it) is a foreign file with no metadata. */
  @Test
  void aNullMetadataEntryIsNoMetadata() throws IOException {
    byte[] bytes = TestResources.bytes(FILE);
    ObjectNode h = SafetensorsBytes.header(bytes);
    h.putNull("__metadata__");
    Path f = Files.write(tmp.resolve("null-metadata.safetensors"), SafetensorsBytes.file(h, SafetensorsBytes.data(bytes)));
    Model m = ModelFiles.load(f, LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals("64-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals(Map.of(), m.metadata());
  }

  @Test
  void aLongModulePathIsReadWithoutRecursion() throws IOException {
    // 32,000 segments (64,008 characters, under the name limit): a regular expression with a repeated
    // group recursed once per segment and overflowed the stack
    String deep = "a.".repeat(32_000);
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Path f = renamed("deep-path.safetensors", n -> n.replace("layers.0.", deep + "0.").replace("layers.1.", deep + "1."));
    assertEquals("64-32(relu)-10(softmax)", ModelFiles.load(f, relu).architecture().toString());
    Path bad = renamed("deep-bad.safetensors", n -> n.replace("layers.0.", deep + "x.").replace("layers.1.", deep + "1."));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(bad, relu));
    assertTrue(e.getMessage().contains("unknown name"), e.getMessage());
  }

  @Test
  void aFileOfThisLibraryNumbersItsLayersWithoutGaps() throws IOException {
    // vmlp.format_version says the file is this library's, which never skips an index: a gap is a lost layer
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU));
    Path own = tmp.resolve("own.safetensors");
    ModelFiles.save(m, own);
    byte[] bytes = Files.readAllBytes(own);
    ObjectNode h = SafetensorsBytes.header(bytes);
    h.set("layers.2.weight", h.remove("layers.1.weight"));
    h.set("layers.2.bias", h.remove("layers.1.bias"));
    Path gap = Files.write(tmp.resolve("gap.safetensors"), SafetensorsBytes.file(h, SafetensorsBytes.data(bytes)));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(gap));
    assertEquals("layers.1.weight", e.field());
    assertTrue(e.getMessage().contains("layer indices jump from 0 to 2"), e.getMessage());
  }

  @Test
  void withoutTheActivationItIsRefusedNamingWhatIsMissing() throws IOException {
    Path f = TestResources.copy(FILE, tmp);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
    assertEquals("vmlp.activations", e.field());
    assertTrue(e.getMessage().contains("its 1 hidden layer must be given") && e.getMessage().contains("--activation"),
        e.getMessage());
  }

  @Test
  void savedAgainItBecomesAFileOfThisLibraryWithTheSameWeights() throws IOException {
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU)
        .withHead(Head.SOFTMAX_CROSS_ENTROPY));
    Path again = tmp.resolve("again.safetensors");
    ModelFiles.save(m, again);
    Model back = ModelFiles.load(again);
    assertEquals(m.architecture(), back.architecture());
    assertEquals(m.weightsSha256(), back.weightsSha256());
    assertEquals("pt", back.metadata().get("format"));
    assertEquals(m.weightsSha256(), back.metadata().get("weights_sha256"));
  }
}
