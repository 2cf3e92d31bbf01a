/**
 * Property-based testing for code built on jgrad: jqwik arbitraries of shapes, broadcast pairs and
 * arrays laid out as views ({@code Shapes}, {@code Tensors}), and assertions that explain their
 * failures ({@code TensorAssertions}: gradient checks, closeness with a readable diff).
 */
module dev.jgrad.testkit {
  // The API takes and returns Tensor and NDArray, jqwik's Arbitrary, and fails through JUnit.
  requires transitive dev.jgrad.autograd;
  requires transitive dev.jgrad.tensor;
  requires transitive net.jqwik.api;
  requires org.junit.jupiter.api;

  exports dev.jgrad.testkit;
}
