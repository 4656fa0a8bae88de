package dev.vmlp.data;

import dev.vmlp.Dataset;
import dev.vmlp.InputScaling;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * Loads an MNIST-format folder: {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 * {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally gzip-compressed
 * with a {@code .gz} suffix. Pixels become floats 0..255 and the scaling divides by 255.
 */
public final class Mnist {
  public static final String TRAIN_IMAGES = "train-images-idx3-ubyte";
  public static final String TRAIN_LABELS = "train-labels-idx1-ubyte";
  public static final String TEST_IMAGES = "t10k-images-idx3-ubyte";
  public static final String TEST_LABELS = "t10k-labels-idx1-ubyte";

  private Mnist() {}

  /**
   * Reads the four files of {@code dir}. The sets are named {@code F/train} and {@code F/t10k}, {@code F}
   * being the name of the folder the files were read from (empty for a root).
   *
   * @throws NoSuchFileException naming the file (with and without {@code .gz}) that is missing
   * @throws FileSystemException naming a folder, pipe or device where a file belongs
   * @throws DataFormatException when a file is malformed, counts disagree or the image sizes differ
   */
  public static TrainTest load(Path dir) throws IOException {
    return load(dir, 0);
  }

  /**
   * As {@link #load(Path)}, for a model of {@code classes} classes when that is positive (a model trained
   * further): a label not below it is an error naming the labels file and the label's index, as
   * {@link #loadPair} reports it, and both sets have that many classes. With 0 the count comes from the
   * labels, as in {@link #load(Path)}.
   *
   * @throws IllegalArgumentException when {@code classes} is negative (before any file is read)
   * @throws DataFormatException also when a label is not below a positive {@code classes}
   */
  public static TrainTest load(Path dir, int classes) throws IOException {
    Objects.requireNonNull(dir, "dir"); // else an NPE naming Files' own parameter "path"
    if (classes < 0) {
      // else taken as 0: the count came from the labels, as if none had been given
      throw new IllegalArgumentException("classes must be 0 (counted from the labels) or positive, got " + classes);
    }
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString(), null, "not a folder holding the MNIST files");
    }
    Path trainImages = find(dir, TRAIN_IMAGES);
    Path trainLabels = find(dir, TRAIN_LABELS);
    Path testImages = find(dir, TEST_IMAGES);
    Path testLabels = find(dir, TEST_LABELS);
    Idx.Contents trI = Idx.readImages(trainImages);
    int[] trL = Idx.readLabels(trainLabels);
    Idx.Contents teI = Idx.readImages(testImages);
    int[] teL = Idx.readLabels(testLabels);
    checkCount(trainImages, trI, trainLabels, trL);
    checkCount(testImages, teI, testLabels, teL);
    if (trI.dims()[1] != teI.dims()[1] || trI.dims()[2] != teI.dims()[2]) {
      throw new DataFormatException(testImages, "images are " + teI.dims()[1] + "x" + teI.dims()[2]
          + " but the training images are " + trI.dims()[1] + "x" + trI.dims()[2]);
    }
    if (classes > 0) {
      checkLabels(trainLabels, trL, classes);
      checkLabels(testLabels, teL, classes);
    } else {
      classes = 2;
      for (int l : trL) {
        classes = Math.max(classes, l + 1);
      }
      for (int l : teL) {
        classes = Math.max(classes, l + 1);
      }
    }
    int features = Math.multiplyExact(trI.dims()[1], trI.dims()[2]);
    return new TrainTest(
        Dataset.ofUnsignedBytes(folderName(dir) + "/train", trI.data(), features, trL, classes),
        Dataset.ofUnsignedBytes(folderName(dir) + "/t10k", teI.data(), features, teL, classes),
        InputScaling.divideBy(255f));
  }

  /**
   * The folder's own name, also for {@code .} or {@code dir/..}; a root has none, and its sets are {@code /train}.
   * A {@code ..} after a link leads where the path as written does not (the link target's parent), and
   * then the name is that of the folder the files were read from.
   */
  private static String folderName(Path dir) throws IOException {
    Path abs = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs) || !Files.isSameFile(abs, dir)) {
      abs = dir.toRealPath();
    }
    Path name = abs.getFileName();
    return name != null ? name.toString() : "";
  }

  /**
   * Reads one images file (plain or gzip) as a dataset of {@code classes} classes with the labels of
   * {@code labelsFile}.
   *
   * @throws IllegalArgumentException when {@code classes} is below 1 (before any file is read)
   * @throws DataFormatException when a file is malformed, the counts disagree, or a label is not below
   *     {@code classes}
   */
  public static Dataset loadPair(Path imagesFile, Path labelsFile, int classes) throws IOException {
    // a null labels file was an NPE naming "path", after the whole images file was read
    Objects.requireNonNull(imagesFile, "imagesFile");
    Objects.requireNonNull(labelsFile, "labelsFile");
    if (classes < 1) {
      // else the first label was reported as the labels file's error: "label 0 is 3, the model has 0 classes"
      throw new IllegalArgumentException("classes must be positive, got " + classes);
    }
    Idx.Contents images = Idx.readImages(imagesFile);
    int[] labels = Idx.readLabels(labelsFile);
    checkCount(imagesFile, images, labelsFile, labels);
    checkLabels(labelsFile, labels, classes);
    return Dataset.ofUnsignedBytes(imagesFile.getFileName().toString(), images.data(),
        Math.multiplyExact(images.dims()[1], images.dims()[2]), labels, classes);
  }

  /** Refuses the first of {@code labels}, read from {@code labelsFile}, that is not below {@code classes}. */
  private static void checkLabels(Path labelsFile, int[] labels, int classes) throws DataFormatException {
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] >= classes) {
        throw new DataFormatException(labelsFile, "label " + i + " is " + labels[i] + ", the model has " + classes
            + " classes");
      }
    }
  }

  private static void checkCount(Path images, Idx.Contents c, Path labels, int[] l) throws DataFormatException {
    if (c.dims()[0] != l.length) {
      throw new DataFormatException(labels, "has " + l.length + " labels but " + images.getFileName() + " has "
          + c.dims()[0] + " images");
    }
  }

  /**
   * The four files {@link #load} reads from {@code dir}: training images and labels, test images and
   * labels, each plain or {@code .gz}.
   *
   * @throws NoSuchFileException naming the file that is missing
   * @throws FileSystemException naming a folder, pipe or device where a file belongs
   */
  public static List<Path> files(Path dir) throws FileSystemException {
    return List.of(find(dir, TRAIN_IMAGES), find(dir, TRAIN_LABELS), find(dir, TEST_IMAGES), find(dir, TEST_LABELS));
  }

  /**
   * The file {@code name} of {@code dir}: the plain file, or else its {@code .gz}.
   *
   * @throws NoSuchFileException naming the file that is missing
   * @throws FileSystemException naming a folder, pipe or device where the file belongs
   */
  public static Path find(Path dir, String name) throws FileSystemException {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(name, "name"); // else Path.resolve's NPE, without a message
    Path plain = dir.resolve(name);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    Path gz = dir.resolve(name + ".gz");
    if (Files.isRegularFile(gz)) {
      return gz;
    }
    for (Path p : List.of(plain, gz)) { // there, but not a file: say so rather than "missing"
      if (Files.isDirectory(p)) {
        throw new FileSystemException(p.toString(), null, "is a folder, not a file");
      }
      if (Files.exists(p)) {
        throw new FileSystemException(p.toString(), null, "is not a regular file (a device, pipe or socket)");
      }
    }
    throw new NoSuchFileException(plain.toString(), null, "missing MNIST file (also looked for " + name + ".gz)");
  }
}
