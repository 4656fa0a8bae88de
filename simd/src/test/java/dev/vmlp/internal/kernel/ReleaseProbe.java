package dev.vmlp.internal.kernel;

/**
 * For {@code KernelChoiceTest}: prints, as on the Java release in {@code -Dprobe.release}, the choice that
 * {@link KernelProvider#get()} would make ("error | message" when it would throw) and what
 * {@link KernelProvider#vector()} and {@link KernelProvider#vectorReason()} would give ("none" when empty), one
 * line each. The build has one JDK release; the provider's seams take the release in its place.
 */
public final class ReleaseProbe {
  private ReleaseProbe() {}

  public static void main(String[] args) {
    int release = Integer.parseInt(System.getProperty("probe.release"));
    String choice;
    try {
      KernelProvider.Choice c = KernelProvider.choose(release);
      choice = c.kernels().name() + " | " + c.reason();
    } catch (IllegalArgumentException e) {
      choice = "error | " + e.getMessage();
    }
    KernelProvider.Choice v = KernelProvider.lookupVector(release);
    System.out.println(choice);
    System.out.println((v.kernels() != null ? v.kernels().name() : "none") + " | " + v.reason());
  }
}
