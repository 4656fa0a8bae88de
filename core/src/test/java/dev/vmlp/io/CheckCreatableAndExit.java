package dev.vmlp.io;

import dev.vmlp.internal.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;

/** Runs {@link AtomicFiles#checkCreatable} on {@code args[0]}, prints what it threw, and returns from main. */
final class CheckCreatableAndExit {
  private CheckCreatableAndExit() {}

  public static void main(String[] args) {
    Path f = Path.of(args[0]);
    try {
      AtomicFiles.checkCreatable(f, f.toAbsolutePath());
      System.out.println("created and removed");
    } catch (IOException e) {
      System.out.println(e.getMessage());
    }
  }
}
