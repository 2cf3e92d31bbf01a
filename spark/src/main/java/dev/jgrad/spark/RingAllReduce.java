package dev.jgrad.spark;

import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * A ring all-reduce (sum) of float32 vectors among the workers of one barrier stage, over TCP
 * between the tasks: worker w sends to w + 1 and receives from w − 1 (mod W). The vector is cut
 * into W chunks; in W − 1 reduce-scatter steps each worker adds the chunk arriving from its
 * predecessor to its own and passes the partial sum on, so that worker w ends with the complete sum
 * of chunk (w + 1) mod W; W − 1 all-gather steps then pass the complete chunks around the ring.
 * Each worker sends and receives 2·(W − 1)/W of the vector: under 2·P·4 bytes for P floats,
 * whatever W.
 *
 * <p>Every chunk is summed in one fixed order (starting after its owner, around the ring) and then
 * copied, never re-added, so every worker ends with the same bits, and a run is repeatable.
 *
 * <p>Spark's own {@code BarrierTaskContext.allGather} serves only the rendezvous (each worker's
 * address): it polls its reply once a second, so a step through it would take a second.
 */
final class RingAllReduce implements AutoCloseable {
  private final int worker;
  private final int workers;
  private final SocketChannel next;
  private final SocketChannel previous;
  private final ExecutorService sender;
  private long bytesSent;

  private RingAllReduce(int worker, int workers, SocketChannel next, SocketChannel previous) {
    this.worker = worker;
    this.workers = workers;
    this.next = next;
    this.previous = previous;
    this.sender =
        workers > 1
            ? Executors.newSingleThreadExecutor(
                r -> {
                  Thread t = new Thread(r, "jgrad-ring-send-" + worker);
                  t.setDaemon(true);
                  return t;
                })
            : null;
  }

  /** A worker's listening socket, open before the addresses are exchanged. */
  static final class Endpoint implements AutoCloseable {
    private final ServerSocketChannel server;

    /** Listens on an ephemeral port of {@code host}. */
    Endpoint(String host) throws IOException {
      server = ServerSocketChannel.open();
      server.bind(new InetSocketAddress(host, 0));
    }

    /** "host:port" for the other workers. */
    String address() throws IOException {
      InetSocketAddress a = (InetSocketAddress) server.getLocalAddress();
      return a.getHostString() + ":" + a.getPort();
    }

    /**
     * Connects worker {@code worker} to its successor and accepts its predecessor.
     *
     * @param addresses every worker's {@link #address()}, in worker order
     * @param timeoutMillis how long to wait for the predecessor
     * @throws IOException if a connection fails or the predecessor does not come in time
     */
    RingAllReduce join(int worker, String[] addresses, long timeoutMillis) throws IOException {
      int n = addresses.length;
      if (n == 1) {
        return new RingAllReduce(0, 1, null, null);
      }
      String to = addresses[(worker + 1) % n];
      int colon = to.lastIndexOf(':');
      SocketChannel next =
          SocketChannel.open(
              new InetSocketAddress(
                  to.substring(0, colon), Integer.parseInt(to.substring(colon + 1))));
      next.socket().setTcpNoDelay(true);
      server.configureBlocking(false);
      long deadline = System.currentTimeMillis() + timeoutMillis;
      SocketChannel previous;
      while ((previous = server.accept()) == null) {
        if (System.currentTimeMillis() > deadline || Thread.currentThread().isInterrupted()) {
          next.close();
          throw new IOException(
              "jgrad-spark: worker "
                  + worker
                  + " waited "
                  + timeoutMillis
                  + " ms for worker "
                  + ((worker + n - 1) % n)
                  + " to connect");
        }
        try {
          Thread.sleep(1);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      previous.configureBlocking(true);
      previous.socket().setTcpNoDelay(true);
      return new RingAllReduce(worker, n, next, previous);
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }

  /** The number of workers in the ring. */
  int workers() {
    return workers;
  }

  /** Bytes this worker has sent so far. */
  long bytesSent() {
    return bytesSent;
  }

  /**
   * Replaces {@code values} (the same length in every worker) by the sum over the workers.
   *
   * @throws UncheckedIOException if a neighbour fails or closes its connection
   */
  void sum(float[] values) {
    if (workers == 1) {
      return;
    }
    int n = workers;
    try {
      for (int s = 0; s < n - 1; s++) { // reduce-scatter
        int out = Math.floorMod(worker - s, n);
        int in = Math.floorMod(worker - s - 1, n);
        exchange(values, out, in, true);
      }
      for (int s = 0; s < n - 1; s++) { // all-gather
        int out = Math.floorMod(worker + 1 - s, n);
        int in = Math.floorMod(worker - s, n);
        exchange(values, out, in, false);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("jgrad-spark: worker " + worker + " lost a ring neighbour", e);
    }
  }

  /**
   * Sends chunk {@code out} to the successor while receiving chunk {@code in} (added or copied).
   */
  private void exchange(float[] values, int out, int in, boolean add) throws IOException {
    ByteBuffer send = chunkBytes(values, out);
    Future<?> sending =
        sender.submit(
            () -> {
              while (send.hasRemaining()) {
                next.write(send);
              }
              return null;
            });
    int from = start(values.length, in);
    int to = start(values.length, in + 1);
    ByteBuffer receive = ByteBuffer.allocate(4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
    while (receive.hasRemaining()) {
      if (previous.read(receive) < 0) {
        throw new EOFException("the predecessor closed the connection");
      }
    }
    receive.flip();
    for (int i = from; i < to; i++) {
      float v = receive.getFloat();
      values[i] = add ? values[i] + v : v;
    }
    try {
      sending.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while sending", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
    bytesSent += 4L * (start(values.length, out + 1) - start(values.length, out));
  }

  private ByteBuffer chunkBytes(float[] values, int chunk) {
    int from = start(values.length, chunk);
    int to = start(values.length, chunk + 1);
    ByteBuffer b = ByteBuffer.allocate(4 * (to - from)).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = from; i < to; i++) {
      b.putFloat(values[i]);
    }
    b.flip();
    return b;
  }

  /** Where chunk {@code c} of W starts in a vector of {@code length}: sizes differ by at most 1. */
  private int start(int length, int c) {
    return (int) ((long) length * c / workers);
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.shutdownNow();
    }
    for (SocketChannel c : new SocketChannel[] {next, previous}) {
      if (c != null) {
        try {
          c.close();
        } catch (IOException ignored) {
          // closing on the way out: nothing more to do
        }
      }
    }
  }
}
