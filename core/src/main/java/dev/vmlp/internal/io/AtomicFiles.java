package dev.vmlp.internal.io;

import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file whole or not at all: the content goes to a new temporary file in the target's folder,
 * is forced to the disk and renamed over the target, and the folder is forced so that the rename lasts.
 * A reader sees the old file or the new one, never half of one; a failed write leaves the old file and
 * no temporary one, and so does a JVM that exits while a write is under way (Ctrl-C, SIGTERM,
 * {@code System.exit}): a shutdown hook gives such writes up to {@link #EXIT_WAIT_SECONDS} (30 s) to end
 * and removes the temporary files of those still running.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes a file's content into the channel of the temporary file. */
  @FunctionalInterface
  public interface Body {
    void write(FileChannel ch) throws IOException;
  }

  /**
   * Replaces {@code target} (or creates it) with what {@code body} writes. A replaced file's POSIX
   * permissions and group carry over to the new one, which has no permission beyond them but its
   * owner's read and write while it is written; where the group cannot be kept (a group the user is
   * not in), group and others get only what both had. Its owner carries over where the user may give a
   * file away (root).
   *
   * @param file the path as the caller named it, for messages
   * @param target the absolute path that is replaced (a link's target, say)
   * @throws IOException naming {@code file} when the temporary file cannot be created, or as the write,
   *     the sync or the rename fails; the temporary file is gone then
   */
  public static void replace(Path file, Path target, Body body) throws IOException {
    replace(file, target, body, () -> {});
  }

  /** What runs once a new file is whole on the disk, just before it is renamed over its target. */
  @FunctionalInterface
  public interface BeforeMove {
    void run() throws IOException;
  }

  /**
   * {@link #replace(Path, Path, Body)} that runs {@code beforeMove} once the new content is forced to the
   * disk and has the target's permissions, just before the rename: another file written there is renamed
   * before this one, and when it fails this target stays as it was. What {@code beforeMove} throws is
   * passed on as it is (it names its own file); the temporary file is gone then.
   */
  public static void replace(Path file, Path target, Body body, BeforeMove beforeMove) throws IOException {
    Path dir = target.getParent();
    Path tmp = tempFile(target);
    FileChannel opened = createTemp(file, target, tmp);
    boolean inBeforeMove = false;
    try {
      try (FileChannel ch = opened) {
        body.write(ch);
        ch.force(true);
      }
      keepPermissions(target, tmp);
      inBeforeMove = true;
      beforeMove.run();
      inBeforeMove = false;
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (FileSystemException e) {
        // named "TMP -> TARGET: Operation not permitted": name what the caller asked for instead
        throw new FileSystemException(file.toString(), null, "cannot be replaced by the new file (" + reason(e) + ")");
      }
    } catch (IOException | RuntimeException | Error e) {
      try {
        Files.deleteIfExists(tmp);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      if (!inBeforeMove && e instanceof IOException io && !(e instanceof FileSystemException)
          && !(e instanceof ClosedChannelException)
          && (io.getMessage() == null || !io.getMessage().startsWith(file.toString()))) {
        // a failed write says only what failed ("No space left on device"), not where; an interrupt
        // (ClosedByInterruptException) keeps its type, and a message that names the file is kept
        throw new IOException(file + ": cannot be written: "
            + (io.getMessage() != null ? io.getMessage() : io.getClass().getSimpleName()), io);
      }
      throw e;
    } finally {
      Pending.FILES.remove(tmp);
    }
    forceFolder(dir);
  }

  /**
   * Checks that {@link #replace} could begin to replace {@code target}: creates its temporary file in
   * the target's folder, as a replacement would, and deletes it again, leaving the folder as it was.
   * This catches what a folder's permission bits do not show: a folder that takes no new file even from
   * root ({@code /proc}, {@code /sys}), or a network share whose server refuses. A program that writes
   * after long work ({@code vmlp train --save}) calls it before that work.
   *
   * @param file the path as the caller named it, for messages
   * @param target the absolute path that a replacement would replace
   * @throws IOException naming {@code file} when the temporary file cannot be created or removed
   */
  public static void checkCreatable(Path file, Path target) throws IOException {
    Path tmp = tempFile(target);
    FileChannel created = createTemp(file, target, tmp); // names file and the folder when it fails
    try {
      try {
        created.close();
      } finally {
        Files.delete(tmp); // also when the close failed: the trial leaves nothing
      }
      Pending.FILES.remove(tmp);
    } catch (IOException e) {
      if (!Files.notExists(tmp, LinkOption.NOFOLLOW_LINKS)) {
        // left to the exit's clean-up, which tries again without waiting; added first, so that an exit in
        // between finds it in one set or the other
        Pending.LEFT.add(tmp);
      }
      Pending.FILES.remove(tmp); // no write under way: the exit must not wait for it
      throw new IOException(file + ": the test file " + tmp + " could not be closed or removed ("
          + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()) + ")", e);
    }
  }

  /**
   * What the system said about {@code e}'s file: its reason, or for the exceptions that the JDK gives
   * none, the system's words for them (a class name such as NoSuchFileException means little to a user).
   */
  private static String reason(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    return switch (e) {
      case NoSuchFileException _ -> "No such file or directory";
      case AccessDeniedException _ -> "Permission denied";
      case FileAlreadyExistsException _ -> "File exists";
      default -> e.getClass().getSimpleName();
    };
  }

  /** A new name for the temporary file that replaces {@code target}: hidden, in its folder, random. */
  private static Path tempFile(Path target) {
    return target.getParent().resolve("." + tempPrefix(target.getFileName().toString()) + "."
        + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
  }

  /**
   * Creates {@code tmp} for writing, with no more permissions than {@code target} has, and registers it
   * with the shutdown hook (which the caller unregisters once it is renamed or removed).
   *
   * @throws IOException naming {@code file} and the folder when it cannot be created; it is then unregistered
   */
  private static FileChannel createTemp(Path file, Path target, Path tmp) throws IOException {
    Set<PosixFilePermission> kept = permissions(target);
    Pending.FILES.add(tmp); // before the file exists: an exit in between finds nothing to remove
    try {
      // created with no more permissions than the file it replaces: a private model's new weights were
      // readable by all (the folder's defaults) while they were written, and an open file stays readable
      return kept == null ? FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
          : FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(whileWritten(kept)));
    } catch (IOException | RuntimeException e) {
      Pending.FILES.remove(tmp);
      if (e instanceof FileSystemException fs) {
        // name what the caller asked for, not the temporary file
        // "No such file or directory" of a folder that is there: a virtual one (/proc, /sys) that takes no new file
        String why = fs instanceof NoSuchFileException && Files.isDirectory(tmp.getParent())
            ? "the folder takes no new file: " + reason(fs) : reason(fs);
        throw new FileSystemException(file.toString(), null, "cannot create a file in " + tmp.getParent() + " ("
            + why + ")");
      }
      throw e;
    }
  }

  /**
   * How long a JVM that exits waits for the writes under way before it removes their temporary files;
   * a program that saves after a signal (vmlp train --save) waits as long for its save. 30 s, or the
   * system property {@code vmlp.exitWaitSeconds} (which tests set lower).
   */
  public static final int EXIT_WAIT_SECONDS = Math.max(0, Integer.getInteger("vmlp.exitWaitSeconds", 30));

  /**
   * Registers the shutdown hook that removes the temporary files of writes under way, which the first
   * write registers otherwise: a program whose first write may come after a signal calls this before,
   * since a hook cannot be added once the JVM is exiting.
   */
  public static void watchExit() {
    Pending.FILES.size(); // initialises Pending, which adds its hook
  }

  /**
   * The temporary files of the writes under way. A JVM that exits runs its other threads on while the
   * shutdown hooks run, so the hook waits up to {@link #EXIT_WAIT_SECONDS} for these writes to end
   * (renamed or removed: the target is whole either way, and a save from another shutdown hook
   * completes), then removes the temporary files of those still running; their renames then fail and
   * the old files stay.
   */
  private static final class Pending {
    static final long WAIT_MILLIS = EXIT_WAIT_SECONDS * 1_000L;
    static final Set<Path> FILES = ConcurrentHashMap.newKeySet();
    /**
     * Files that no write holds any more but that could not be removed (a trial file of
     * {@link #checkCreatable}): removed again at exit, without waiting for them as for {@link #FILES}
     * (which made a JVM that met one wait out the whole grace period).
     */
    static final Set<Path> LEFT = ConcurrentHashMap.newKeySet();

    static {
      try {
        Runtime.getRuntime().addShutdownHook(new Thread(Pending::removeAll, "vmlp-temporary-files"));
      } catch (IllegalStateException e) {
        // the JVM is already exiting: this write ends before it does, or leaves its file
      }
    }

    private static void removeAll() {
      long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
      while (!FILES.isEmpty() && System.nanoTime() - deadline < 0) {
        try {
          Thread.sleep(10);
        } catch (InterruptedException e) {
          break;
        }
      }
      Set<Path> all = new java.util.HashSet<>(FILES);
      all.addAll(LEFT);
      for (Path tmp : all) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException e) {
          // best effort: the JVM is exiting
        }
      }
    }
  }

  /**
   * The file that writing to {@code file} replaces: {@code file} as an absolute path, or, when it is a
   * link, the real path of the file it points to (so the link stays a link).
   *
   * @throws FileSystemException naming {@code file} and where it leads when it is a link to a missing
   *     file, rather than guess where to create one, or saying it is a loop of links
   */
  public static Path linkTarget(Path file) throws IOException {
    Path target = file.toAbsolutePath();
    if (Files.isSymbolicLink(target)) {
      try {
        return target.toRealPath();
      } catch (FileSystemException e) {
        // missing at the end, or a loop (ELOOP, "Too many levels of symbolic links"): say which
        if (leadsNowhere(target)) {
          throw new FileSystemException(file.toString(), null, "is " + danglingText(target));
        }
        throw e;
      }
    }
    return target;
  }

  /**
   * What {@code link}, a link that leads to no file, is, for messages: {@code a link to /data/gone, which
   * does not exist}, naming the path that the last link of its chain names, or {@code a loop of links}.
   */
  public static String danglingText(Path link) {
    Path end = missingLinkTarget(link);
    return end != null ? "a link to " + end + ", which does not exist" : "a loop of links";
  }

  /**
   * Where {@code path} leads when it is a link to a missing file: the path that the last link of its chain
   * names, against that link's folder; null when {@code path} is no link, leads to a file that exists, or
   * is a loop of links.
   */
  private static Path missingLinkTarget(Path path) {
    if (!Files.isSymbolicLink(path) || !leadsNowhere(path)) {
      return null;
    }
    Path at = path.toAbsolutePath();
    try {
      for (int hops = 0; hops < 40; hops++) { // Linux follows at most 40 links in a path
        at = linkedPath(at, Files.readSymbolicLink(at)); // an absolute link's path as it is
        if (!Files.isSymbolicLink(at)) {
          return at;
        }
      }
    } catch (IOException e) {
      return at; // a folder on the way that cannot be read: as far as it can be told
    }
    return null;
  }

  /**
   * The path that the system reads for {@code text}, the content of link {@code link}: a relative one
   * against the link's folder with its links resolved, and its leading {@code ..} taken there. Against the
   * folder as named, {@code models/current -> ../gone} read {@code models/../gone}, which reads as a file
   * beside {@code models} where {@code models} is a link to a folder elsewhere.
   */
  private static Path linkedPath(Path link, Path text) {
    if (text.isAbsolute()) {
      return text;
    }
    Path dir;
    try {
      dir = link.getParent().toRealPath(); // it exists: it holds the link
    } catch (IOException e) {
      return link.resolveSibling(text);
    }
    int up = 0;
    while (up < text.getNameCount() && text.getName(up).toString().equals("..")) {
      dir = dir.getParent() != null ? dir.getParent() : dir; // ".." of the root is the root
      up++;
    }
    return up == text.getNameCount() ? dir : dir.resolve(text.subpath(up, text.getNameCount()));
  }

  /**
   * The first of the folders that {@code path} names, from the top, and {@code path} itself, that is a
   * link that leads to no file (to a missing one, or a loop), as {@code path} names it; null when there is
   * none. Creating {@code path} (or a file in it) fails at such a link with a misleading "already exists"
   * or "no such folder"; {@link #danglingText} says what it is.
   */
  public static Path danglingLink(Path path) {
    Path root = path.getRoot();
    for (int i = 1; i <= path.getNameCount(); i++) {
      Path p = root == null ? path.subpath(0, i) : root.resolve(path.subpath(0, i));
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return null; // nothing below a missing name exists either
      }
      if (Files.isSymbolicLink(p) && leadsNowhere(p)) {
        return p;
      }
    }
    return null;
  }

  /**
   * Whether {@code path}, links followed, leads to no file: a missing one, a loop, a file where a folder
   * belongs. Not when a folder on the way cannot be searched: what lies behind it may well exist
   * ({@link Files#exists} says false for both, and such a link was called a link to nothing).
   */
  private static boolean leadsNowhere(Path path) {
    return reach(path) == Reach.NOWHERE;
  }

  /**
   * Whether a folder on the way to {@code path} (links followed) is closed to this user, so that what
   * lies behind it can be neither found nor made: said so, rather than "missing" or "already exists".
   */
  public static boolean behindAClosedFolder(Path path) {
    return reach(path) == Reach.CLOSED;
  }

  private enum Reach { THERE, CLOSED, NOWHERE }

  /** What reading {@code path}'s attributes, links followed, finds: the file, a closed folder, or nothing. */
  private static Reach reach(Path path) {
    try {
      Files.readAttributes(path, BasicFileAttributes.class);
      return Reach.THERE;
    } catch (AccessDeniedException e) {
      return Reach.CLOSED;
    } catch (IOException e) {
      return Reach.NOWHERE;
    }
  }

  /**
   * The start of {@code name} that the temporary file's name keeps: at most 64 bytes of UTF-8, in whole
   * characters, so that the dot, the random part and {@code .tmp} fit a file system's 255-byte limit.
   */
  public static String tempPrefix(String name) {
    int bytes = 0;
    int end = 0;
    while (end < name.length()) {
      int cp = name.codePointAt(end);
      int len = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
      if (bytes + len > 64) {
        break;
      }
      bytes += len;
      end += Character.charCount(cp);
    }
    return name.substring(0, end);
  }

  /** The POSIX permissions of {@code target}, or null when it is missing or the file system has none. */
  private static Set<PosixFilePermission> permissions(Path target) {
    try {
      return Files.getPosixFilePermissions(target);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    }
  }

  /**
   * The permissions of a temporary file while it is written: its owner may read and write it (a file
   * system that checks the mode at each write, as some network ones do, would refuse a read-only one);
   * its group (the user's, not yet the target's) and others get what {@code kept} gives both.
   */
  private static Set<PosixFilePermission> whileWritten(Set<PosixFilePermission> kept) {
    Set<PosixFilePermission> p = groupAndOthersShared(kept);
    p.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
        PosixFilePermission.OTHERS_EXECUTE));
    p.addAll(EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
    return p;
  }

  /**
   * {@code perms} with the group and others both given what both had (a new set): what a file may give
   * a group that is not the one its permissions were meant for, and others, who now include the
   * members of that group, without anyone reading or writing who could not before.
   */
  public static Set<PosixFilePermission> groupAndOthersShared(Set<PosixFilePermission> perms) {
    Set<PosixFilePermission> p = EnumSet.noneOf(PosixFilePermission.class);
    for (PosixFilePermission o : perms) {
      switch (o) {
        case GROUP_READ, GROUP_WRITE, GROUP_EXECUTE, OTHERS_READ, OTHERS_WRITE, OTHERS_EXECUTE -> { }
        default -> p.add(o);
      }
    }
    PosixFilePermission[][] pairs = {
        {PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ},
        {PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE},
        {PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE}};
    for (PosixFilePermission[] pair : pairs) {
      if (perms.contains(pair[0]) && perms.contains(pair[1])) {
        p.add(pair[0]);
        p.add(pair[1]);
      }
    }
    return p;
  }

  private static void keepPermissions(Path target, Path tmp) throws IOException {
    PosixFileAttributeView from = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    PosixFileAttributeView to = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
    if (from == null || to == null || !Files.exists(target)) {
      return; // no POSIX permissions here, or nothing replaced: the new file has the folder's defaults
    }
    var attrs = from.readAttributes();
    keepOwner(to, attrs.owner());
    // where the group cannot be kept, its readers would be another group's: group and others get what both had
    to.setPermissions(keepGroup(to, attrs.group()) ? attrs.permissions()
        : groupAndOthersShared(attrs.permissions()));
  }

  /**
   * Gives {@code to} the owner {@code owner} where the user may (root, replacing another user's file): the
   * rename made the file root's, and one kept {@code rw-------} its owner could no longer read or replace.
   * Elsewhere only root may give a file away, and the new file stays the user's.
   */
  private static void keepOwner(PosixFileAttributeView to, UserPrincipal owner) {
    try {
      if (!to.getOwner().equals(owner)) {
        to.setOwner(owner);
      }
    } catch (IOException | SecurityException e) {
      // not root: the file is the user's, as a file the user writes anew
    }
  }

  /** Gives {@code to} the group {@code group}; false where it cannot be given (a group the user is not in). */
  private static boolean keepGroup(PosixFileAttributeView to, GroupPrincipal group) {
    try {
      if (!to.readAttributes().group().equals(group)) {
        to.setGroup(group);
      }
      return true;
    } catch (IOException | SecurityException e) {
      return false;
    }
  }

  /** Makes the rename durable; not every platform can open a folder (Windows cannot), which is no error. */
  private static void forceFolder(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException | UnsupportedOperationException e) {
      // best effort: the file itself is already on the disk
    }
  }
}
