package dev.vmlp.data;

import static dev.vmlp.data.IdxFiles.gzip;
import static dev.vmlp.data.IdxTest.assertMalformed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vmlp.Dataset;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvTest {
  @TempDir Path dir;

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
  }

  private static void assertRow(Dataset d, int row, int label, float... features) {
    assertEquals(label, d.label(row), "label of row " + row);
    assertArrayEquals(features, d.row(row), "features of row " + row);
  }

  // ---- valid files

  @Test
  void aStreamNamedByARootPathIsNamedByIt() throws IOException {
    byte[] csv = "1,0.5\n0,0.25\n".getBytes(StandardCharsets.UTF_8);
    Dataset d = Csv.read(new java.io.ByteArrayInputStream(csv), Path.of("/"), Csv.Options.defaults());
    assertEquals("/", d.name());
    assertEquals(2, d.size());
  }

  @Test
  void aNullStreamOrNameIsNamedNotReadAsAClosedStream() {
    // a null stream failed its first read with IOException "Stream closed", as if the input were at fault
    java.io.InputStream csv = new java.io.ByteArrayInputStream("1,0.5\n".getBytes(StandardCharsets.UTF_8));
    Path name = Path.of("rows.csv");
    assertEquals("stream", assertThrows(NullPointerException.class,
        () -> Csv.read(null, name, Csv.Options.defaults())).getMessage());
    assertEquals("stream", assertThrows(NullPointerException.class,
        () -> Csv.forEachRow(null, name, ',', (v, line) -> {})).getMessage());
    assertEquals("stream", assertThrows(NullPointerException.class,
        () -> Idx.forEachImage(null, name, (dims, pixels, i) -> {})).getMessage());
    assertEquals("stream", assertThrows(NullPointerException.class, () -> Compressed.open(null, name)).getMessage());
    assertEquals("name", assertThrows(NullPointerException.class,
        () -> Csv.read(csv, null, Csv.Options.defaults())).getMessage());
  }

  @Test
  void aNullFileIsNamed() {
    // NPEs naming "path", the parameter of Files.isDirectory, which the caller never wrote
    assertEquals("file", assertThrows(NullPointerException.class, () -> Csv.read((Path) null)).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class,
        () -> Csv.read(null, Csv.Options.defaults())).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class, () -> Csv.readRows(null, ',')).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class, () -> Idx.read(null, 1)).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class, () -> Idx.readLabels(null)).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class, () -> Idx.readImages(null)).getMessage());
    assertEquals("file", assertThrows(NullPointerException.class, () -> Compressed.open((Path) null)).getMessage());
  }

  @Test
  void aNullConsumerOrOptionsIsNamedAndTheStreamClosed() {
    byte[] numbers = "1,2\n3,4\n".getBytes(StandardCharsets.UTF_8);
    byte[] named = "cat,1,2\ndog,3,4\n".getBytes(StandardCharsets.UTF_8);
    Path name = Path.of("rows.csv");
    boolean[] closed = new boolean[4];
    // a null consumer had the whole input read into memory, as read does, and returned; with a column to
    // skip, that column was read as labels, and the file blamed ("line 1, column 1: 'cat' is not a number")
    assertEquals("consumer", assertThrows(NullPointerException.class,
        () -> Csv.forEachRow(closing(numbers, closed, 0), name, ',', null)).getMessage());
    assertEquals("consumer", assertThrows(NullPointerException.class,
        () -> Csv.forEachRow(closing(named, closed, 1), name, ',', 0, null)).getMessage());
    // null options: an NPE naming "options", but the stream read promises to close was left open
    assertEquals("options", assertThrows(NullPointerException.class,
        () -> Csv.read(closing(numbers, closed, 2), name, null)).getMessage());
    // the images' consumer was found null only at the first image: three bytes were blamed for it
    // ("truncated in the magic number (3 of 4 bytes)")
    assertEquals("consumer", assertThrows(NullPointerException.class,
        () -> Idx.forEachImage(closing(new byte[] {0, 0, 8}, closed, 3), name, null)).getMessage());
    assertArrayEquals(new boolean[] {true, true, true, true}, closed, "each stream is closed");
  }

  /** A stream of {@code bytes} that sets {@code closed[i]} when it is closed. */
  private static java.io.InputStream closing(byte[] bytes, boolean[] closed, int i) {
    return new java.io.ByteArrayInputStream(bytes) {
      @Override
      public void close() {
        closed[i] = true;
      }
    };
  }

  @Test
  void optionsThatCannotDescribeAFileAreRefusedWhenMade() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Csv.Options.defaults().withClasses(-3));
    assertEquals("classes must be 0 (taken from the data) or a count of classes, got -3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Csv.Options.defaults().asRegression().withClasses(4));
    assertEquals("a regression target has no classes, got classes 4", e.getMessage());
    assertEquals(0, Csv.Options.defaults().withClasses(4).asRegression().classes(), "the last call decides");
    Map<Character, String> reserved = Map.of('"', "'\"'", '\n', "'\\n'", '\r', "'\\r'");
    for (Map.Entry<Character, String> r : reserved.entrySet()) {
      e = assertThrows(IllegalArgumentException.class, () -> Csv.Options.defaults().withSeparator(r.getKey()));
      assertEquals("the separator cannot be a quote or a line break, got " + r.getValue(), e.getMessage());
    }
    // a character of numbers would split them: 1.5 read with '.' is the fields 1 and 5 (the ends of each
    // range included; the characters next to them, below, are separators)
    for (char c : new char[] {'.', '-', '+', '0', '9', 'e', 'E', 'a', 'N', 'I', 'y', 'z', 'A', 'Z'}) {
      e = assertThrows(IllegalArgumentException.class, () -> Csv.Options.defaults().withSeparator(c));
      assertEquals("the separator cannot be a character that numbers are written with (an ASCII letter or digit, "
          + "'.', '-' or '+'), got '" + c + "'", e.getMessage());
    }
    for (char c : new char[] {';', '\t', ' ', '|', ':', '/', '_', '\u00e9', '@', '[', '`', '{', ','}) {
      assertEquals(c, Csv.Options.defaults().withSeparator(c).separator());
    }
  }

  @Test
  void labelFirstWithoutHeader() throws IOException {
    Path f = write("a.csv", "1,0.5,-2\n0,3,4e2\n2,0,1.25\n");
    Dataset d = Csv.read(f);
    assertEquals(3, d.size());
    assertEquals(2, d.featureCount());
    assertEquals(3, d.classCount());
    assertTrue(d.hasLabels());
    assertEquals("a.csv", d.name());
    assertRow(d, 0, 1, 0.5f, -2f);
    assertRow(d, 1, 0, 3f, 400f);
    assertRow(d, 2, 2, 0f, 1.25f);
  }

  @Test
  void labelFirstWithHeader() throws IOException {
    Path f = write("h.csv", "label,x,y\n1,0.5,-2\n0,3,4\n");
    Dataset d = Csv.read(f);
    assertEquals(2, d.size());
    assertEquals(2, d.classCount(), "at least two classes");
    assertRow(d, 0, 1, 0.5f, -2f);
    assertRow(d, 1, 0, 3f, 4f);
  }

  @Test
  void labelLast() throws IOException {
    Path f = write("last.csv", "x,y,z,label\n1,2,3,4\n5,6,7,0\n");
    Dataset d = Csv.read(f, Csv.Options.defaults().withLabelColumn(-1));
    assertEquals(3, d.featureCount());
    assertEquals(5, d.classCount());
    assertRow(d, 0, 4, 1f, 2f, 3f);
    assertRow(d, 1, 0, 5f, 6f, 7f);
  }

  @Test
  void labelInTheMiddle() throws IOException {
    Path f = write("mid.csv", "1,2,3\n4,0,6\n");
    Dataset d = Csv.read(f, Csv.Options.defaults().withLabelColumn(1));
    assertRow(d, 0, 2, 1f, 3f);
    assertRow(d, 1, 0, 4f, 6f);
  }

  @Test
  void gzipCompressedWhateverTheName() throws IOException {
    Path f = Files.write(dir.resolve("data.csv"), gzip("y,a,b\n1,2,3\r\n0,4,5\r\n".getBytes(StandardCharsets.UTF_8)));
    Dataset d = Csv.read(f);
    assertEquals(2, d.size());
    assertRow(d, 0, 1, 2f, 3f);
    assertRow(d, 1, 0, 4f, 5f);
  }

  @Test
  void gzipIsUndoneOnceAndABrokenOneLeavesNoFileOpen() throws IOException {
    byte[] twice = gzip(gzip("1,2,3\n".getBytes(StandardCharsets.UTF_8)));
    Path f = Files.write(dir.resolve("twice.csv.gz"), twice);
    assertThrows(DataFormatException.class, () -> Csv.read(f), "a gzip inside a gzip is not CSV");
    byte[] broken = gzip("1,2,3\n".getBytes(StandardCharsets.UTF_8));
    for (int i = 10; i < broken.length; i++) {
      broken[i] = (byte) 0xff; // a valid header, then a body that does not inflate
    }
    Path g = Files.write(dir.resolve("broken.csv.gz"), broken);
    Path fds = Path.of("/proc/self/fd");
    long before = Files.isDirectory(fds) ? countFiles(fds) : 0;
    for (int i = 0; i < 50; i++) {
      assertThrows(IOException.class, () -> Csv.readRows(g, ','));
      assertThrows(IOException.class, () -> Csv.read(g));
    }
    if (Files.isDirectory(fds)) {
      assertTrue(countFiles(fds) < before + 10, "100 failed reads left files open");
    }
  }

  /** Text appended to a gzip file (or a damaged second member) is not dropped quietly, as GZIPInputStream did. */
  @Test
  void bytesAfterTheGzipDataAreAnError() throws IOException {
    byte[] gz = gzip("1,2,3\n0,4,5\n".getBytes(StandardCharsets.UTF_8));
    byte[] more = gzip("1,6,7\n".getBytes(StandardCharsets.UTF_8));
    Path both = Files.write(dir.resolve("both.csv.gz"), IdxFiles.concat(gz, more));
    assertEquals(3, Csv.read(both).size(), "concatenated members are one file");
    Path tail = Files.write(dir.resolve("tail.csv.gz"),
        IdxFiles.concat(gz, "1,6,7\n".getBytes(StandardCharsets.UTF_8)));
    assertMalformed(tail, () -> Csv.read(tail), "corrupt gzip data", "after a valid .gz stream");
    assertMalformed(tail, () -> Csv.readRows(tail, ','), "corrupt gzip data");
    more[3] = (byte) 0x80; // a reserved flag: the second member's header is damaged
    Path damaged = Files.write(dir.resolve("damaged.csv.gz"), IdxFiles.concat(gz, more));
    assertMalformed(damaged, () -> Csv.read(damaged), "corrupt gzip data", "Reserved flags");
  }

  /**
   * A gzip header's file name and comment end at a zero byte. Commons Compress reads them whole into
   * memory, so a file of 200 MB whose name has no end ran a 128 MB heap out of memory, and the command
   * line said to give the JVM more heap. A header is now refused once it passes 1 MiB, in the first
   * member or a later one.
   */
  @Test
  void aGzipHeaderWithoutTheEndOfItsNameIsRefusedEarly() throws IOException {
    byte[] name = {0x1f, (byte) 0x8b, 8, 8, 0, 0, 0, 0, 0, 3}; // FNAME set, then the name's bytes
    byte[] first = gzip("1,2\n0,3\n".getBytes(StandardCharsets.UTF_8));
    for (byte[] before : new byte[][] {name, IdxFiles.concat(first, name)}) {
      long[] read = {0};
      long length = 64L << 20; // a name of 'a's up to 64 MB: read whole, it took 128 MB or more of heap
      java.io.InputStream endless = new java.io.InputStream() {
        @Override
        public int read() {
          if (read[0] >= length) {
            return -1;
          }
          long at = read[0]++;
          return at < before.length ? before[(int) at] & 0xff : 'a';
        }

        @Override
        public int read(byte[] b, int off, int len) {
          int n = 0;
          for (int c; n < len && (c = read()) >= 0; n++) {
            b[off + n] = (byte) c;
          }
          return n == 0 && len > 0 ? -1 : n;
        }
      };
      DataFormatException e = assertThrows(DataFormatException.class,
          () -> Csv.forEachRow(endless, Path.of("name.csv.gz"), ',', (values, line) -> {}));
      assertTrue(e.getMessage().startsWith("name.csv.gz: corrupt gzip " + (before == name ? "header" : "data"))
          && e.getMessage().contains("header is longer than 1048576 bytes"), e.getMessage());
      assertTrue(read[0] < 4 << 20, "read " + read[0] + " bytes before refusing the header");
    }
    // the members' data is not counted as header: two members of more than 1 MiB each read whole
    java.util.Random random = new java.util.Random(1);
    StringBuilder rows = new StringBuilder();
    for (int r = 0; r < 300_000; r++) {
      rows.append(random.nextInt(2)).append(',').append(random.nextFloat()).append('\n');
    }
    byte[] member = gzip(rows.toString().getBytes(StandardCharsets.UTF_8));
    assertTrue(member.length > Compressed.MAX_HEADER, member.length + " bytes");
    Path big = Files.write(dir.resolve("big.csv.gz"), IdxFiles.concat(member, member));
    assertEquals(600_000, Csv.read(big).size());
  }

  /**
   * The command-line jar leaves out Commons Compress's commons-codec (lz4 and snappy only): gzip reads
   * through a class loader of this class path without it, where the class is absent.
   */
  @Test
  void gzipIsReadWithoutCommonsCodec() throws Exception {
    Path f = Files.write(dir.resolve("codec.csv.gz"), gzip("1,2\n0,3\n".getBytes(StandardCharsets.UTF_8)));
    java.net.URL[] urls = java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
        .filter(p -> !p.contains("commons-codec"))
        .map(p -> {
          try {
            return Path.of(p).toUri().toURL();
          } catch (java.net.MalformedURLException e) {
            throw new java.io.UncheckedIOException(e);
          }
        })
        .toArray(java.net.URL[]::new);
    try (java.net.URLClassLoader noCodec = new java.net.URLClassLoader(urls, ClassLoader.getPlatformClassLoader())) {
      assertThrows(ClassNotFoundException.class, () -> Class.forName("org.apache.commons.codec.binary.Hex", false, noCodec));
      Class<?> csv = Class.forName(Csv.class.getName(), true, noCodec);
      assertEquals(noCodec, csv.getClassLoader());
      Object data = csv.getMethod("read", Path.class).invoke(null, f);
      assertEquals(2, data.getClass().getMethod("size").invoke(data));
    }
  }

  private static long countFiles(Path dir) throws IOException {
    try (var s = Files.list(dir)) {
      return s.count();
    }
  }

  @Test
  void rowsStreamOneAtATimeWithTheValuesOfTheWholeRead() throws IOException {
    String text = "a,b,c\n1,2,3\n\n4.5,-6,7e1\n8,9,10";
    Path f = Files.write(dir.resolve("stream.csv.gz"), gzip(text.getBytes(StandardCharsets.UTF_8)));
    java.util.List<float[]> rows = new java.util.ArrayList<>();
    java.util.List<Long> lines = new java.util.ArrayList<>();
    Csv.forEachRow(Files.newInputStream(f), f, ',', (values, line) -> {
      rows.add(values.clone());
      lines.add(line);
    });
    float[][] whole = Csv.readRows(f, ',');
    assertEquals(whole.length, rows.size());
    for (int r = 0; r < whole.length; r++) {
      assertArrayEquals(whole[r], rows.get(r), "row " + r);
    }
    assertEquals(java.util.List.of(2L, 4L, 5L), lines, "each row's line, the header and the blank one counted");
    // a bad value is found on its line, after the rows before it were handed over
    Path bad = Files.write(dir.resolve("bad.csv"), "1,2\n3,4\n5,x\n".getBytes(StandardCharsets.UTF_8));
    int[] handed = {0};
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Csv.forEachRow(Files.newInputStream(bad), bad, ',', (values, line) -> handed[0]++));
    assertTrue(e.getMessage().contains("line 3"), e.getMessage());
    assertEquals(2, handed[0]);
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aRowReachesTheConsumerWhileAPipeWaitsAfterItsLineEnd() throws Exception {
    // a client that sends a row and waits for its answer: the row is handed over before the next one comes,
    // and the lines are numbered as sent
    String[] sent = {"a,b\n", "1,2\n", "3,4\r\n", "\n5,6\n"};
    String[] answers = {null, "2:1.0", "3:3.0", "5:5.0"};
    assertHandedOverWhileThePipeWaits(sent, answers, "7,x\n", "line 6");
    // a first row of 4 bytes, all that the parser's encoding detection waits for, and shorter ones: a one-input
    // model's rows; the blank lines that make up the 4 bytes are not counted
    assertHandedOverWhileThePipeWaits(new String[] {"15\r\n", "6\n"}, new String[] {"1:15.0", "2:6.0"}, "x\n",
        "line 3");
    assertHandedOverWhileThePipeWaits(new String[] {"5\n", "6\n", "7\n"}, new String[] {"1:5.0", "2:6.0", "3:7.0"},
        "x\n", "line 4");
    assertHandedOverWhileThePipeWaits(new String[] {"5\r\n", "\n6\n"}, new String[] {"1:5.0", "3:6.0"}, "x\n",
        "line 4");
    assertHandedOverWhileThePipeWaits(new String[] {"\n5\n", "6\n"}, new String[] {"2:5.0", "3:6.0"}, "x\n",
        "line 4");
    assertHandedOverWhileThePipeWaits(new String[] {"5\n", "x\n"}, new String[] {"1:5.0", null}, "", "line 2");
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aRowEndedByABareCarriageReturnReachesTheConsumerWhileAPipeWaits() throws Exception {
    // old Mac line ends: the parser looks past a carriage return for a line feed, so such a row was handed over
    // only when the next one came; a \r\n split by a pause is still one line end
    assertHandedOverWhileThePipeWaits(new String[] {"a,b\r", "1,2\r", "3,4\r\n", "\r5,6\r"},
        new String[] {null, "2:1.0", "3:3.0", "5:5.0"}, "7,x\r", "line 6");
    assertHandedOverWhileThePipeWaits(new String[] {"5\r", "6\r", "7\r"}, new String[] {"1:5.0", "2:6.0", "3:7.0"},
        "x\r", "line 4");
    assertHandedOverWhileThePipeWaits(new String[] {"5\r", "\n6\r", "\n\r7\r"},
        new String[] {"1:5.0", "2:6.0", "4:7.0"}, "x\n", "line 5");
    assertHandedOverWhileThePipeWaits(new String[] {"15\r", "6\r"}, new String[] {"1:15.0", "2:6.0"}, "x\r",
        "line 3");
    assertHandedOverWhileThePipeWaits(new String[] {"\r5\r", "6\r"}, new String[] {"2:5.0", "3:6.0"}, "x\r",
        "line 4");
    // a quoted cell's line ends are its own, and lines as before
    assertHandedOverWhileThePipeWaits(new String[] {"\"a\"\"\r\",b\r", "\"5\r\",1\r", "\"6\r\n\",2\r"},
        new String[] {null, "3:5.0", "5:6.0"}, "x\r", "line 7");
  }

  /** Read a byte at a time, the text the parser gets is the one it gets read in blocks: line ends and quotes alike. */
  @Test
  void oneByteReadsGiveTheTextThatBlockReadsGive() throws IOException {
    byte[] text = "x,y\r1,2\r\n3,\"a\rb\"\r\n\n4,5\r".getBytes(StandardCharsets.UTF_8);
    byte[] blocks = new BlankLineWhenIdle(new java.io.BufferedInputStream(new java.io.ByteArrayInputStream(text)))
        .readAllBytes();
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    BlankLineWhenIdle oneByOne =
        new BlankLineWhenIdle(new java.io.BufferedInputStream(new java.io.ByteArrayInputStream(text)));
    for (int b = oneByOne.read(); b >= 0; b = oneByOne.read()) {
      bytes.write(b);
    }
    // (the last line feed is the blank line added when the input has no more bytes ready, as a pipe's pause)
    assertEquals("x,y\n1,2\n3,\"a\rb\"\n\n4,5\n\n", new String(blocks, StandardCharsets.UTF_8));
    assertArrayEquals(blocks, bytes.toByteArray());
  }

  @Test
  void aCarriageReturnInAQuotedCellIsKept() throws IOException {
    // bare carriage returns outside quotes reach the parser as line feeds; a quoted cell's are its own bytes
    Path cr = write("quoted-cr.csv", "1,2\r1,\"a\rb\"\r");
    assertMalformed(cr, () -> Csv.read(cr), "line 2, column 2", "'a\\u000Db'");
    Path crlf = write("quoted-crlf.csv", "1,2\r\n1,\"a\"\"\r\nb\"\r\n");
    assertMalformed(crlf, () -> Csv.read(crlf), "line 2, column 2", "'a\"\\u000D\\u000Ab'");
    // text whose first bytes are \r\n and a zero byte is read as before, as UTF-8 (here a header and a row):
    // given as \n and a zero byte, the parser's encoding detection would take it for UTF-16
    Path zero = write("crlf-zero.csv", "\r\n\0x\n5\n");
    float[][] rows = Csv.readRows(zero, ',');
    assertEquals(1, rows.length);
    assertArrayEquals(new float[] {5f}, rows[0]);
  }

  private static void assertHandedOverWhileThePipeWaits(String[] sent, String[] answers, String bad, String badLine)
      throws Exception {
    java.io.PipedOutputStream client = new java.io.PipedOutputStream();
    java.io.PipedInputStream pipe = new java.io.PipedInputStream(client, 1 << 16);
    var handed = new java.util.concurrent.LinkedBlockingQueue<String>();
    var reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        Csv.forEachRow(pipe, Path.of("(pipe)"), ',', (values, line) -> handed.add(line + ":" + values[0]));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    for (int i = 0; i < sent.length; i++) {
      client.write(sent[i].getBytes(StandardCharsets.US_ASCII));
      client.flush();
      if (answers[i] != null) {
        assertEquals(answers[i], handed.poll(20, java.util.concurrent.TimeUnit.SECONDS),
            "the row of " + sent[i].strip() + " while the pipe waits");
      }
    }
    // an error after the pauses names the line sent
    client.write(bad.getBytes(StandardCharsets.US_ASCII));
    client.close();
    var e = assertThrows(java.util.concurrent.ExecutionException.class, () -> reader.get(20,
        java.util.concurrent.TimeUnit.SECONDS));
    Throwable cause = e.getCause().getCause(); // through the UncheckedIOException of the lambda
    assertTrue(cause instanceof DataFormatException d && d.getMessage().contains(badLine), cause::toString);
    assertTrue(handed.isEmpty(), handed::toString);
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void wideTextThroughAPipeThatPausesAtEachLineEndReadsAsWritten() throws Exception {
    // a line feed of UTF-16 or UTF-32 text is several bytes: no blank line of one byte is added to it
    String text = "a,b\n1,2\n3,4\n";
    for (java.nio.charset.Charset cs : java.util.List.of(StandardCharsets.UTF_16, StandardCharsets.UTF_16LE,
        StandardCharsets.UTF_16BE, java.nio.charset.Charset.forName("UTF-32BE"))) {
      java.io.PipedOutputStream client = new java.io.PipedOutputStream();
      java.io.PipedInputStream pipe = new java.io.PipedInputStream(client, 1 << 16);
      java.util.List<String> rows = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
      var reader = java.util.concurrent.CompletableFuture.runAsync(() -> {
        try {
          Csv.forEachRow(pipe, Path.of("wide.csv"), ',', (values, line) -> rows.add(line + ":" + values[0] + "," + values[1]));
        } catch (IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      });
      byte[] bytes = text.getBytes(cs);
      byte[] lineFeed = "\n".getBytes(cs.name().equals("UTF-16") ? StandardCharsets.UTF_16BE : cs);
      for (int from = 0, i = 0; i < bytes.length; i++) {
        boolean lineEnd = i + lineFeed.length <= bytes.length
            && java.util.Arrays.equals(bytes, i, i + lineFeed.length, lineFeed, 0, lineFeed.length);
        // a pause after each byte of a line feed: the reader has taken what came
        if (lineEnd || i == bytes.length - 1) {
          int to = lineEnd ? i + lineFeed.length : bytes.length;
          for (int b = from; b < to; b++) {
            client.write(bytes[b]);
            client.flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (pipe.available() > 0 && System.nanoTime() < deadline) {
              Thread.sleep(1);
            }
            Thread.sleep(2);
          }
          from = to;
          i = to - 1;
        }
      }
      client.close();
      reader.get(20, java.util.concurrent.TimeUnit.SECONDS);
      assertEquals(java.util.List.of("2:1.0,2.0", "3:3.0,4.0"), rows, cs.name());
    }
  }

  @Test
  void anIdxFileIsNamedAsSuch() throws IOException {
    byte[] images = IdxFiles.idx(new int[] {2, 2, 2}, IdxFiles.ramp(8));
    for (byte[] bytes : new byte[][] {images, gzip(images)}) {
      Path f = Files.write(dir.resolve("t10k-images-idx3-ubyte"), bytes);
      assertMalformed(f, () -> Csv.read(f), "is an IDX file (it starts with 00 00 08 03", "not CSV text");
    }
    // IDX files of other element types (signed bytes, shorts, ints, floats, doubles) too: a float one read
    // as UTF-16 text of one column, its message quoting a Malayalam letter (U+0D03) among zero characters
    for (int type : new int[] {0x09, 0x0b, 0x0c, 0x0d, 0x0e}) {
      byte[] other = images.clone();
      other[2] = (byte) type;
      Path f = Files.write(dir.resolve("floats-idx3"), other);
      assertMalformed(f, () -> Csv.read(f), String.format("is an IDX file (it starts with 00 00 %02x 03", type));
      assertMalformed(f, () -> Csv.readRows(f, ','), "is an IDX file");
    }
    // three bytes of the magic number are enough: an IDX file cut short is still named as one
    Path cut = Files.write(dir.resolve("cut-idx3"), new byte[] {0, 0, 8});
    assertMalformed(cut, () -> Csv.read(cut), "is an IDX file (it starts with 00 00 08,", "not CSV text");
  }

  @Test
  void aSkippedColumnIsNotReadAndRowsComeWithoutIt() throws IOException {
    // the label of rows to predict may be a class name, or nothing yet
    Path f = Files.writeString(dir.resolve("skip.csv"), "x,y,label\n1,2,cat\n3,4,\n5,6,7\n");
    java.util.List<float[]> rows = new java.util.ArrayList<>();
    Csv.forEachRow(Files.newInputStream(f), f, ',', -1, (values, line) -> rows.add(values.clone()));
    assertEquals(3, rows.size());
    assertArrayEquals(new float[] {1, 2}, rows.get(0));
    assertArrayEquals(new float[] {3, 4}, rows.get(1));
    assertArrayEquals(new float[] {5, 6}, rows.get(2));
    rows.clear();
    Path first = Files.writeString(dir.resolve("skip-first.csv"), "dog,1,2\n,3,4\n");
    Csv.forEachRow(Files.newInputStream(first), first, ',', 0, (values, line) -> rows.add(values.clone()));
    assertArrayEquals(new float[] {3, 4}, rows.get(1));
    // the other columns are read as ever
    Path bad = Files.writeString(dir.resolve("skip-bad.csv"), "1,2,cat\n3,x,dog\n");
    assertMalformed(bad, () -> Csv.forEachRow(Files.newInputStream(bad), bad, ',', 2, (v, line) -> { }),
        "line 2, column 2", "'x' is not a number");
    assertMalformed(bad, () -> Csv.forEachRow(Files.newInputStream(bad), bad, ',', 3, (v, line) -> { }),
        "label column 3 does not exist: rows have 3 columns");
  }

  @Test
  void blankTrailingLinesAndNoFinalNewline() throws IOException {
    Dataset a = Csv.read(write("blank.csv", "1,2\n0,3\n\n"));
    assertEquals(2, a.size());
    assertRow(a, 1, 0, 3f);
    Dataset b = Csv.read(write("nonl.csv", "1,2\n0,3"));
    assertEquals(2, b.size());
    assertRow(b, 1, 0, 3f);
    // spaces and tabs make a blank line; a control character does not, as it is no number in a cell either
    assertEquals(2, Csv.readRows(write("spaces.csv", "1\n \t \u3000\n2\n"), ',').length);
    for (char c : new char[] {'\u000b', '\f', '\u001c', '\u001f'}) {
      Path f = write("control.csv", "1\n" + c + "\n2\n");
      assertMalformed(f, () -> Csv.readRows(f, ','), "line 2, column 1: '\\u00" + String.format("%02X", (int) c)
          + "' is not a number");
    }
  }

  @Test
  void givenClassCount() throws IOException {
    Dataset d = Csv.read(write("c.csv", "1,2\n0,3\n"), Csv.Options.defaults().withClasses(7));
    assertEquals(7, d.classCount());
    assertRow(d, 0, 1, 2f);
  }

  @Test
  void oneGivenClass() throws IOException {
    Dataset d = Csv.read(write("one-class.csv", "0,2\n0,3\n"), Csv.Options.defaults().withClasses(1));
    assertEquals(1, d.classCount());
    assertRow(d, 1, 0, 3f);
  }

  @Test
  void regressionTargetsNeedNotBeClassIndices() throws IOException {
    Dataset d = Csv.read(write("neg-target.csv", "-2.5,1\n70000,2\n"), Csv.Options.defaults().asRegression());
    assertEquals(-2.5f, d.target(0, 0));
    assertEquals(70000f, d.target(1, 0));
  }

  @Test
  void otherSeparatorAndQuotes() throws IOException {
    Path f = write("semi.csv", "\"label\";\"x\"\n\"1\";\" 2.5\"\n0;3\n");
    Dataset d = Csv.read(f, new Csv.Options(0, 0, false, ';'));
    assertRow(d, 0, 1, 2.5f);
    assertRow(d, 1, 0, 3f);
  }

  @Test
  void regressionGivesTargets() throws IOException {
    Path f = write("r.csv", "x,target\n1,-0.5\n2,2.75\n3,1e3\n");
    Dataset d = Csv.read(f, Csv.Options.defaults().withLabelColumn(-1).asRegression());
    assertFalse(d.hasLabels());
    assertEquals(3, d.size());
    assertEquals(1, d.targetCount());
    assertEquals(1, d.featureCount());
    assertEquals(-0.5f, d.target(0, 0));
    assertEquals(2.75f, d.target(1, 0));
    assertEquals(1000f, d.target(2, 0));
    assertArrayEquals(new float[] {3f}, d.row(2));
    assertThrows(IllegalStateException.class, () -> d.label(0));
  }

  // ---- malformed files, one kind each

  @Test
  void emptyFile() throws IOException {
    Path f = write("empty.csv", "");
    assertMalformed(f, () -> Csv.read(f), "no data rows");
  }

  @Test
  void aByteOrderMarkAloneIsAnEmptyFile() throws IOException {
    Path f = write("bom.csv", "\uFEFF");
    assertMalformed(f, () -> Csv.read(f), "no data rows");
    // UTF-16's and UTF-32's too: the 2 bytes of UTF-16's were too few for the parser's encoding detection,
    // and read as "not UTF-8 text at or after line 1: Invalid UTF-8 start byte 0xff (at char #1, byte #-1)"
    for (byte[] mark : new byte[][] {{(byte) 0xff, (byte) 0xfe}, {(byte) 0xfe, (byte) 0xff},
        {0, 0, (byte) 0xfe, (byte) 0xff}, {(byte) 0xff, (byte) 0xfe, 0, 0}}) {
      Path g = Files.write(dir.resolve("wide-bom.csv"), mark);
      assertMalformed(g, () -> Csv.read(g), g + ": holds no data rows");
      assertMalformed(g, () -> Csv.forEachRow(new java.io.ByteArrayInputStream(mark), g, ',', (v, l) -> {}),
          g + ": holds no data rows");
    }
  }

  @Test
  void headerOnly() throws IOException {
    Path f = write("header.csv", "label,x,y\n");
    assertMalformed(f, () -> Csv.read(f), "no data rows");
  }

  @Test
  void lineWithAnotherColumnCount() throws IOException {
    Path f = write("ragged.csv", "label,x,y\n1,2,3\n0,4\n1,5,6\n");
    assertMalformed(f, () -> Csv.read(f), "line 3 ", "2 columns", "expected 3");
  }

  @Test
  void nonNumericValue() throws IOException {
    Path f = write("word.csv", "1,2,3\n0,4,5\n1,six,7\n");
    assertMalformed(f, () -> Csv.read(f), "line 3,", "column 2", "'six'", "not a number");
  }

  @Test
  void javaNumberSyntaxIsNotANumber() throws IOException {
    Path f = write("suffix.csv", "1,2\n0,3f\n");
    assertMalformed(f, () -> Csv.read(f), "line 2,", "column 2", "'3f'", "not a number");
    Path g = write("double.csv", "1,2\n1d,3\n");
    assertMalformed(g, () -> Csv.read(g), "line 2,", "column 1", "'1d'", "not a number");
    Path h = write("hex.csv", "1,2\n0,0x1p3\n");
    assertMalformed(h, () -> Csv.read(h), "line 2,", "column 2", "'0x1p3'", "not a number");
    // the upper-case spellings too
    for (String cell : new String[] {"3F", "3D", "0X1P3"}) {
      Path u = write("upper.csv", "1,2\n0," + cell + "\n");
      assertMalformed(u, () -> Csv.read(u), "line 2,", "column 2", "'" + cell + "'", "not a number");
    }
    // nor is a first line of them numbers: it is taken as a header and the data row is read
    Dataset d = Csv.read(write("suffix-header.csv", "0d,1f\n1,2\n"));
    assertEquals(1, d.size());
    assertRow(d, 0, 1, 2f);
  }

  @Test
  void aFirstLineWithNumbersIsDataSoItsBadCellIsAnError() throws IOException {
    // an empty or mistyped cell in the first row used to make it a "header", silently dropped
    Path f = write("first-bad.csv", "2,1.5,,3.0\n0,0.1,0.2,0.1\n");
    assertMalformed(f, () -> Csv.read(f), "line 1,", "column 3", "'' is not a number", "header only when none");
    Path g = write("first-typo.csv", "2,1.5,2x,3.0\n0,0.1,0.2,0.1\n");
    assertMalformed(g, () -> Csv.read(g), "line 1,", "column 3", "'2x'");
    // the first row after blank lines is the one that may be a header, and gets the hint (streamed rows too)
    Path b = write("blank-then-bad.csv", "\n\r\n2,1.5,,3.0\n0,0.1,0.2,0.1\n");
    assertMalformed(b, () -> Csv.read(b), "line 3,", "column 3", "'' is not a number", "header only when none");
    assertMalformed(b, () -> Csv.forEachRow(Files.newInputStream(b), b, ',', (values, line) -> { }), "line 3,",
        "header only when none");
    // a header names every column, empty names included
    assertEquals(1, Csv.read(write("named.csv", "label,,x\n1,2,3\n")).size());
    // the hint about headers is for the first line only
    Path h = write("second-bad.csv", "2,1.5,0,3.0\n0,0.1,,0.1\n");
    DataFormatException e = assertMalformed(h, () -> Csv.read(h), "line 2,", "column 3", "'' is not a number");
    assertFalse(e.getMessage().contains("header"), e::getMessage);
  }

  @Test
  void labelsAreClassIndicesInDoublePrecision() throws IOException {
    for (String label : new String[] {"2.0000001", "0.99999999", "1e-50"}) {
      Path f = write("label.csv", "0,1\n" + label + ",2\n");
      assertMalformed(f, () -> Csv.read(f), "line 2, column 1", "label " + label, "not a class index");
    }
    assertEquals(3, Csv.read(write("label-ok.csv", "0,1\n3.0,2\n")).label(1));
    Path g = write("classes.csv", "0,1\n3,2\n");
    assertMalformed(g, () -> Csv.read(g, Csv.Options.defaults().withClasses(3)), "label 3 is not one of the 3 classes "
        + "expected (0 to 2)");
  }

  @Test
  void controlCharactersAndHugeValuesInCells() throws IOException {
    Path f = write("nul.csv", "0,1\n1,5\u0000\n");
    assertMalformed(f, () -> Csv.read(f), "line 2, column 2", "'5\\u0000' is not a number");
    // up to the last control character, U+001F, which Float.parseFloat trims as well
    Path us = write("unit-separator.csv", "0,1\n1,5\u001f\n");
    assertMalformed(us, () -> Csv.read(us), "line 2, column 2", "is not a number");
    // a space, one past it, and a tab are no part of a number: a hand-written file has them after its commas
    Dataset padded = Csv.read(write("padded.csv", "0, 1\n1,\t5 \n"));
    assertRow(padded, 0, 0, 1f);
    assertRow(padded, 1, 1, 5f);
    String huge = "x".repeat(100_000);
    Path g = write("huge.csv", "0,1\n1," + huge + "\n");
    DataFormatException e = assertMalformed(g, () -> Csv.read(g), "line 2, column 2", "'xxxxx");
    assertTrue(e.getMessage().length() < 300, "the value is cut in the message");
    Path gz = Files.write(dir.resolve("cut.csv.gz"), new byte[] {0x1f, (byte) 0x8b});
    assertMalformed(gz, () -> Csv.read(gz), "corrupt gzip header: the file ends inside it");
  }

  @Test
  void invisibleCharactersInACellAreShownEscaped() throws IOException {
    // a second byte-order mark (Jackson drops the first): quoted as it is, the message read "'0' is not a number"
    Path f = write("two-marks.csv", "\uFEFF\uFEFF0,1\n1,2\n");
    assertMalformed(f, () -> Csv.read(f), "line 1, column 1", "'\\uFEFF0' is not a number");
    // a right-to-left override would turn the rest of the message around on a terminal; a no-break space looks like one
    Path g = write("bidi.csv", "0,1\n1,\u202E2\u00A0\n");
    assertMalformed(g, () -> Csv.read(g), "line 2, column 2", "'\\u202E2\\u00A0' is not a number");
  }

  @Test
  void nonFiniteValue() throws IOException {
    Path f = write("nan.csv", "1,2,3\n0,4,NaN\n");
    assertMalformed(f, () -> Csv.read(f), "line 2,", "column 3", "NaN", "not finite");
    Path g = write("inf.csv", "1,2,3\n0,-Infinity,1\n");
    assertMalformed(g, () -> Csv.read(g), "line 2,", "column 2", "-Infinity", "not finite");
  }

  @Test
  void valueTooLargeForAFloat() throws IOException {
    Path f = write("big.csv", "1,2\n0,1e39\n");
    assertMalformed(f, () -> Csv.read(f), "line 2,", "column 2", "1e39",
        "not finite as a 32-bit float, whose largest value is 3.4028235E38");
    // past a double's range too: still a finite number, which the message called "not finite" alone
    Path g = write("bigger.csv", "1,2\n0,1e999\n");
    assertMalformed(g, () -> Csv.read(g), "line 2, column 2: 1e999 is not finite as a 32-bit float, whose largest "
        + "value is 3.4028235E38");
    Path h = write("digits.csv", "1,2\n0," + "9".repeat(400) + "\n");
    assertMalformed(h, () -> Csv.read(h), "line 2, column 2: 999", "is not finite as a 32-bit float");
    // the words for infinity and NaN are not numbers that a float is too small for
    for (String word : new String[] {"Infinity", "+Infinity", " -Infinity", "NaN", "-NaN"}) {
      Path w = write("word.csv", "1,2\n0," + word + "\n");
      DataFormatException e = assertMalformed(w, () -> Csv.read(w), "line 2, column 2: " + word.strip()
          + " is not finite");
      assertFalse(e.getMessage().contains("32-bit"), e.getMessage());
    }
  }

  @Test
  void negativeLabel() throws IOException {
    Path f = write("neg.csv", "x,label\n1,0\n2,1\n3,-1\n");
    assertMalformed(f, () -> Csv.read(f, Csv.Options.defaults().withLabelColumn(-1)), "line 4, column 2",
        "label -1 ", "not a class index");
  }

  @Test
  void fractionalLabel() throws IOException {
    Path f = write("frac.csv", "2.5,1\n1,1\n");
    assertMalformed(f, () -> Csv.read(f), "line 1, column 1", "label 2.5 ",
        "not a class index");
  }

  @Test
  void labelNotBelowTheGivenClassCount() throws IOException {
    Path f = write("classes.csv", "0,1\n3,1\n1,1\n");
    assertMalformed(f, () -> Csv.read(f, Csv.Options.defaults().withClasses(3)), "line 2, column 1",
        "label 3 ", "3 classes");
    // a class index written with many leading zeros is cut in the message, as any other value is
    Path z = write("zeros.csv", "0,1\n" + "0".repeat(10_000) + "3,1\n");
    DataFormatException e = assertMalformed(z, () -> Csv.read(z, Csv.Options.defaults().withClasses(3)),
        "line 2, column 1", "label 00000", "3 classes");
    assertTrue(e.getMessage().length() < 300, "the label is cut in the message: " + e.getMessage().length());
  }

  @Test
  void labelColumnThatDoesNotExist() throws IOException {
    Path f = write("cols.csv", "0,1,2\n1,1,2\n");
    assertMalformed(f, () -> Csv.read(f, Csv.Options.defaults().withLabelColumn(3)), "label column 3",
        "does not exist", "3 columns");
    assertMalformed(f, () -> Csv.read(f, Csv.Options.defaults().withLabelColumn(-4)), "label column -4",
        "does not exist", "3 columns");
  }

  @Test
  void singleColumn() throws IOException {
    Path f = write("one.csv", "1\n0\n");
    assertMalformed(f, () -> Csv.read(f), "line 1 ", "1 column", "at least one feature");
    // a line of one column quotes it: another separator, or bytes that are not CSV at all, show there
    Path tabs = write("tabs.csv", "0\t1\t2\n1\t3\t4\n");
    assertMalformed(tabs, () -> Csv.read(tabs), "line 1 has 1 column ('0\\u00091\\u00092'); a label and at least one");
    Path ragged = write("ragged-one.csv", "0,1,2\n1,3,4\n\\\n");
    assertMalformed(ragged, () -> Csv.read(ragged), "line 3 has 1 column ('\\'), expected 3");
  }

  @Test
  void labelTooLarge() throws IOException {
    Path f = write("large.csv", "0,1\n1,1\n65536,1\n");
    assertMalformed(f, () -> Csv.read(f), "line 3, column 1", "label 65536 ", "at most 65535");
    Path most = write("most.csv", "0,1\n65535,2\n");
    Dataset d = Csv.read(most);
    assertEquals(65536, d.classCount(), "65535 is the largest class index");
    assertRow(d, 1, 65535, 2f);
  }

  @Test
  void lineNumbersCountHeaderBlankAndMultiLineQuotedRows() throws IOException {
    Path f = write("lines.csv", "label,x,y\n1,2,3\n\n0,\"4\n\",5\n1,2,x\n");
    assertMalformed(f, () -> Csv.read(f), "line 6,", "column 3", "'x'");
    // the same with CRLF line ends, the quoted cell's included: "4\r\n" is the number 4
    Path crlf = write("lines-crlf.csv", "label,x,y\r\n1,2,3\r\n\r\n0,\"4\r\n\",5\r\n1,2,x\r\n");
    assertMalformed(crlf, () -> Csv.read(crlf), "line 6,", "column 3", "'x'");
    // and with bare carriage returns (old Mac line ends), or all three mixed
    Path cr = write("lines-cr.csv", "label,x,y\r1,2,3\r\r0,\"4\r\",5\r1,2,x\r");
    assertMalformed(cr, () -> Csv.read(cr), "line 6,", "column 3", "'x'");
    Path mixed = write("lines-mixed.csv", "label,x,y\r1,2,3\r\n\n0,\"4\r\r\n\",5\n\r1,2,x\r");
    assertMalformed(mixed, () -> Csv.read(mixed), "line 8,", "column 3", "'x'");
  }

  @Test
  void filesShorterThanTheParsersFirstLookNameTheirLines() throws IOException {
    // the parser's encoding detection reads 4 bytes before it parses any: the blank lines that make them up
    // at the end of a shorter file are not counted before its first line (which was called line 0)
    Path two = write("two-bytes.csv", "5\n");
    assertMalformed(two, () -> Csv.read(two), "line 1 has 1 column", "a label and at least one feature are needed");
    Path three = write("three-bytes.csv", "5,\n");
    assertMalformed(three, () -> Csv.read(three), "line 1, column 2", "'' is not a number");
    Path crlf = write("three-bytes-crlf.csv", "5\r\n");
    assertMalformed(crlf, () -> Csv.read(crlf), "line 1 has 1 column");
    Path cr = write("two-bytes-cr.csv", "5\r");
    assertMalformed(cr, () -> Csv.read(cr), "line 1 has 1 column");
  }

  @Test
  void unclosedQuote() throws IOException {
    Path f = write("quote.csv", "1,2\n0,\"3\n");
    assertMalformed(f, () -> Csv.read(f), "line 2:", "quote");
  }

  @Test
  void corruptGzip() throws IOException {
    byte[] b = gzip("1,2\n0,3\n1,4\n0,5\n1,6\n0,7\n".repeat(200).getBytes(StandardCharsets.UTF_8));
    Path f = Files.write(dir.resolve("cut.csv.gz"), java.util.Arrays.copyOf(b, b.length / 2));
    assertMalformed(f, () -> Csv.read(f), "corrupt gzip");
  }

  /**
   * A line of millions of cells (a file whose line breaks were lost) is refused as it is read: its cells
   * were held as strings first, about 50 bytes each, so a 10 MB file of one line ran out of a 128 MB
   * heap, and vmlp predict said to give the JVM more heap instead of naming the line.
   */
  @Test
  void aLineOfMillionsOfCellsIsRefusedAsItIsRead() throws IOException {
    Path f = write("joined.csv", "1,2\n" + "0,".repeat(3_000_000) + "0\n");
    com.sun.management.ThreadMXBean mx =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long before = mx.getCurrentThreadAllocatedBytes();
    assertMalformed(f, () -> Csv.read(f), "line 2 has more than 2 columns, expected 2");
    long allocated = mx.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated < 32L << 20, "reading a 6 MB file allocated " + allocated + " bytes");
    assertMalformed(f, () -> Csv.forEachRow(Files.newInputStream(f), f, ',', (v, line) -> { }),
        "line 2 has more than 2 columns, expected 2");

    // a first line may have as many features as a network has inputs, and the label
    int max = dev.vmlp.Architecture.MAX_WIDTH;
    Path widest = write("widest.csv", "1" + ",0".repeat(max) + "\n");
    assertEquals(max, Csv.read(widest).featureCount());
    Path wider = write("wider.csv", "1" + ",0".repeat(max + 1) + "\n");
    assertMalformed(wider, () -> Csv.read(wider), "line 1 has more than " + (max + 1) + " columns",
        "a network takes at most " + max + " inputs, and one column is the label");
    assertMalformed(widest, () -> Csv.readRows(widest, ','), "line 1 has more than " + max + " columns",
        "a network takes at most " + max + " inputs");
  }

  /**
   * A damaged byte inside gzip data decompresses without an error and shows only in the checksum at
   * the end, so the reader met it as a bad cell ("line 2: 'x' is not a number") and blamed the data. (In
   * a file that ends within the read-ahead, the checksum failed first.)
   */
  @Test
  void gzipDamageThatReadsAsABadCellIsNamedAsDamage() throws IOException {
    byte[] plain = ("1,2\n0,3\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("damaged.csv.gz"), IdxFiles.gzipDamaged(plain, 6, (byte) 'x')); // 3 -> x
    DataFormatException e = assertMalformed(f, () -> Csv.read(f), "corrupt gzip data", "CRC",
        "the damage read as: line 2");
    assertTrue(e.getCause() instanceof java.util.zip.ZipException, () -> "cause: " + e.getCause());
    assertMalformed(f, () -> Csv.readRows(f, ','), "corrupt gzip data", "line 2");
    assertMalformed(f, () -> Csv.forEachRow(Compressed.open(f), f, ',', (v, line) -> { }), "corrupt gzip data");
    // a stream that may never end is not read on to its checksum: the symptom stands
    DataFormatException symptom = assertMalformed(f,
        () -> Csv.forEachRow(Files.newInputStream(f), f, ',', (v, line) -> { }), "line 2");
    assertFalse(symptom.getMessage().contains("corrupt"), symptom::getMessage);
    // the same bad cell in gzip data that checks out is the file's own
    Path intact = Files.write(dir.resolve("intact.csv.gz"),
        gzip(("1,2\n0,x\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8)));
    DataFormatException own = assertMalformed(intact, () -> Csv.read(intact), "line 2");
    assertFalse(own.getMessage().contains("corrupt"), own::getMessage);
  }

  /**
   * A consumer's own error (predict's "rows have 5 columns, the model takes 4 inputs") is not gzip
   * damage: it was read on to the file's end, then reported as damage it "read as" when the file was
   * damaged further on, or failed with StringIndexOutOfBoundsException when it named a shorter path.
   */
  @Test
  void aConsumersErrorIsItsOwnAndDoesNotReadOnToTheChecksum() throws IOException {
    byte[] plain = ("1,2\n0,3\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("damaged-later.csv.gz"), IdxFiles.gzipDamaged(plain, 6, (byte) 'x')); // line 2
    DataFormatException mine = new DataFormatException(f, "rows have 2 columns, the model takes 4 inputs");
    DataFormatException e = assertThrows(DataFormatException.class,
        () -> Csv.forEachRow(Compressed.open(f), f, ',', (v, line) -> {
          throw mine;
        }));
    assertSame(mine, e);
    DataFormatException other = new DataFormatException(Path.of("m"), "the model's problem");
    DataFormatException o = assertThrows(DataFormatException.class,
        () -> Csv.forEachRow(Compressed.open(f), f, ',', (v, line) -> {
          throw other;
        }));
    assertSame(other, o);
  }

  /**
   * A consumer's error of any type stands as it is: an EOFException or ZipException of its own (a file
   * it reads itself) was reported as this plain file's "corrupt gzip data", a CharConversionException
   * as "not UTF-8 text", and an UncheckedIOException was unwrapped.
   */
  @Test
  void aConsumersIoErrorOfAnyTypeIsItsOwn() throws IOException {
    Path f = Files.write(dir.resolve("plain.csv"), "1,2\n0,3\n".getBytes(StandardCharsets.UTF_8));
    Exception[] own = {new java.io.EOFException("labels.idx ended"), new java.util.zip.ZipException("labels.gz damaged"),
        new java.io.CharConversionException("its own"), new java.io.UncheckedIOException(new IOException("its own")),
        new IllegalStateException("its own"), new IOException("its own")};
    for (Exception mine : own) {
      Exception e = assertThrows(Exception.class, () -> Csv.forEachRow(Compressed.open(f), f, ',', (v, line) -> {
        if (mine instanceof IOException io) {
          throw io;
        }
        throw (RuntimeException) mine;
      }));
      assertSame(mine, e, e::toString);
    }
  }

  /** Gzip is told by both magic bytes: a plain file whose first byte is 0x1f (as gzip's is) is plain text. */
  @Test
  void aPlainFileThatStartsWithGzipsFirstByteIsPlain() throws IOException {
    Dataset d = Csv.read(write("unit-separator.csv", "\u001flabel,x\n1,2\n"));
    assertEquals(1, d.size());
    assertRow(d, 0, 1, 2f);
  }

  /**
   * A named pipe is not a regular file: it may never end, so the symptom of gzip damage read from one
   * stands, and the pipe is not read on to the checksum.
   */
  @Test
  void gzipDamageReadFromAPipeIsNotReadOnToItsChecksum() throws Exception {
    Path pipe = dir.resolve("pipe.csv.gz");
    Process mkfifo;
    try {
      mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
    } catch (IOException e) {
      Assumptions.abort("no mkfifo: " + e);
      return;
    }
    Assumptions.assumeTrue(mkfifo.waitFor() == 0, "mkfifo failed");
    byte[] plain = ("1,2\n0,3\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    byte[] damaged = IdxFiles.gzipDamaged(plain, 6, (byte) 'x'); // 3 -> x
    Thread writer = new Thread(() -> {
      try {
        Files.write(pipe, damaged);
      } catch (IOException e) {
        // the reader closed the pipe before the end: expected
      }
    });
    writer.setDaemon(true);
    writer.start();
    DataFormatException symptom = assertMalformed(pipe, () -> Csv.read(pipe), "line 2", "'x' is not a number");
    assertFalse(symptom.getMessage().contains("corrupt"), symptom::getMessage);
    writer.join(10_000);
  }

  /** Damage that reads as a line Jackson refuses (a quoted cell run into the next) is named as damage too. */
  @Test
  void gzipDamageThatReadsAsAMalformedLineIsNamedAsDamage() throws IOException {
    byte[] plain = ("1,2\n\"0\",3\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("damaged-quote.csv.gz"), IdxFiles.gzipDamaged(plain, 7, (byte) 'x')); // , -> x
    DataFormatException e = assertMalformed(f, () -> Csv.read(f), "corrupt gzip data", "CRC",
        "the damage read as: line 2");
    assertTrue(e.getCause() instanceof java.util.zip.ZipException, () -> "cause: " + e.getCause());
    // read as a stream that may never end, the symptom stands
    DataFormatException symptom = assertMalformed(f,
        () -> Csv.forEachRow(Files.newInputStream(f), f, ',', (v, line) -> { }), "line 2", "separator");
    assertFalse(symptom.getMessage().contains("corrupt"), symptom::getMessage);
  }

  /**
   * Cut past the parser's first buffer, the gzip error reaches the reader wrapped by Jackson: it was
   * reported as a CSV line's fault ("line 9342: Unexpected end of ZLIB input stream").
   */
  @Test
  void corruptGzipPastTheFirstBufferIsNotBlamedOnALine() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      text.append(i % 3).append(',').append(i * 0.37f).append(',').append(i ^ 0x5a5a).append('\n');
    }
    byte[] b = gzip(text.toString().getBytes(StandardCharsets.UTF_8));
    Path f = Files.write(dir.resolve("cut-late.csv.gz"), java.util.Arrays.copyOf(b, b.length / 2));
    DataFormatException e = assertMalformed(f, () -> Csv.read(f), "corrupt gzip data after line ");
    assertTrue(e.getCause() instanceof java.io.EOFException || e.getCause() instanceof java.util.zip.ZipException,
        () -> "cause: " + e.getCause());
    assertMalformed(f, () -> Csv.forEachRow(Files.newInputStream(f), f, ',', (v, line) -> { }),
        "corrupt gzip data after line ");
  }

  /**
   * Bytes that are not UTF-8 are a format error naming the file: in the parser's first buffer (a file
   * whose gzip magic was damaged, a binary file) Jackson's CharConversionException escaped bare, naming
   * nothing ("Invalid UTF-8 start byte 0xfd (at char #1, byte #-1)"); later, it blamed the line being
   * parsed, though the decoder works ahead of the parser (a bad byte on line 2 was "line 1").
   */
  @Test
  void bytesThatAreNotUtf8AreNamedAsSuch() throws IOException {
    Path first = Files.write(dir.resolve("magic.csv.gz"), new byte[] {(byte) 0xfd, (byte) 0x8b, 8, 0, 0, 0});
    assertMalformed(first, () -> Csv.read(first), "not UTF-8 text at or after line 1", "0xfd");
    assertMalformed(first, () -> Csv.forEachRow(Files.newInputStream(first), first, ',', (v, line) -> { }),
        "not UTF-8 text at or after line 1");
    Path later = Files.write(dir.resolve("later.csv"), new byte[] {'1', ',', '2', '\n', (byte) 0xff, '\n'});
    DataFormatException e = assertMalformed(later, () -> Csv.read(later), "not UTF-8 text at or after line 1",
        "0xff");
    assertTrue(e.getCause() instanceof java.io.CharConversionException, () -> "cause: " + e.getCause());
    // UTF-32 text (its mark, then a code point past Unicode's, or a character cut short) is not UTF-32: it
    // was called "not UTF-8 text", which the file never claimed to be
    byte[] text = "\uFEFF1,2\n".getBytes(Charset.forName("UTF-32LE"));
    Path beyond = Files.write(dir.resolve("beyond.csv"), concat(text, new byte[] {0, 0, 0x11, 0}));
    assertMalformed(beyond, () -> Csv.read(beyond), "beyond.csv: not UTF-32 text at or after line 1",
        "Invalid UTF-32 character");
    Path cut = Files.write(dir.resolve("cut-utf32.csv"), concat(text, new byte[] {'0', 0}));
    assertMalformed(cut, () -> Csv.forEachRow(Files.newInputStream(cut), cut, ',', (v, line) -> { }),
        "cut-utf32.csv: not UTF-32 text at or after line ");
    // too short for the parser to tell its encoding, a UTF-16 mark and one byte are decoded as UTF-8
    Path shortWide = Files.write(dir.resolve("short-wide.csv"), new byte[] {(byte) 0xff, (byte) 0xfe, '1'});
    assertMalformed(shortWide, () -> Csv.read(shortWide), "short-wide.csv: not UTF-8 text at or after line 1",
        "Invalid UTF-8 start byte 0xff");
  }

  /**
   * Bytes that are not UTF-16 in UTF-16 text (big- or little-endian, with its mark or told by its zero
   * bytes) are named as such, with the file, the line and the byte: the JDK's UTF-16 decoder that the
   * parser used replaced them with U+FFFD, so the row was refused as "'\uFFFD' is not a number", or for
   * its columns (a high surrogate took the separator after it), or in a header or a skipped column passed.
   */
  @Test
  void bytesThatAreNotUtf16AreNamedAsSuch() throws IOException {
    for (boolean bigEndian : new boolean[] {true, false}) {
      Charset cs = bigEndian ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE;
      byte[] mark = "\uFEFF".getBytes(cs);
      byte[] low = bigEndian ? new byte[] {(byte) 0xdc, 0} : new byte[] {0, (byte) 0xdc};
      byte[] high = bigEndian ? new byte[] {(byte) 0xd8, 0} : new byte[] {0, (byte) 0xd8};
      String name = cs.name() + "-";
      Path lone = Files.write(dir.resolve(name + "low.csv"),
          concat(mark, concat("1,2\n0,".getBytes(cs), concat(low, "\n".getBytes(cs)))));
      assertMalformed(lone, () -> Csv.read(lone), "low.csv: not UTF-16 text at or after line 2",
          "0xdc00", "low surrogate", "at byte offset 14"); // the mark and "1,2\n0," before it
      // a high surrogate took the separator after it: the row was one column short
      Path unpaired = Files.write(dir.resolve(name + "high.csv"),
          concat(mark, concat("1,2\n0,3\n".getBytes(cs), concat(high, ",4\n".getBytes(cs)))));
      assertMalformed(unpaired, () -> Csv.read(unpaired), "high.csv: not UTF-16 text at or after line 2",
          "0xd800", "high surrogate", "at byte offset 18");
      // without a mark (told by its zero bytes), and a character cut short at the end
      Path cut = Files.write(dir.resolve(name + "cut.csv"), concat("1,2\n0,3\n".getBytes(cs), new byte[] {'4'}));
      assertMalformed(cut, () -> Csv.read(cut), "cut.csv: not UTF-16 text at or after line 2",
          "ends 1 byte into a character, at byte offset 16");
      // in a header, and in a column that is skipped, bad bytes were read as U+FFFD and passed
      Path header = Files.write(dir.resolve(name + "header.csv"),
          concat(mark, concat("y,x".getBytes(cs), concat(low, "\n1,2\n".getBytes(cs)))));
      assertMalformed(header, () -> Csv.read(header), "header.csv: not UTF-16 text at or after line 1", "0xdc00");
      Path skipped = Files.write(dir.resolve(name + "skipped.csv"),
          concat(mark, concat("1,cat\n2,".getBytes(cs), concat(low, "\n".getBytes(cs)))));
      java.util.List<String> rows = new java.util.ArrayList<>();
      assertMalformed(skipped, () -> Csv.forEachRow(Files.newInputStream(skipped), skipped, ',', -1,
          (v, line) -> rows.add(line + ":" + v[0])), "skipped.csv: not UTF-16 text at or after line 2", "0xdc00");
      assertEquals(java.util.List.of("1:1.0"), rows, "the row before the bad bytes is handed over");
      // gzip-compressed alike; good UTF-16 text still reads
      Path gz = Files.write(dir.resolve(name + "low.csv.gz"), gzip(Files.readAllBytes(lone)));
      assertMalformed(gz, () -> Csv.read(gz), "not UTF-16 text at or after line 2", "at byte offset 14");
      Path good = Files.write(dir.resolve(name + "good.csv"), concat(mark, "y,x\uD835\uDFD1\n1,2\n0,3\n".getBytes(cs)));
      Dataset d = Csv.read(good); // a surrogate pair (U+1D7D1) in the header is a character
      assertEquals(2, d.size());
      assertRow(d, 1, 0, 3f);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }

  /** Gzip damage that reads as a byte that is not UTF-8 is named as damage, not as the file's text. */
  @Test
  void gzipDamageThatReadsAsABadByteIsNamedAsDamage() throws IOException {
    byte[] plain = ("1,2\n0,3\n" + "1,4\n".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
    Path f = Files.write(dir.resolve("damaged-utf8.csv.gz"), IdxFiles.gzipDamaged(plain, 6, (byte) 0xff)); // 3 -> 0xff
    DataFormatException e = assertMalformed(f, () -> Csv.read(f), "corrupt gzip data", "CRC",
        "the damage read as: not UTF-8 text");
    assertTrue(e.getCause() instanceof java.util.zip.ZipException, () -> "cause: " + e.getCause());
  }
}
