package dev.vmlp.data;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleFinder;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The jars that Maven gives an application depending on vmlp-core resolve as modules: the core jar
 * names itself {@code dev.vmlp.core} so that a modular application can require it, and that application
 * then puts core's dependencies on its module path too, where every module they require must be there.
 */
class DependencyModulesTest {
  /** Core's runtime dependencies on this test's class path (Jackson, Commons Compress and theirs). */
  private static Path[] runtimeJars() {
    return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
        .filter(p -> p.endsWith(".jar"))
        .filter(p -> p.contains("/com/fasterxml/jackson/") || p.contains("/org/apache/commons/")
            || p.contains("/commons-io/") || p.contains("/commons-codec/"))
        .map(Path::of)
        .toArray(Path[]::new);
  }

  @Test
  void theReadersDependenciesResolveAsModules() {
    Path[] jars = runtimeJars();
    assertTrue(Arrays.stream(jars).anyMatch(p -> p.toString().contains("commons-compress")),
        "commons-compress is not on the class path: " + List.of(jars));
    assertFalse(ModuleFinder.of(jars).find("org.apache.commons.compress").isEmpty());
    // Commons Compress's module-info requires commons-codec (for its lz4 and snappy streams): without
    // it on the module path the boot layer does not start
    assertDoesNotThrow(() -> Configuration.resolve(ModuleFinder.of(jars),
        List.of(ModuleLayer.boot().configuration()), ModuleFinder.of(),
        Set.of("org.apache.commons.compress", "com.fasterxml.jackson.dataformat.csv")));
  }
}
