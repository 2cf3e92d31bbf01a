package dev.jgrad.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The ring all-reduce against a naive sum, with the workers as threads of this JVM on loopback
 * sockets: every worker gets the sum, to float32 rounding, and every worker the same bits.
 */
class RingAllReduceTest {
  /** Runs {@code workers} workers, each summing its own vector; returns their results. */
  static float[][] allReduce(float[][] inputs) throws Exception {
    int n = inputs.length;
    RingAllReduce.Endpoint[] endpoints = new RingAllReduce.Endpoint[n];
    String[] addresses = new String[n];
    for (int w = 0; w < n; w++) {
      endpoints[w] = new RingAllReduce.Endpoint("127.0.0.1");
      addresses[w] = endpoints[w].address();
    }
    ExecutorService pool = Executors.newFixedThreadPool(n);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int w = 0; w < n; w++) {
        int worker = w;
        results.add(
            pool.submit(
                () -> {
                  float[] v = inputs[worker].clone();
                  try (RingAllReduce ring = endpoints[worker].join(worker, addresses, 10_000)) {
                    ring.sum(v);
                    ring.sum(v); // a second round on the same connections: n times the sum
                  }
                  return v;
                }));
      }
      float[][] out = new float[n][];
      for (int w = 0; w < n; w++) {
        out[w] = results.get(w).get();
      }
      return out;
    } finally {
      pool.shutdownNow();
      for (RingAllReduce.Endpoint e : endpoints) {
        e.close();
      }
    }
  }

  @Test
  void everyWorkerGetsTheSameSum() throws Exception {
    Random random = new Random(11);
    for (int workers = 1; workers <= 4; workers++) {
      for (int length : new int[] {0, 1, 3, 7, 1000, 65_537}) {
        float[][] inputs = new float[workers][length];
        for (float[] v : inputs) {
          for (int i = 0; i < length; i++) {
            v[i] = (float) random.nextGaussian();
          }
        }
        float[][] out = allReduce(inputs);
        for (int i = 0; i < length; i++) {
          double sum = 0;
          double size = 0;
          for (float[] v : inputs) {
            sum += v[i];
            size += Math.abs(v[i]);
          }
          double twice = workers * sum; // the second round sums n copies of the first's result
          assertEquals(twice, out[0][i], 1e-5 * (1 + workers * size), "element " + i);
        }
        for (int w = 1; w < workers; w++) {
          assertArrayEquals(
              out[0], out[w], "worker " + w + " of " + workers + ", length " + length);
        }
      }
    }
  }

  @Test
  void aClosedNeighbourIsAnError() throws Exception {
    RingAllReduce.Endpoint a = new RingAllReduce.Endpoint("127.0.0.1");
    RingAllReduce.Endpoint b = new RingAllReduce.Endpoint("127.0.0.1");
    String[] addresses = {a.address(), b.address()};
    ExecutorService pool = Executors.newSingleThreadExecutor();
    try {
      Future<RingAllReduce> other = pool.submit(() -> b.join(1, addresses, 10_000));
      try (RingAllReduce ring = a.join(0, addresses, 10_000)) {
        other.get().close();
        assertThrows(UncheckedIOException.class, () -> ring.sum(new float[100]));
      }
    } finally {
      pool.shutdownNow();
      a.close();
      b.close();
    }
  }
}
