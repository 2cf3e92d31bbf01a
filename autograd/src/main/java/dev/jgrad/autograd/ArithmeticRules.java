package dev.jgrad.autograd;

import dev.jgrad.autograd.Graph.Saves;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;

/**
 * The arithmetic of two tensors, broadcast like numpy, and of a tensor and a number: each rule is
 * one kernel call and one gradient formula per input. A formula may return a gradient in the
 * broadcast shape; the engine sums it back to its input's shape.
 */
final class ArithmeticRules {
  private ArithmeticRules() {}

  /** d/da (a + b) = 1, d/db (a + b) = 1. */
  static Tensor add(Tensor a, Tensor b) {
    return Graph.record(
        "Add", a.data().add(b.data()), Saves.NOTHING, a, b, (g, out) -> g, (g, out) -> g);
  }

  /** d/dx (x + c) = 1. */
  static Tensor add(Tensor x, double c) {
    return Graph.record("Add", x.data().add(c), Saves.NOTHING, x, (g, out) -> g);
  }

  /** d/da (a − b) = 1, d/db (a − b) = −1. */
  static Tensor sub(Tensor a, Tensor b) {
    return Graph.record(
        "Sub", a.data().sub(b.data()), Saves.NOTHING, a, b, (g, out) -> g, (g, out) -> g.neg());
  }

  /** d/dx (x − c) = 1. */
  static Tensor sub(Tensor x, double c) {
    return Graph.record("Sub", x.data().sub(c), Saves.NOTHING, x, (g, out) -> g);
  }

  /** d/da (a·b) = b, d/db (a·b) = a. */
  static Tensor mul(Tensor a, Tensor b) {
    return Graph.record(
        "Mul",
        a.data().mul(b.data()),
        Saves.INPUTS,
        a,
        b,
        (g, out) -> g.mul(b),
        (g, out) -> g.mul(a));
  }

  /** d/dx (c·x) = c. */
  static Tensor mul(Tensor x, double c) {
    return Graph.record("Mul", x.data().mul(c), Saves.NOTHING, x, (g, out) -> g.mul(c));
  }

  /** d/da (a/b) = 1/b, d/db (a/b) = −a/b². */
  static Tensor div(Tensor a, Tensor b) {
    return Graph.record(
        "Div",
        a.data().div(b.data()),
        Saves.INPUTS,
        a,
        b,
        (g, out) -> g.div(b),
        (g, out) -> g.neg().mul(a).div(b.square()));
  }

  /** d/dx (x/c) = 1/c. */
  static Tensor div(Tensor x, double c) {
    return Graph.record("Div", x.data().div(c), Saves.NOTHING, x, (g, out) -> g.div(c));
  }

  /** d/dx xᵖ = p·xᵖ⁻¹ (and nothing for p = 0). */
  static Tensor pow(Tensor x, double p) {
    return Graph.record(
        "Pow",
        x.data().pow(p),
        Saves.INPUTS,
        x,
        (g, out) -> p == 0 ? null : g.mul(x.pow(p - 1).mul(p)));
  }

  /** d/da aᵇ = b·aᵇ⁻¹, d/db aᵇ = aᵇ·ln a. */
  static Tensor pow(Tensor a, Tensor b) {
    return Graph.record(
        "Pow",
        a.data().pow(b.data()),
        Saves.INPUTS_AND_OUTPUT,
        a,
        b,
        (g, out) -> g.mul(b).mul(a.pow(b.sub(1))),
        (g, out) -> g.mul(out).mul(a.log()));
  }

  /** The larger of each pair: the gradient goes to the winner, split evenly at ties. */
  static Tensor maximum(Tensor a, Tensor b) {
    NDArray x = a.data();
    NDArray y = b.data();
    return extremum("Maximum", x.maximum(y), x.gt(y), a, b);
  }

  /** The smaller of each pair: the gradient goes to the winner, split evenly at ties. */
  static Tensor minimum(Tensor a, Tensor b) {
    NDArray x = a.data();
    NDArray y = b.data();
    return extremum("Minimum", x.minimum(y), x.lt(y), a, b);
  }

  /** d/da = share, d/db = 1 − share, where share is 1 where a wins, ½ at ties, 0 elsewhere. */
  private static Tensor extremum(String op, NDArray result, NDArray aWins, Tensor a, Tensor b) {
    DType dt = result.dtype();
    NDArray share = aWins.to(dt).add(a.data().eq(b.data()).to(dt).mul(0.5));
    Tensor mine = Graph.constant(share);
    Tensor theirs = Graph.constant(share.neg().add(1));
    return Graph.record(
        op, result, Saves.INPUTS, a, b, (g, out) -> g.mul(mine), (g, out) -> g.mul(theirs));
  }
}
