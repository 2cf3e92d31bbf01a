package dev.jgrad.autograd;

/**
 * Removes a hook registered with {@link Tensor#registerHook}.
 *
 * <pre>{@code
 * HookHandle h = x.registerHook(g -> g.mul(2));
 * h.remove();
 * }</pre>
 */
public interface HookHandle {
  /** Unregisters the hook; later backward passes no longer call it. */
  void remove();
}
