package dev.vmlp.cli.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Report files are written whole or not at all, and a failed write says so. */
class AtomicWriteTest {
  @TempDir
  Path tmp;

  List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  @Test
  void replacesTheFileAndLeavesNothingElse() throws IOException {
    Path f = Files.writeString(tmp.resolve("summary.md"), "old");
    AtomicWrite.text(f, "new µs");
    assertEquals("new µs", Files.readString(f));
    assertEquals(List.of("summary.md"), names());
  }

  @Test
  void aPrintErrorFailsTheWriteAndKeepsTheOldFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("results.json"), "old");
    IOException e = assertThrows(IOException.class, () -> AtomicWrite.print(f, out -> {
      out.print("[half");
      out.close(); // what a full disk does to a PrintStream: the next print fails, silently
      out.print(" of it]");
    }));
    assertEquals(f + ": cannot be written (a write failed: a full disk?)", e.getMessage()); // named once
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("results.json"), names());
  }

  @Test
  void aPairWhoseSecondFileFailsKeepsBothOldFilesAndNamesTheSecondOnce() throws IOException {
    Path page = Files.writeString(tmp.resolve("index.html"), "old page");
    Path summary = Files.writeString(tmp.resolve("summary.md"), "old summary");
    IOException e = assertThrows(IOException.class, () -> AtomicWrite.prints(page, out -> out.print("new page"),
        summary, out -> {
          out.print("# half");
          out.close(); // a full disk, as above
          out.print(" of it");
        }));
    // the summary failed, not the page: "index.html: cannot be written: summary.md: ..." named the wrong file first
    assertEquals(summary + ": cannot be written (a write failed: a full disk?)", e.getMessage());
    assertPair("old page", "old summary");
  }

  /** The folder holds the page and the summary with these contents, and nothing else. */
  void assertPair(String page, String summary) throws IOException {
    assertEquals(page, Files.readString(tmp.resolve("index.html")));
    assertEquals(summary, Files.readString(tmp.resolve("summary.md")));
    assertEquals(List.of("index.html", "summary.md"), names());
  }

  @Test
  void aPairWritesItsSecondFileOnceTheFirstIsWholeAndBeforeItIsRenamed() throws IOException {
    Path page = Files.writeString(tmp.resolve("index.html"), "old page");
    Files.setPosixFilePermissions(page, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r-----"));
    Path summary = tmp.resolve("summary.md");
    List<String> seen = new java.util.ArrayList<>();
    AtomicWrite.prints(page, out -> out.print("new page"), summary, out -> {
      try (Stream<Path> s = Files.list(tmp)) {
        for (Path p : s.filter(p -> p.getFileName().toString().startsWith(".index.html.")).toList()) {
          // the page's temporary file: all of it there, and the old page's permissions already given
          seen.add(Files.readString(p) + " " + java.nio.file.attribute.PosixFilePermissions.toString(
              Files.getPosixFilePermissions(p)));
        }
        seen.add(Files.readString(page));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
      out.print("new summary");
    });
    assertEquals(List.of("new page rw-r-----", "old page"), seen, "while the summary is written");
    assertPair("new page", "new summary");
  }

  @Test
  void aWriterThatThrowsKeepsTheOldFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("index.html"), "old");
    assertThrows(IllegalStateException.class, () -> AtomicWrite.print(f, out -> {
      out.print("<html>");
      throw new IllegalStateException("chart failed");
    }));
    assertEquals("old", Files.readString(f));
    assertEquals(List.of("index.html"), names());
  }

  @Test
  void aMissingFolderIsNamedWithTheFile() {
    Path f = tmp.resolve("no/such/machine.json");
    IOException e = assertThrows(IOException.class, () -> AtomicWrite.text(f, "{}"));
    assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
  }

  @Test
  void aLinkStaysALinkAndItsFileIsReplaced() throws IOException {
    Path real = Files.writeString(tmp.resolve("real.md"), "old");
    Path link = Files.createSymbolicLink(tmp.resolve("summary.md"), real.getFileName());
    AtomicWrite.text(link, "new");
    assertTrue(Files.isSymbolicLink(link));
    assertEquals("new", Files.readString(real));
    assertEquals(List.of("real.md", "summary.md"), names());
    Path dangling = Files.createSymbolicLink(tmp.resolve("index.html"), Path.of("gone/index.html"));
    IOException e = assertThrows(IOException.class, () -> AtomicWrite.text(dangling, "<html>"));
    assertEquals(dangling + ": is a link to " + tmp.resolve("gone/index.html") + ", which does not exist",
        e.getMessage());
    assertTrue(Files.isSymbolicLink(dangling), "the link is left as it was");
  }
}
