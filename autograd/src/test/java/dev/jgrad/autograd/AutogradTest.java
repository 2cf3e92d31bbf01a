package dev.jgrad.autograd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Autograd}: gradients of chosen inputs, anomaly mode and the Graphviz export. */
class AutogradTest {

  @AfterEach
  void anomalyOff() {
    Autograd.detectAnomaly(false);
  }

  static Tensor leaf(double... values) {
    return Tensor.of(values).requiresGrad(true);
  }

  static double[] values(Tensor t) {
    return t.data().toDoubleArray();
  }

  @Test
  void anomalyModeNamesTheOpThatMadeANaN() {
    Autograd.detectAnomaly(true);
    Tensor x = leaf(0.0, 1.0);
    Tensor y = x.sqrt().sum(); // d/dx √x = 1/(2√x): inf at 0
    IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
    assertTrue(e.getMessage().contains("SqrtBackward"), e.getMessage());
    assertTrue(e.getCause() != null && e.getCause().getMessage().contains("Sqrt"));
  }

  @Test
  void higherOrderGradientsAndHessianVectorProducts() {
    Tensor x = leaf(1, 2);
    Tensor y = x.pow(3).sum();
    Tensor dx = Autograd.grad(y, x, true)[0]; // 3x²
    assertArrayEquals(new double[] {3, 12}, values(dx), 1e-12);
    Tensor v = Tensor.of(1.0, -1.0);
    Tensor hv = Autograd.grad(dx.mul(v).sum(), x, false)[0]; // H·v = diag(6x)·v
    assertArrayEquals(new double[] {6, -12}, values(hv), 1e-12);
    assertNull(x.grad(), "Autograd.grad leaves grad alone");
  }

  @Test
  void unusedInputsAreAnErrorUnlessAllowed() {
    Tensor x = leaf(1);
    Tensor z = leaf(2);
    Tensor y = x.mul(2).sum();
    assertThrows(
        IllegalArgumentException.class,
        () -> Autograd.grad(new Tensor[] {y}, new Tensor[] {x, z}, null, true, false, false));
    Tensor[] g = Autograd.grad(new Tensor[] {y}, new Tensor[] {x, z}, null, false, false, true);
    assertArrayEquals(new double[] {0}, values(g[1]));
  }

  @Test
  void gradRefusesOutputsAndInputsThatDoNotRequireGrad() {
    Tensor x = leaf(1);
    Tensor c = Tensor.of(2.0);
    IllegalStateException out =
        assertThrows(IllegalStateException.class, () -> Autograd.grad(c.sum(), x, false));
    assertTrue(out.getMessage().startsWith("grad: output 0"), out.getMessage());
    IllegalArgumentException in =
        assertThrows(IllegalArgumentException.class, () -> Autograd.grad(x.sum(), c, false));
    assertTrue(in.getMessage().startsWith("grad: an input"), in.getMessage());
  }

  @Test
  void toDotHasABoxPerTensorAndAnEdgePerInput() {
    Tensor a = leaf(1, 2);
    Tensor b = leaf(3, 4);
    String dot = Autograd.toDot(a.mul(b).sum());
    assertTrue(dot.startsWith("digraph jgrad {"), dot);
    assertEquals(4, dot.split("\\[label=", -1).length - 1, dot); // a, b, Mul, Sum
    assertEquals(3, dot.split(" -> ", -1).length - 1, dot); // a→Mul, b→Mul, Mul→Sum
    assertTrue(dot.contains("MulBackward\\n[2] float64"), dot);
  }
}
