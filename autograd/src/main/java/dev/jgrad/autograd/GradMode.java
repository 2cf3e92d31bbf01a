package dev.jgrad.autograd;

/**
 * Whether operations record the graph, per thread. Scopes nest and restore what they found:
 *
 * <pre>{@code
 * try (var g = Tensor.noGrad()) {
 *   w.data().subInPlace(w.grad().data().mul(0.1));   // no graph recorded here
 * }
 * }</pre>
 */
public final class GradMode {
  private static final ThreadLocal<boolean[]> ENABLED =
      ThreadLocal.withInitial(() -> new boolean[] {true});

  private GradMode() {}

  /** True when operations on this thread record the graph (the default). */
  public static boolean isEnabled() {
    return ENABLED.get()[0];
  }

  /** Sets grad mode on this thread until the returned scope is closed. */
  public static Scope set(boolean enabled) {
    boolean[] flag = ENABLED.get();
    Scope scope = new Scope(flag, flag[0]);
    flag[0] = enabled;
    return scope;
  }

  /** Restores the grad mode found when the scope was opened. */
  public static final class Scope implements AutoCloseable {
    private final boolean[] flag;
    private final boolean previous;

    private Scope(boolean[] flag, boolean previous) {
      this.flag = flag;
      this.previous = previous;
    }

    @Override
    public void close() {
      flag[0] = previous;
    }
  }
}
