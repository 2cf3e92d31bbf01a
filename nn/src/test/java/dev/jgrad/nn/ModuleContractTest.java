package dev.jgrad.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.tensor.Generator;
import dev.jgrad.tensor.NDArray;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What Module promises beyond ModuleTest: parameter names are checked like buffer and module names,
 * train/eval/apply return the module for chaining and reach every descendant, a non-strict
 * loadStateDict skips absent names and refuses null values, other shapes and the other kind of
 * dtype with the model untouched, and toString nests children. Written for the mutants PIT left
 * alive in Module (issue #14).
 */
class ModuleContractTest {

  private static final class Holder extends Module {
    @Override
    public Tensor forward(Tensor input) {
      return input;
    }
  }

  private static Sequential model() {
    return new Sequential(new Linear(2, 3, true, new Generator(14)), new ReLU());
  }

  @Test
  void parameterNamesAreCheckedAsOtherNamesAre() {
    Holder m = new Holder();
    m.registerBuffer("b", Tensor.zeros(1));
    m.registerParameter("w", Tensor.zeros(2));
    for (String name : new String[] {"", "a.b", "w", "b"}) {
      IllegalArgumentException e =
          assertThrows(
              IllegalArgumentException.class, () -> m.registerParameter(name, Tensor.ones(3)));
      assertTrue(e.getMessage().contains("'" + name + "'"), e.getMessage());
    }
    assertArrayEquals(new int[] {2}, m.namedParameters().get("w").shape());
    assertEquals(List.of("w"), List.copyOf(m.namedParameters().keySet()));
  }

  @Test
  void trainEvalAndApplyReturnTheModuleAndReachEveryDescendant() {
    Sequential m = model();
    assertSame(m, m.eval());
    assertFalse(m.isTraining());
    for (Module child : m.children().values()) {
      assertFalse(child.isTraining(), child.toString());
    }
    assertSame(m, m.train());
    assertTrue(m.isTraining());
    assertSame(m, m.train(false));
    assertFalse(m.children().get("0").isTraining());
    List<String> seen = new ArrayList<>();
    assertSame(m, m.apply(x -> seen.add(x.getClass().getSimpleName())));
    assertEquals(List.of("Linear", "ReLU", "Sequential"), seen);
  }

  @Test
  void aNonStrictLoadSkipsAbsentNamesAndWritesThePresentOnes() {
    Sequential m = model();
    float[] bias = m.stateDict().get("0.bias").toFloatArray();
    Map<String, NDArray> state = new LinkedHashMap<>();
    state.put("0.weight", NDArray.full(0.25, 3, 2));
    state.put("extra", NDArray.zeros(1));
    m.loadStateDict(state, false);
    assertArrayEquals(
        new float[] {0.25f, 0.25f, 0.25f, 0.25f, 0.25f, 0.25f},
        m.stateDict().get("0.weight").toFloatArray());
    assertArrayEquals(bias, m.stateDict().get("0.bias").toFloatArray());
  }

  @Test
  void aBadEntryIsRefusedByNameAndLeavesTheModelUntouched() {
    Sequential m = model();
    float[] weight = m.stateDict().get("0.weight").toFloatArray();
    float[] bias = m.stateDict().get("0.bias").toFloatArray();
    List<Map<String, NDArray>> bad = new ArrayList<>();
    Map<String, NDArray> nullValue = new LinkedHashMap<>();
    nullValue.put("0.weight", NDArray.zeros(3, 2));
    nullValue.put("0.bias", null);
    bad.add(nullValue);
    bad.add(Map.of("0.weight", NDArray.zeros(3, 2), "0.bias", NDArray.zeros(4)));
    bad.add(Map.of("0.weight", NDArray.zeros(3, 2), "0.bias", NDArray.ofInts(1, 2, 3)));
    String[] expected = {"is null", "has shape [4]", "has dtype int32"};
    for (int i = 0; i < bad.size(); i++) {
      Map<String, NDArray> state = bad.get(i);
      for (boolean strict : new boolean[] {false, true}) {
        IllegalArgumentException e =
            assertThrows(IllegalArgumentException.class, () -> m.loadStateDict(state, strict));
        assertTrue(e.getMessage().contains("'0.bias'"), e.getMessage());
        assertTrue(e.getMessage().contains(expected[i]), e.getMessage());
        assertArrayEquals(weight, m.stateDict().get("0.weight").toFloatArray());
        assertArrayEquals(bias, m.stateDict().get("0.bias").toFloatArray());
      }
    }
  }

  @Test
  void toStringNestsChildrenWithoutAnEmptyLineForAnEmptyDescription() {
    assertEquals(
        "Sequential(\n  (0): Linear(in_features=2, out_features=3, bias=True)\n  (1): ReLU()\n)",
        model().toString());
  }
}
