package dev.jgrad.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.jgrad.autograd.Tensor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamGroupTest {
  final Tensor w = Tensor.zeros(2).requiresGrad(true);
  final Tensor b = Tensor.zeros(1).requiresGrad(true);

  @Test
  void optionsKeepTheirTypes() {
    ParamGroup g =
        new ParamGroup(List.of(w, b), Map.of("lr", 0.1, "nesterov", true, "momentum", 1));
    assertEquals(List.of(w, b), g.params());
    assertEquals(0.1, g.getDouble("lr"));
    assertEquals(1.0, g.getDouble("momentum"), "an Integer is kept as a double");
    assertTrue(g.getBoolean("nesterov"));
    assertEquals(Double.valueOf(0.1), g.get("lr"));
    assertEquals(Boolean.TRUE, g.get("nesterov"));
    assertEquals(Double.class, g.options().get("momentum").getClass());
  }

  @Test
  void readingAnOptionAsTheOtherTypeIsRefused() {
    ParamGroup g = new ParamGroup(List.of(w), Map.of("lr", 0.1, "amsgrad", false));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.getBoolean("lr"));
    assertTrue(
        e.getMessage().contains("'lr'") && e.getMessage().contains("number"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> g.getDouble("amsgrad"));
    assertTrue(
        e.getMessage().contains("'amsgrad'") && e.getMessage().contains("boolean"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> g.get("momentum"));
    assertTrue(
        e.getMessage().contains("'momentum'") && e.getMessage().contains("lr"), e.getMessage());
  }

  @Test
  void settingAnOptionToTheOtherTypeIsRefusedAndChangesNothing() {
    ParamGroup g = new ParamGroup(List.of(w), Map.of("lr", 0.1, "nesterov", true));
    g.set("lr", 0.05);
    g.set("nesterov", false);
    assertEquals(0.05, g.getDouble("lr"));
    assertFalse(g.getBoolean("nesterov"));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> g.set("nesterov", 1.0));
    assertTrue(e.getMessage().contains("'nesterov' is a boolean"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> g.set("lr", true));
    assertTrue(e.getMessage().contains("'lr' is a number"), e.getMessage());
    assertEquals(0.05, g.getDouble("lr"));
    assertFalse(g.getBoolean("nesterov"));
    g.set("momentum", 0.9);
    assertEquals(0.9, g.getDouble("momentum"), "a new option takes the type it is set with");
  }

  @Test
  void valuesThatAreNeitherNumbersNorBooleansAreRefused() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> new ParamGroup(List.of(w), Map.of("lr", "0.1")));
    assertTrue(
        e.getMessage().contains("'lr'") && e.getMessage().contains("String"), e.getMessage());
  }

  @Test
  void theOptionsViewIsReadOnlyAndLive() {
    ParamGroup g = new ParamGroup(List.of(w), Map.of("lr", 0.1));
    Map<String, Object> view = g.options();
    assertThrows(UnsupportedOperationException.class, () -> view.put("lr", true));
    g.set("lr", 0.2);
    assertEquals(0.2, view.get("lr"));
  }

  @Test
  void theOptimizerFillsInItsDefaultsAndKeepsTheGroupsOwn() {
    ParamGroup head = new ParamGroup(List.of(w), Map.of("lr", 1e-4, "nesterov", true));
    ParamGroup rest = new ParamGroup(List.of(b));
    SGD opt = new SGD(List.of(head, rest), 0.1, 0.9);
    assertSame(head, opt.paramGroups().get(0));
    assertEquals(1e-4, head.getDouble("lr"));
    assertTrue(head.getBoolean("nesterov"));
    assertEquals(0.9, head.getDouble("momentum"));
    assertEquals(0.1, rest.getDouble("lr"));
    assertFalse(rest.getBoolean("nesterov"));
    assertEquals(
        "ParamGroup(1 params, dampening=0.0, lr=0.1, momentum=0.9, nesterov=false,"
            + " weight_decay=0.0)",
        rest.toString(),
        "the defaults in name order");
  }
}
