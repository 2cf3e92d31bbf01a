package dev.jgrad.nn;

import dev.jgrad.autograd.Tensor;

/**
 * Modules applied in order; their parameters are named by position ({@code 0.weight}).
 *
 * <pre>{@code
 * var model = new Sequential(new Linear(784, 128), new ReLU(), new Linear(128, 10));
 * Tensor logits = model.forward(x);
 * }</pre>
 */
public final class Sequential extends Module {
  private final Module[] modules;

  /** The modules, applied first to last. */
  public Sequential(Module... modules) {
    this.modules = modules.clone();
    for (int i = 0; i < modules.length; i++) {
      registerModule(Integer.toString(i), modules[i]);
    }
  }

  /**
   * The i-th module, like {@code model[i]}.
   *
   * @throws IndexOutOfBoundsException if i is not in [0, size())
   */
  public Module get(int i) {
    return modules[i];
  }

  /** The number of modules, like {@code len(model)}. */
  public int size() {
    return modules.length;
  }

  @Override
  public Tensor forward(Tensor input) {
    checkInput(input);
    Tensor x = input;
    for (Module m : modules) {
      x = m.forward(x);
    }
    return x;
  }
}
