package dev.vmlp.data;

import static dev.vmlp.data.IdxFiles.gzip;
import static dev.vmlp.data.IdxFiles.idx;
import static dev.vmlp.data.IdxFiles.ramp;
import static dev.vmlp.data.IdxFiles.write;
import static dev.vmlp.data.IdxTest.assertMalformed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MnistTest {
  @TempDir Path dir;

  private static final int ROWS = 4;
  private static final int COLS = 3;
  private static final int PIXELS = ROWS * COLS;

  private final byte[] trainPixels = ramp(6 * PIXELS); // holds 255 (byte -1) and, below, 0

  {
    trainPixels[5] = 0;
  }

  private final byte[] testPixels = reversed(ramp(2 * PIXELS));
  private final byte[] trainLabels = {3, 0, 9, 1, 7, 2};
  private final byte[] testLabels = {5, 4};

  private static byte[] reversed(byte[] b) {
    byte[] r = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      r[i] = b[b.length - 1 - i];
    }
    return r;
  }

  /** Writes the four files; train images and test labels compressed, the others plain. */
  private void writeFolder() throws IOException {
    write(dir, Mnist.TRAIN_IMAGES + ".gz", gzip(idx(new int[] {6, ROWS, COLS}, trainPixels)));
    write(dir, Mnist.TRAIN_LABELS, idx(new int[] {6}, trainLabels));
    write(dir, Mnist.TEST_IMAGES, idx(new int[] {2, ROWS, COLS}, testPixels));
    write(dir, Mnist.TEST_LABELS + ".gz", gzip(idx(new int[] {2}, testLabels)));
  }

  private static void assertPixels(byte[] pixels, byte[] labels, Dataset d) {
    assertEquals(labels.length, d.size());
    assertEquals(PIXELS, d.featureCount());
    for (int i = 0; i < labels.length; i++) {
      assertEquals(labels[i], d.label(i), "label " + i);
      for (int p = 0; p < PIXELS; p++) {
        assertEquals((float) (pixels[i * PIXELS + p] & 0xff), d.feature(i, p), "row " + i + " pixel " + p);
      }
    }
  }

  @Test
  void loadsAFolderOfPlainAndGzipFiles() throws IOException {
    writeFolder();
    TrainTest tt = Mnist.load(dir);
    assertPixels(trainPixels, trainLabels, tt.train());
    assertPixels(testPixels, testLabels, tt.test());
    assertEquals(10, tt.train().classCount());
    assertEquals(10, tt.test().classCount());
    assertEquals(InputScaling.divideBy(255f), tt.scaling());
    float max = 0;
    float min = 255;
    for (int i = 0; i < tt.train().size(); i++) {
      for (float v : tt.train().row(i)) {
        max = Math.max(max, v);
        min = Math.min(min, v);
        assertEquals(Math.rint(v), v, "raw pixel values are integral");
      }
    }
    assertEquals(255f, max, "raw pixels, not scaled");
    assertEquals(0f, min);
  }

  @Test
  void aFolderReachedThroughALinkAndDotDotIsNamedAfterTheFolderRead() throws IOException {
    // the OS takes other/link/.. to dir, the link's target's parent; the path as written ends in "other",
    // which holds no MNIST files, and the sets were named other/train and other/t10k
    writeFolder();
    Files.createDirectories(dir.resolve("sub"));
    Files.createDirectories(dir.resolve("other"));
    Path link = Files.createSymbolicLink(dir.resolve("other/link"), dir.resolve("sub"));
    TrainTest tt = Mnist.load(link.resolve(".."));
    String folder = dir.toRealPath().getFileName().toString();
    assertEquals(folder + "/train", tt.train().name());
    assertEquals(folder + "/t10k", tt.test().name());
    // a link given as the folder keeps its own name, as before
    Path named = Files.createSymbolicLink(dir.resolve("other/mnist-link"), dir);
    assertEquals("mnist-link/train", Mnist.load(named).train().name());
  }

  @Test
  void theSetsAreNamedAfterTheFolderItself() throws IOException {
    writeFolder();
    String folder = dir.getFileName().toString();
    // "./train" and "../train" named no data, and were recorded so in a saved model's provenance
    for (Path given : new Path[] {dir, dir.resolve("."), dir.resolve("sub/.."), dir.resolve("./")}) {
      Files.createDirectories(dir.resolve("sub"));
      TrainTest tt = Mnist.load(given);
      assertEquals(folder + "/train", tt.train().name(), given.toString());
      assertEquals(folder + "/t10k", tt.test().name(), given.toString());
    }
  }

  @Test
  void missingFileIsNamed() throws IOException {
    writeFolder();
    Files.delete(dir.resolve(Mnist.TEST_LABELS + ".gz"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(dir));
    assertEquals(dir.resolve(Mnist.TEST_LABELS).toString(), e.getFile());
    assertTrue(e.getMessage().contains(Mnist.TEST_LABELS + ".gz"), e.getMessage());
  }

  @Test
  void aFolderWhereAFileBelongsIsNamedAsSuch() throws IOException {
    writeFolder();
    Files.delete(dir.resolve(Mnist.TEST_IMAGES));
    Path folder = Files.createDirectory(dir.resolve(Mnist.TEST_IMAGES));
    java.nio.file.FileSystemException e =
        assertThrows(java.nio.file.FileSystemException.class, () -> Mnist.load(dir));
    assertEquals(folder + ": is a folder, not a file", e.getMessage());
    assertEquals(e.getMessage(), assertThrows(java.nio.file.FileSystemException.class,
        () -> Mnist.files(dir)).getMessage());
  }

  @Test
  void imageCountDiffersFromLabelCount() throws IOException {
    writeFolder();
    Path labels = write(dir, Mnist.TRAIN_LABELS, idx(new int[] {5}, new byte[] {1, 2, 3, 4, 5}));
    assertMalformed(labels, () -> Mnist.load(dir), "5 labels", Mnist.TRAIN_IMAGES + ".gz has 6 images");
  }

  @Test
  void testImageCountDiffersFromTestLabelCount() throws IOException {
    writeFolder();
    Path labels = write(dir, Mnist.TEST_LABELS + ".gz", gzip(idx(new int[] {3}, new byte[] {1, 2, 3})));
    assertMalformed(labels, () -> Mnist.load(dir), "3 labels", Mnist.TEST_IMAGES + " has 2 images");
  }

  @Test
  void testImagesOfAnotherSize() throws IOException {
    writeFolder();
    Path testImages = write(dir, Mnist.TEST_IMAGES, idx(new int[] {2, COLS, ROWS}, testPixels));
    assertMalformed(testImages, () -> Mnist.load(dir), "images are 3x4", "training images are 4x3");
    Path wider = write(dir, Mnist.TEST_IMAGES, idx(new int[] {2, ROWS, ROWS}, ramp(2 * ROWS * ROWS)));
    assertMalformed(wider, () -> Mnist.load(dir), "images are 4x4", "training images are 4x3");
  }

  /** The classes are counted over both files: a test label the training labels lack still has its class. */
  @Test
  void aTestClassTheTrainingLabelsLackCounts() throws IOException {
    writeFolder();
    write(dir, Mnist.TEST_LABELS + ".gz", gzip(idx(new int[] {2}, new byte[] {12, 4})));
    TrainTest tt = Mnist.load(dir);
    assertEquals(13, tt.train().classCount());
    assertEquals(13, tt.test().classCount());
    assertEquals(12, tt.test().label(0));
  }

  /** A model's class count (a run continued): the sets have that many, and a label beyond it names its file. */
  @Test
  void aFolderForAModelOfGivenClasses() throws IOException {
    writeFolder();
    TrainTest tt = Mnist.load(dir, 12);
    assertEquals(12, tt.train().classCount());
    assertEquals(12, tt.test().classCount());
    assertPixels(testPixels, testLabels, tt.test());
    assertMalformed(dir.resolve(Mnist.TRAIN_LABELS), () -> Mnist.load(dir, 9), "label 2 is 9", "9 classes");
    write(dir, Mnist.TEST_LABELS + ".gz", gzip(idx(new int[] {2}, new byte[] {4, 12})));
    assertMalformed(dir.resolve(Mnist.TEST_LABELS + ".gz"), () -> Mnist.load(dir, 10), "label 1 is 12",
        "10 classes");
  }

  /** A negative class count is refused as loadPair refuses one below 1, not taken as 0 (classes from the labels). */
  @Test
  void aNegativeClassCountIsRefusedAsItsArgument() throws IOException {
    writeFolder();
    // it loaded the folder as Mnist.load(dir) does, with the classes counted from the labels (10)
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mnist.load(dir, -1));
    assertEquals("classes must be 0 (counted from the labels) or positive, got -1", e.getMessage());
    assertEquals(10, Mnist.load(dir, 0).train().classCount());
  }

  @Test
  void pathThatIsNotAFolder() throws IOException {
    Path file = write(dir, "mnist.zip", new byte[] {1, 2, 3});
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Mnist.load(file));
    assertEquals(file.toString(), e.getFile());
    assertTrue(e.getMessage().contains("not a folder"), e.getMessage());
  }

  @Test
  void malformedFileInTheFolderIsNamed() throws IOException {
    writeFolder();
    Path bad = write(dir, Mnist.TEST_IMAGES, idx(new int[] {2, ROWS, COLS}, ramp(2 * PIXELS - 1)));
    assertMalformed(bad, () -> Mnist.load(dir), "truncated");
  }

  @Test
  void loadPairReadsOneImagesAndLabelsFile() throws IOException {
    writeFolder();
    Dataset d = Mnist.loadPair(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), dir.resolve(Mnist.TRAIN_LABELS), 12);
    assertPixels(trainPixels, trainLabels, d);
    assertEquals(12, d.classCount());
  }

  @Test
  void loadPairRejectsALabelOutsideTheClasses() throws IOException {
    writeFolder();
    Path labels = dir.resolve(Mnist.TRAIN_LABELS);
    assertMalformed(labels, () -> Mnist.loadPair(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), labels, 9),
        "label 2 is 9", "9 classes");
  }

  @Test
  void loadPairRefusesAClassCountBelowOneAsItsArgument() throws IOException {
    writeFolder();
    Path labels = dir.resolve(Mnist.TRAIN_LABELS);
    // it was a DataFormatException of the labels file: "label 0 is 0, the model has 0 classes"
    for (int classes : new int[] {0, -1}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Mnist.loadPair(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), labels, classes));
      assertEquals("classes must be positive, got " + classes, e.getMessage());
    }
  }

  @Test
  void nullFilesAndNamesAreNamed() throws IOException {
    writeFolder();
    Path images = dir.resolve(Mnist.TRAIN_IMAGES + ".gz");
    Path labels = dir.resolve(Mnist.TRAIN_LABELS);
    // NPEs naming "path" (which of the two?), the labels' after the images were read; find's had no message
    assertEquals("imagesFile", assertThrows(NullPointerException.class,
        () -> Mnist.loadPair(null, labels, 10)).getMessage());
    assertEquals("labelsFile", assertThrows(NullPointerException.class,
        () -> Mnist.loadPair(images, null, 10)).getMessage());
    assertEquals("name", assertThrows(NullPointerException.class, () -> Mnist.find(dir, null)).getMessage());
    // a null folder: load's NPE named Files' own parameter "path"
    assertEquals("dir", assertThrows(NullPointerException.class, () -> Mnist.load(null)).getMessage());
    assertEquals("dir", assertThrows(NullPointerException.class, () -> Mnist.find(null, Mnist.TEST_IMAGES)).getMessage());
    assertEquals("dir", assertThrows(NullPointerException.class, () -> Mnist.files(null)).getMessage());
  }

  /** One class is a valid count: labels all 0 load as a dataset of one class. */
  @Test
  void loadPairTakesASingleClass() throws IOException {
    writeFolder();
    Path zeros = write(dir, "zeros", idx(new int[] {6}, new byte[6]));
    Dataset d = Mnist.loadPair(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), zeros, 1);
    assertEquals(1, d.classCount());
    assertEquals(6, d.size());
  }

  /** The four files of a folder, in load's order, each plain or .gz as it is there. */
  @Test
  void filesNamesTheFourFilesPlainOrGz() throws IOException {
    writeFolder();
    assertEquals(java.util.List.of(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), dir.resolve(Mnist.TRAIN_LABELS),
        dir.resolve(Mnist.TEST_IMAGES), dir.resolve(Mnist.TEST_LABELS + ".gz")), Mnist.files(dir));
  }

  @Test
  void loadPairRejectsDifferentCounts() throws IOException {
    writeFolder();
    Path labels = dir.resolve(Mnist.TEST_LABELS + ".gz");
    assertMalformed(labels, () -> Mnist.loadPair(dir.resolve(Mnist.TRAIN_IMAGES + ".gz"), labels, 10),
        "2 labels", "6 images");
  }
}
