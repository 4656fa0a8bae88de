package dev.vmlp.internal.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replacement itself, without a model: the hook that runs before the rename, the messages of a
 * failed write, a new file's permissions, and links that lead somewhere.
 */
class AtomicFilesTest {
  @TempDir
  Path tmp;

  private static AtomicFiles.Body text(String s) {
    return ch -> ch.write(ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8)));
  }

  private List<Path> files() throws IOException {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.sorted().toList();
    }
  }

  @Test
  void theStepBeforeTheRenameRunsOnceTheNewFileIsWholeAndItsFailureKeepsTheOldFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("report.md"), "old");
    List<String> seen = new ArrayList<>();
    AtomicFiles.replace(f, f.toAbsolutePath(), text("new"), () -> {
      seen.add(Files.readString(f));
      try (Stream<Path> files = Files.list(tmp)) {
        for (Path p : files.filter(p -> !p.equals(f)).toList()) {
          seen.add(Files.readString(p));
        }
      }
    });
    assertEquals(List.of("old", "new"), seen, "the target, then the whole new file beside it");
    assertEquals("new", Files.readString(f));

    IOException failure = new IOException("other.md: cannot be replaced");
    IOException e = assertThrows(IOException.class,
        () -> AtomicFiles.replace(f, f.toAbsolutePath(), text("newer"), () -> {
          throw failure;
        }));
    assertSame(failure, e, "passed on as it is");
    assertEquals("new", Files.readString(f));
    assertEquals(List.of(f), files(), "no temporary file is left");
  }

  @Test
  void aFailedWriteNamesTheFileOnceAndWhatFailed() throws IOException {
    Path f = tmp.resolve("m.safetensors");
    IOException bare = assertThrows(IOException.class, () -> AtomicFiles.replace(f, f.toAbsolutePath(), ch -> {
      throw new IOException();
    }));
    assertEquals(f + ": cannot be written: IOException", bare.getMessage());
    IOException named = assertThrows(IOException.class, () -> AtomicFiles.replace(f, f.toAbsolutePath(), ch -> {
      throw new IOException(f + ": the disk is full");
    }));
    assertEquals(f + ": the disk is full", named.getMessage(), "a message that names the file is kept");
    IOException unnamed = assertThrows(IOException.class, () -> AtomicFiles.replace(f, f.toAbsolutePath(), ch -> {
      throw new IOException("No space left on device");
    }));
    assertEquals(f + ": cannot be written: No space left on device", unnamed.getMessage());
    assertEquals(List.of(), files());
  }

  @Test
  void aNewFileHasTheFoldersDefaultPermissions() throws IOException {
    Path f = tmp.resolve("new.safetensors");
    AtomicFiles.replace(f, f.toAbsolutePath(), text("x"));
    Path plain = Files.createFile(tmp.resolve("plain"));
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
  }

  @Test
  void aFolderThatIsAFileIsNamedWithTheSystemsReason() throws IOException {
    Path notAFolder = Files.writeString(tmp.resolve("models"), "a file");
    Path f = notAFolder.resolve("m.safetensors");
    FileSystemException e = assertThrows(FileSystemException.class,
        () -> AtomicFiles.checkCreatable(f, f.toAbsolutePath()));
    assertEquals(f + ": cannot create a file in " + notAFolder.toAbsolutePath() + " (Not a directory)",
        e.getMessage());
  }

  @Test
  void aLinkThatLeadsToAFolderOrFileIsNoDanglingLink() throws IOException {
    Path models = Files.createDirectory(tmp.resolve("models"));
    Path file = Files.writeString(models.resolve("m.safetensors"), "x");
    Path toFolder = Files.createSymbolicLink(tmp.resolve("current"), models);
    Path toFile = Files.createSymbolicLink(tmp.resolve("latest.safetensors"), file);
    assertNull(AtomicFiles.danglingLink(toFolder));
    assertNull(AtomicFiles.danglingLink(toFolder.resolve("m.safetensors")));
    assertNull(AtomicFiles.danglingLink(toFolder.resolve("new.safetensors")), "a missing file in a real folder");
    assertNull(AtomicFiles.danglingLink(toFile));
    assertEquals(file.toRealPath(), AtomicFiles.linkTarget(toFile));
    Path gone = Files.createSymbolicLink(tmp.resolve("gone"), tmp.resolve("nothing"));
    assertEquals(gone, AtomicFiles.danglingLink(gone.resolve("m.safetensors")));
  }
}
