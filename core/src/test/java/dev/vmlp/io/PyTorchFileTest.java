package dev.vmlp.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vmlp.Activation;
import dev.vmlp.Architecture;
import dev.vmlp.Head;
import dev.vmlp.InputScaling;
import dev.vmlp.LayerWeights;
import dev.vmlp.Model;
import dev.vmlp.Trainer;
import dev.vmlp.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
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
    // 0 lacks its bias, as nn.Linear(bias=False) saves it; 7 has a bias and no weight
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(missing, relu));
    assertEquals("7.weight", e.field());
    assertTrue(e.getMessage().contains("tensor '7.weight' is missing"), e.getMessage());
    // a module path is names (identifiers or indices) each followed by one dot, the same for all tensors
    for (String path : new String[] {".", "layers..", "..", "net-1.", "a b.", "model.\u00e9.", "x/y."}) {
      Path odd = renamed("odd.safetensors", n -> n.replace("layers.0.", path + "0.").replace("layers.1.", path + "2."));
      e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(odd, relu), path);
      assertTrue(e.getMessage().contains("unknown name"), e.getMessage());
    }
    // a layer's last name that starts with a digit is an index, all digits (no Python attribute starts so);
    // else it is an identifier; and it is never empty
    for (String last : new String[] {"0a", "1_", "2e3", "1-2", "fc-1", "fc 1", "f\u00e9", "fc/1", ""}) {
      Path odd = renamed("odd.safetensors", n -> n.replace("layers.0.", last + ".").replace("layers.1.", "9."));
      e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(odd, relu), last);
      assertTrue(e.field().startsWith(last + "."), e.field());
      assertTrue(e.getMessage().contains("tensor '" + e.field() + "': unknown name"), e.getMessage());
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
    assertTrue(e.getMessage().contains("unknown name; a model file holds {i}.weight (and {i}.bias), after one module path"),
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
    Path bad = renamed("deep-bad.safetensors", n -> n.replace("layers.0.", deep + "0x.").replace("layers.1.", deep + "1."));
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

  /**
   * F16 and BF16 tensors, as {@code save_file} writes a model after {@code .half()} or
   * {@code .bfloat16()}, widen to the floats of the same values, alone or mixed with F32: bit patterns
   * whose values numpy's float16 and a float's upper half give (the smallest subnormals, -0, the
   * largest finite values). Saved again, the model is an F32 file with the same weights.
   */
  @Test
  void halfPrecisionTensorsLoadAsTheFloatsOfTheSameValues() throws IOException {
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    t.put("0.weight", new SafetensorsBytes.Raw("F16", new long[] {3, 2},
        SafetensorsBytes.halves((short) 0x3C00, (short) 0xC000, (short) 0x7BFF, (short) 0x0001, (short) 0x8000,
            (short) 0x3555)));
    t.put("0.bias", new SafetensorsBytes.Raw("BF16", new long[] {3},
        SafetensorsBytes.halves((short) 0x3F80, (short) 0xC040, (short) 0x0400)));
    t.put("2.weight", new SafetensorsBytes.Raw("BF16", new long[] {2, 3},
        SafetensorsBytes.halves((short) 0x7F7F, (short) 0x0001, (short) 0x8000, (short) 0x3EAB, (short) 0xBF80,
            (short) 0x4000)));
    t.put("2.bias", new SafetensorsBytes.Raw("F16", new long[] {2},
        SafetensorsBytes.halves((short) 0x0400, (short) 0xB800)));
    Path half = Files.write(tmp.resolve("half.safetensors"), SafetensorsBytes.file(Map.of("format", "pt"), t));
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Model m = ModelFiles.load(half, relu);
    assertEquals("2-3(relu)-2(softmax)", m.architecture().toString());
    float[][] want = {
        {1f, -2f, 65504f, 0x1p-24f, -0f, 0.333251953125f},
        {1f, -3f, Float.intBitsToFloat(0x04000000)},
        {Float.intBitsToFloat(0x7F7F0000), Float.intBitsToFloat(0x00010000), -0f, 0.333984375f, -1f, 2f},
        {0x1p-14f, -0.5f}};
    float[][] got = {m.weights().get(0).weights(), m.weights().get(0).bias(), m.weights().get(1).weights(),
        m.weights().get(1).bias()};
    for (int k = 0; k < want.length; k++) {
      assertEquals(want[k].length, got[k].length);
      for (int i = 0; i < want[k].length; i++) {
        assertEquals(Float.floatToRawIntBits(want[k][i]), Float.floatToRawIntBits(got[k][i]),
            "tensor " + k + " value " + i + ": " + want[k][i] + " != " + got[k][i]);
      }
    }
    Model same = Model.of(m.architecture(), List.of(new LayerWeights(3, 2, want[0], want[1]),
        new LayerWeights(2, 3, want[2], want[3])), InputScaling.none());
    assertEquals(same.weightsSha256(), m.weightsSha256());

    Path again = tmp.resolve("again.safetensors");
    ModelFiles.save(m, again);
    ObjectNode h = SafetensorsBytes.header(Files.readAllBytes(again));
    for (String name : new String[] {"layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"}) {
      assertEquals("F32", h.path(name).path("dtype").asText(), name);
    }
    assertEquals(m.weightsSha256(), ModelFiles.load(again).weightsSha256());
  }

  /** A half-precision infinity or NaN is refused by name, as a float one is, unless the caller keeps it. */
  @Test
  void aHalfPrecisionInfinityOrNaNIsRefusedUnlessAllowed() throws IOException {
    for (String dtype : new String[] {"F16", "BF16"}) {
      short inf = (short) (dtype.equals("F16") ? 0xFC00 : 0xFF80);
      short nan = (short) (dtype.equals("F16") ? 0x7E00 : 0x7FC1);
      Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
      t.put("0.weight", new SafetensorsBytes.Raw(dtype, new long[] {2, 2},
          SafetensorsBytes.halves((short) 0, (short) 0, (short) 0, inf)));
      t.put("0.bias", new SafetensorsBytes.Raw(dtype, new long[] {2}, SafetensorsBytes.halves(nan, (short) 0)));
      Path f = Files.write(tmp.resolve(dtype + "-inf.safetensors"), SafetensorsBytes.file(null, t));
      ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.load(f));
      assertEquals("0.weight", e.field());
      assertTrue(e.getMessage().contains("value [1, 1] is -Infinity"), e.getMessage());
      Model kept = ModelFiles.load(f, LoadOptions.defaults().withAllowNonFinite(true));
      assertEquals(Float.NEGATIVE_INFINITY, kept.weights().get(0).weights()[3]);
      assertTrue(Float.isNaN(kept.weights().get(0).bias()[0]));
    }
  }

  /**
   * {@code nn.Linear(bias=False)} saves a weight and no bias: that layer adds zeros, and the model predicts
   * the bits of one whose bias is zero. A file of this library still needs every bias.
   */
  @Test
  void aLayerWithoutABiasAddsZeros() throws IOException {
    Model reference = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU));
    LayerWeights l0 = reference.weights().get(0);
    LayerWeights l1 = reference.weights().get(1);
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    t.put("0.weight", SafetensorsBytes.Raw.f32(new long[] {32, 64}, l0.weights()));
    t.put("0.bias", SafetensorsBytes.Raw.f32(new long[] {32}, l0.bias()));
    t.put("2.weight", SafetensorsBytes.Raw.f32(new long[] {10, 32}, l1.weights()));
    Path f = Files.write(tmp.resolve("no-bias.safetensors"), SafetensorsBytes.file(Map.of(), t));
    Model m = ModelFiles.load(f, LoadOptions.defaults().withActivation(Activation.RELU));
    Model zeroBias = Model.of(reference.architecture(), List.of(l0, new LayerWeights(10, 32, l1.weights(),
        new float[10])), InputScaling.none());
    assertEquals(zeroBias.weightsSha256(), m.weightsSha256());
    JsonNode inputs = TestResources.json("pytorch-64-32-10-expected.json").path("inputs");
    float[] z = new float[10];
    float[] want = new float[10];
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = TestResources.floats(inputs.get(i));
      m.predictLogits(x, 0, z, 0, m.newWorkspace());
      zeroBias.predictLogits(x, 0, want, 0, zeroBias.newWorkspace());
      assertArrayEquals(want, z, "row " + i);
    }
    // the first layer without its bias too, in F16
    Map<String, SafetensorsBytes.Raw> both = new LinkedHashMap<>();
    both.put("layers.1.weight", new SafetensorsBytes.Raw("F16", new long[] {1, 2},
        SafetensorsBytes.halves((short) 0x3C00, (short) 0x3C00)));
    both.put("layers.0.weight", SafetensorsBytes.Raw.f32(new long[] {2, 1}, 1f, -1f));
    Model tiny = ModelFiles.load(Files.write(tmp.resolve("tiny.safetensors"), SafetensorsBytes.file(null, both)),
        LoadOptions.defaults().withActivation(Activation.RELU).withHead(Head.SQUARED_ERROR));
    assertEquals("1-2(relu)-1(squared_error)", tiny.architecture().toString());
    float[] out = new float[1];
    tiny.predictLogits(new float[] {3f}, 0, out, 0, tiny.newWorkspace());
    assertEquals(3f, out[0]); // relu(3) + relu(-3), no bias

    byte[] own = SafetensorsBytes.saved(reference, tmp);
    ObjectNode h = SafetensorsBytes.header(own);
    assertEquals(h.path("layers.1.bias").path("data_offsets").get(1).asLong(), SafetensorsBytes.data(own).length);
    h.remove("layers.1.bias"); // the last tensor: the data without its 40 bytes still tile
    byte[] data = SafetensorsBytes.data(own);
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(
        SafetensorsBytes.file(h, java.util.Arrays.copyOf(data, data.length - 40)), null, LoadOptions.defaults()));
    assertEquals("layers.1.bias", e.field());
    assertTrue(e.getMessage().contains("tensor 'layers.1.bias' is missing"), e.getMessage());
  }

  /**
   * Without biases, the tensors a header may hold make twice the layers a network may have: a file of
   * more is refused as a format error naming the first layer too many, not by the network's builder.
   */
  @Test
  void weightsWithoutBiasesAreStillAtMostTheLayersANetworkMayHave() throws IOException {
    int max = dev.vmlp.Architecture.MAX_LAYERS;
    for (int layers : new int[] {max, max + 1}) {
      Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
      for (int l = 0; l < layers; l++) {
        t.put(l + ".weight", SafetensorsBytes.Raw.f32(new long[] {2, 2}, 1, 0, 0, 1));
      }
      byte[] bytes = SafetensorsBytes.file(null, t);
      LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
      if (layers == max) {
        assertEquals(max, ModelFiles.read(bytes, null, relu).architecture().layerCount());
      } else {
        ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(bytes, null, relu));
        assertEquals(max + ".weight", e.field());
        assertTrue(e.getMessage().contains("tensor '" + max + ".weight': the file holds " + layers
            + " layers, but a network has at most " + max), e.getMessage());
      }
    }
    // so are named layers: refused for their count, before their shapes (here all alike) are compared
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    for (int l = 0; l <= max; l++) {
      t.put(String.format("fc%04d.weight", l), SafetensorsBytes.Raw.f32(new long[] {1, 1}, 1));
    }
    byte[] bytes = SafetensorsBytes.file(null, t);
    ModelFormatException e = assertThrows(ModelFormatException.class,
        () -> ModelFiles.read(bytes, null, LoadOptions.defaults().withActivation(Activation.RELU)));
    assertEquals(String.format("fc%04d.weight", max), e.field(), e.getMessage());
    assertTrue(e.getMessage().contains("the file holds " + (max + 1) + " layers, but a network has at most " + max),
        e.getMessage());
  }

  /**
   * A module of named layers ({@code self.fc1 = nn.Linear(...)}) saves {@code fc1.weight}, ... in no
   * order the names give: its layers load in the one order their shapes allow, whatever the names and
   * their order in the file, a square layer included.
   */
  @Test
  void namedModulesLoadInTheOrderTheirShapesGive() throws IOException {
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Model reference = ModelFiles.load(TestResources.copy(FILE, tmp), relu);
    for (String[] names : new String[][] {{"fc1.", "fc2."}, {"net.z_in.", "net.a_out."}, {"model.l1.", "model.L0."}}) {
      Path f = renamed(names[0] + names[1], n -> n.replace("layers.0.", names[0]).replace("layers.1.", names[1]));
      Model m = ModelFiles.load(f, relu);
      assertEquals(reference.architecture(), m.architecture(), names[0]);
      assertEquals(reference.weightsSha256(), m.weightsSha256(), names[0]);
    }
    // 6-5-5-4-3: a square layer, the file listing the layers backwards, one without its bias
    Architecture arch = Architecture.builder(6).hidden(5, Activation.RELU).hidden(5, Activation.RELU)
        .hidden(4, Activation.RELU).output(3, Head.SOFTMAX_CROSS_ENTROPY);
    Model net = Model.initialize(arch, 11);
    String[] names = {"input", "hidden", "penultimate", "logits"};
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    for (int l = 3; l >= 0; l--) {
      LayerWeights w = l == 2 ? new LayerWeights(4, 5, net.weights().get(2).weights(), new float[4])
          : net.weights().get(l);
      t.put(names[l] + ".weight", SafetensorsBytes.Raw.f32(new long[] {w.outputs(), w.inputs()}, w.weights()));
      if (l != 2) {
        t.put(names[l] + ".bias", SafetensorsBytes.Raw.f32(new long[] {w.outputs()}, w.bias()));
      }
    }
    Model back = ModelFiles.load(Files.write(tmp.resolve("named.safetensors"), SafetensorsBytes.file(null, t)), relu);
    assertEquals(arch, back.architecture());
    List<LayerWeights> want = new java.util.ArrayList<>(net.weights());
    want.set(2, new LayerWeights(4, 5, net.weights().get(2).weights(), new float[4]));
    assertEquals(want, back.weights());
    // where a choice ends soon: after 2 to 3, 3 to 6 could follow but then 6 to 7 would end too early;
    // and where no layer has to come first (4 to 3 to 4 to 2: a's inputs are also b's outputs)
    for (long[][] shapes : new long[][][] {{{3, 2}, {5, 3}, {3, 5}, {6, 3}, {7, 6}}, {{3, 4}, {4, 3}, {2, 4}}}) {
      Map<String, SafetensorsBytes.Raw> u = new LinkedHashMap<>();
      for (int i = shapes.length - 1; i >= 0; i--) {
        u.put((char) ('a' + i) + ".weight", new SafetensorsBytes.Raw("F32", shapes[i],
            new byte[(int) (shapes[i][0] * shapes[i][1] * 4)]));
      }
      Architecture.Builder b = Architecture.builder((int) shapes[0][1]);
      for (int i = 0; i < shapes.length - 1; i++) {
        b.hidden((int) shapes[i][0], Activation.RELU);
      }
      assertEquals(b.output((int) shapes[shapes.length - 1][0], Head.SOFTMAX_CROSS_ENTROPY),
          ModelFiles.read(SafetensorsBytes.file(null, u), null, relu).architecture());
    }
  }

  /**
   * Where the shapes leave a choice, or break the chain, the file is refused naming the layers; the
   * order is never guessed.
   */
  @Test
  void namedModulesWhoseShapesLeaveAChoiceAreRefused() throws IOException {
    String advice = "; number the layers as nn.Sequential does ({i}.weight and {i}.bias) to give their order";
    // two layers of one shape could swap
    rejectNamed(new String[] {"fc1", "fc2", "fc3", "fc4"}, new long[][] {{5, 4}, {5, 5}, {5, 5}, {2, 5}}, "fc3.weight",
        "tensor 'fc3.weight' has the shape [5, 5] of 'fc2.weight', so the file does not say which of the two comes first"
            + advice);
    // two firsts; a forced first from which the shapes do not chain (a 2 to 3, then only d takes 3)
    rejectNamed(new String[] {"a", "b", "c"}, new long[][] {{3, 4}, {3, 6}, {2, 3}}, "b.weight",
        "tensor 'b.weight' and 'a.weight' both take inputs that no other layer gives, so they cannot both come first"
            + advice);
    // a square layer gives its own inputs, but no other layer does: it, too, can only come first
    rejectNamed(new String[] {"a", "b"}, new long[][] {{4, 4}, {3, 5}}, "b.weight",
        "tensor 'b.weight' and 'a.weight' both take inputs that no other layer gives, so they cannot both come first"
            + advice);
    rejectNamed(new String[] {"a", "b", "c", "d"}, new long[][] {{3, 2}, {6, 5}, {5, 6}, {9, 3}}, "a.weight",
        "tensor 'a.weight' comes first (no other layer gives its inputs), but no order of all the 4 layers from it has "
            + "each take the outputs of the one before" + advice);
    // two loops that never meet, every layer's inputs being another's outputs: 4 to 3 to 4, and 6 to 7 to 6
    rejectNamed(new String[] {"a", "b", "c", "d"}, new long[][] {{3, 4}, {4, 3}, {7, 6}, {6, 7}}, "a.weight",
        "tensor 'a.weight' and the other layers have no order in which each takes the outputs of the one before"
            + advice);
    // two orders of all the layers: a 2 to 3, then b and c (3 to 4 to 3) and e and f (3 to 6 to 3) either way, g last
    rejectNamed(new String[] {"a", "b", "c", "e", "f", "g"},
        new long[][] {{3, 2}, {4, 3}, {3, 4}, {6, 3}, {3, 6}, {9, 3}}, "e.weight",
        "tensor 'e.weight' and 'b.weight' can each come after 'a.weight' in an order of all the layers, so the file "
            + "does not say which does" + advice);
    // so can two firsts where no layer has to be first: 3 to 4 and 4 to 3
    rejectNamed(new String[] {"a", "b"}, new long[][] {{4, 3}, {3, 4}}, "b.weight",
        "tensor 'b.weight' and 'a.weight' can each come first");
    // a hostile header: twelve loops through 3 inputs that can be taken in 12! orders, and a pair (100 to
    // 101 to 100) that no order reaches; the search stops after its budget of steps, and the message does
    // not say that the shapes allow orders (they allow none)
    List<String> names = new java.util.ArrayList<>(List.of("a"));
    List<long[]> shapes = new java.util.ArrayList<>(List.<long[]>of(new long[] {3, 2}));
    for (int i = 0; i < 12; i++) {
      names.addAll(List.of("l" + i, "r" + i));
      shapes.addAll(List.of(new long[] {10 + i, 3}, new long[] {3, 10 + i}));
    }
    names.addAll(List.of("x", "y"));
    shapes.addAll(List.of(new long[] {101, 100}, new long[] {100, 101}));
    rejectNamed(names.toArray(String[]::new), shapes.toArray(long[][]::new), "a.weight",
        "tensor 'a.weight' and the other 26 layers have shapes that leave more choices than this loader searches "
            + "(1000000 steps) for their order" + advice);
    // a named layer's weight must be a matrix
    rejectNamed(new String[] {"a", "b"}, new long[][] {{3, 2}, {6}}, "b.weight", "tensor 'b.weight': shape [6] must be "
        + "[out, in]");
    // named and numbered layers do not mix, and a file of this library numbers its layers
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    t.put("fc1.weight", SafetensorsBytes.Raw.f32(new long[] {1, 1}, 1));
    t.put("1.weight", SafetensorsBytes.Raw.f32(new long[] {2, 1}, 1, 2));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(
        SafetensorsBytes.file(null, t), null, LoadOptions.defaults().withActivation(Activation.RELU)));
    assertEquals("1.weight", e.field());
    assertTrue(e.getMessage().contains("tensor '1.weight': its layer is numbered where that of 'fc1.weight' is named"),
        e.getMessage());
    Map<String, SafetensorsBytes.Raw> u = new LinkedHashMap<>();
    u.put("0.weight", SafetensorsBytes.Raw.f32(new long[] {1, 1}, 1));
    u.put("fc2.weight", SafetensorsBytes.Raw.f32(new long[] {2, 1}, 1, 2));
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(
        SafetensorsBytes.file(null, u), null, LoadOptions.defaults().withActivation(Activation.RELU)));
    assertEquals("fc2.weight", e.field());
    assertTrue(e.getMessage().contains("tensor 'fc2.weight': its layer is named where that of '0.weight' is numbered"),
        e.getMessage());
    Model m = ModelFiles.load(TestResources.copy(FILE, tmp), LoadOptions.defaults().withActivation(Activation.RELU));
    ObjectNode h = SafetensorsBytes.header(SafetensorsBytes.saved(m, tmp));
    byte[] own = SafetensorsBytes.saved(m, tmp);
    h.set("layers.fc.weight", h.remove("layers.1.weight"));
    h.set("layers.fc.bias", h.remove("layers.1.bias"));
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(SafetensorsBytes.file(h,
        SafetensorsBytes.data(own)), null, LoadOptions.defaults()));
    assertTrue(e.getMessage().contains("tensor 'layers.fc.weight': unknown name; a model file holds layers.{i}.weight"),
        e.getMessage());
  }

  /** A file of named layers with these weight shapes (values 0, no biases) must fail naming {@code field}. */
  private static void rejectNamed(String[] names, long[][] shapes, String field, String message) {
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    for (int i = 0; i < names.length; i++) {
      long count = java.util.Arrays.stream(shapes[i]).reduce(1, (a, b) -> a * b);
      t.put(names[i] + ".weight", new SafetensorsBytes.Raw("F32", shapes[i], new byte[(int) count * 4]));
    }
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(
        SafetensorsBytes.file(null, t), null, LoadOptions.defaults().withActivation(Activation.RELU)), message);
    assertEquals(field, e.field(), e.getMessage());
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  /**
   * A file PyTorch wrote for a module of named layers (make_pytorch_fixture.py: {@code hidden} and
   * {@code out} in float16, {@code middle} a square {@code Linear(32, 32, bias=False)} in bfloat16,
   * the state_dict's own keys) loads in the order of its forward pass and predicts the logits PyTorch
   * computed in float32 after {@code net.float()}.
   */
  @Test
  void aNamedHalfPrecisionModuleWithoutABiasPredictsWhatPyTorchComputed() throws IOException {
    Model m = ModelFiles.load(TestResources.copy("pytorch-named-half.safetensors", tmp),
        LoadOptions.defaults().withActivation(Activation.RELU));
    assertEquals("64-32(relu)-32(relu)-10(softmax)", m.architecture().toString());
    assertEquals(Map.of(), m.metadata());
    float[] bias = m.weights().get(1).bias();
    assertArrayEquals(new float[32], bias, "middle has no bias");
    JsonNode expected = TestResources.json("pytorch-named-half-expected.json");
    JsonNode inputs = expected.path("inputs");
    assertEquals(8, inputs.size());
    Workspace ws = m.newWorkspace();
    float[] z = new float[10];
    double worst = 0;
    for (int i = 0; i < inputs.size(); i++) {
      float[] x = TestResources.floats(inputs.get(i));
      float[] want = TestResources.floats(expected.path("logits").get(i));
      m.predictLogits(x, 0, z, 0, ws);
      for (int k = 0; k < 10; k++) {
        // float32 sums of up to 64 products in another order: a few ulps of the logits' magnitude
        assertEquals(want[k], z[k], 1e-5 * Math.max(1, Math.abs(want[k])), "row " + i + " logit " + k);
        worst = Math.max(worst, Math.abs(want[k] - z[k]));
      }
    }
    assertTrue(worst < 1e-5, Double.toString(worst));
  }

  /**
   * Per-sample SGD follows PyTorch's: from the first fixture's weights, 200 steps of
   * {@code torch.optim.SGD} (lr 0.01, {@code cross_entropy} of one sample a step; make_pytorch_fixture.py)
   * and of {@link Trainer#trainSample} give each step's loss and the final weights within the rounding of
   * float32 sums taken in another order.
   */
  @Test
  void perSampleSgdFollowsPyTorchStepForStep() throws IOException {
    LoadOptions relu = LoadOptions.defaults().withActivation(Activation.RELU);
    Model start = ModelFiles.load(TestResources.copy(FILE, tmp), relu);
    Model torch = ModelFiles.load(TestResources.copy("pytorch-64-32-10-sgd.safetensors", tmp), relu);
    JsonNode steps = TestResources.json("pytorch-64-32-10-sgd-steps.json");
    assertEquals(200, steps.path("labels").size());
    Model end;
    try (Trainer t = Trainer.builder(start).learningRate((float) steps.path("learning_rate").asDouble()).threads(1)
        .build()) {
      for (int i = 0; i < 200; i++) {
        double loss = t.trainSample(TestResources.floats(steps.path("inputs").get(i)), steps.path("labels").get(i).asInt());
        double want = steps.path("losses").get(i).asDouble();
        assertEquals(want, loss, 1e-5 * Math.max(1, want), "step " + i);
      }
      end = t.snapshot();
    }
    double moved = 0;
    double worst = 0;
    for (int l = 0; l < 2; l++) {
      float[][] got = {end.weights().get(l).weights(), end.weights().get(l).bias()};
      float[][] want = {torch.weights().get(l).weights(), torch.weights().get(l).bias()};
      float[][] before = {start.weights().get(l).weights(), start.weights().get(l).bias()};
      for (int k = 0; k < 2; k++) {
        for (int i = 0; i < want[k].length; i++) {
          // 6e-8 at most here: an ulp or so of values up to 0.5
          assertEquals(want[k][i], got[k][i], 1e-6, "layer " + l + (k == 0 ? " weight " : " bias ") + i);
          worst = Math.max(worst, Math.abs(want[k][i] - got[k][i]));
          moved = Math.max(moved, Math.abs(want[k][i] - before[k][i]));
        }
      }
    }
    assertTrue(moved > 0.05, "the steps moved the weights: " + moved); // not vacuously close
    assertTrue(worst < 1e-6, Double.toString(worst));
  }

  /**
   * A bare {@code nn.Linear} (softmax regression) saves {@code weight} and {@code bias} with no module
   * name: one layer, no hidden activation to give. Without its bias it adds zeros; a bias alone lacks
   * its weight.
   */
  @Test
  void aBareLinearLayerLoadsAsOneLayer() throws IOException {
    float[] w = new float[30];
    for (int i = 0; i < w.length; i++) {
      w[i] = (i % 7 - 3) * 0.25f;
    }
    Map<String, SafetensorsBytes.Raw> t = new LinkedHashMap<>();
    t.put("bias", SafetensorsBytes.Raw.f32(new long[] {3}, 0.5f, -0.5f, 0));
    t.put("weight", SafetensorsBytes.Raw.f32(new long[] {3, 10}, w));
    Model m = ModelFiles.read(SafetensorsBytes.file(Map.of("format", "pt"), t), null, LoadOptions.defaults());
    assertEquals("10-3(softmax)", m.architecture().toString());
    assertEquals(List.of(new LayerWeights(3, 10, w, new float[] {0.5f, -0.5f, 0})), m.weights());
    t.remove("bias");
    Model noBias = ModelFiles.read(SafetensorsBytes.file(null, t), null, LoadOptions.defaults());
    assertEquals(List.of(new LayerWeights(3, 10, w, new float[3])), noBias.weights());
    t.clear();
    t.put("bias", SafetensorsBytes.Raw.f32(new long[] {3}, 0.5f, -0.5f, 0));
    ModelFormatException e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(
        SafetensorsBytes.file(null, t), null, LoadOptions.defaults()));
    assertEquals("weight", e.field());
    assertTrue(e.getMessage().contains("tensor 'weight' is missing"), e.getMessage());
    // with another named layer, the shapes give the order: weight (10 to 3), then head (3 to 2)
    t.put("weight", SafetensorsBytes.Raw.f32(new long[] {3, 10}, w));
    t.put("head.weight", SafetensorsBytes.Raw.f32(new long[] {2, 3}, 1, 0, 0, 0, 1, 0));
    assertEquals("10-3(relu)-2(softmax)", ModelFiles.read(SafetensorsBytes.file(null, t), null,
        LoadOptions.defaults().withActivation(Activation.RELU)).architecture().toString());
    // a file of this library names its layers layers.{i}
    Model own = ModelFiles.read(SafetensorsBytes.saved(m, tmp), null, LoadOptions.defaults());
    ObjectNode h = SafetensorsBytes.header(SafetensorsBytes.saved(own, tmp));
    byte[] bytes = SafetensorsBytes.saved(own, tmp);
    h.set("weight", h.remove("layers.0.weight"));
    e = assertThrows(ModelFormatException.class, () -> ModelFiles.read(SafetensorsBytes.file(h,
        SafetensorsBytes.data(bytes)), null, LoadOptions.defaults()));
    assertTrue(e.getMessage().contains("tensor 'weight': unknown name"), e.getMessage());
  }
}
