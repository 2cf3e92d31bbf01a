package dev.jgrad.spark;

import dev.jgrad.autograd.Tensor;
import dev.jgrad.nn.Module;
import dev.jgrad.optim.Optimizer;
import dev.jgrad.tensor.DType;
import dev.jgrad.tensor.NDArray;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.BarrierTaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.jdk.javaapi.CollectionConverters;
import scala.runtime.AbstractFunction1;

/**
 * One barrier task's training loop: synchronous data-parallel SGD. Each step every worker computes
 * the gradient of its part of the global batch (its share of the batch-mean loss), the workers sum
 * the gradients with a {@link RingAllReduce} (which gives every worker the same bits), and every
 * worker applies the same optimizer step, so the replicas stay identical.
 */
final class Worker
    extends AbstractFunction1<
        scala.collection.Iterator<IndexedExample>, scala.collection.Iterator<WorkerReport>>
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** How long a worker waits for its ring predecessor to connect after the rendezvous. */
  private static final long JOIN_TIMEOUT_MILLIS = 120_000;

  private final ModelFactory modelFactory;
  private final OptimizerFactory optimizerFactory;
  private final TrainingOptions options;
  private final Broadcast<byte[]> initialState;
  private final int size;
  private transient long exchangeNanos; // this task's time in all-reduces so far

  Worker(
      ModelFactory modelFactory,
      OptimizerFactory optimizerFactory,
      TrainingOptions options,
      Broadcast<byte[]> initialState,
      int size) {
    this.modelFactory = modelFactory;
    this.optimizerFactory = optimizerFactory;
    this.options = options;
    this.initialState = initialState;
    this.size = size;
  }

  /** Trains on this task's examples; returns this worker's report. */
  @Override
  public scala.collection.Iterator<WorkerReport> apply(
      scala.collection.Iterator<IndexedExample> examples) {
    List<WorkerReport> out = train(BarrierTaskContext.get(), CollectionConverters.asJava(examples));
    return CollectionConverters.asScala(out.iterator());
  }

  private List<WorkerReport> train(BarrierTaskContext ctx, Iterator<IndexedExample> examples) {
    int worker = ctx.partitionId();
    Shard shard = Shard.of(examples, options.inputShape());
    Module model = modelFactory.create();
    model.loadStateDict(StateBytes.decode(initialState.value()), true);
    model.train();
    List<Tensor> params = Replica.parameters(model);
    Optimizer opt = optimizerFactory.create(params);
    Checkpoints checkpoints =
        options.checkpointDir() == null ? null : new Checkpoints(Path.of(options.checkpointDir()));
    // The rendezvous, once per attempt: every worker's ring address, and from worker 0 the
    // checkpoint all resume from (one choice, even if an old attempt's task were still writing).
    int newest = worker == 0 && checkpoints != null ? checkpoints.latestEpoch() : 0;
    try (RingAllReduce.Endpoint endpoint = new RingAllReduce.Endpoint(host(ctx, worker))) {
      String[] gathered = ctx.allGather(endpoint.address() + " " + newest);
      String[] addresses = new String[gathered.length];
      for (int w = 0; w < gathered.length; w++) {
        addresses[w] = gathered[w].substring(0, gathered[w].indexOf(' '));
      }
      int resumed = Integer.parseInt(gathered[0].substring(gathered[0].indexOf(' ') + 1));
      if (resumed > 0) {
        Checkpoints.Checkpoint c = checkpoints.read(resumed);
        model.loadStateDict(c.model(), true);
        opt.loadStateDict(c.optimizer());
        resumed = Math.min(resumed, options.epochs());
      } else {
        resumed = 0;
      }
      try (RingAllReduce ring = endpoint.join(worker, addresses, JOIN_TIMEOUT_MILLIS)) {
        return List.of(train(ctx, worker, shard, model, opt, ring, resumed, checkpoints));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(
          "jgrad-spark: worker " + worker + " could not join the ring", e);
    }
  }

  /** The epochs after {@code resumed}; returns this worker's report. */
  private WorkerReport train(
      BarrierTaskContext ctx,
      int worker,
      Shard shard,
      Module model,
      Optimizer opt,
      RingAllReduce ring,
      int resumed,
      Checkpoints checkpoints) {
    List<Tensor> params = model.parameters();
    List<Tensor> buffers = Replica.floatBuffers(model);
    int batchSize = options.batchSize();
    int batches = EpochOrder.batches(size, batchSize);
    EpochOrder order = new EpochOrder(size, options.seed());
    order.skip(resumed);
    double[] epochLoss = new double[options.epochs()];
    double[] epochSeconds = new double[options.epochs()];
    Arrays.fill(epochLoss, Double.NaN);
    Arrays.fill(epochSeconds, Double.NaN);
    long steps = 0;
    long computeNanos = 0;
    exchangeNanos = 0;
    long bytesAtStart = ring.bytesSent();
    long exchangeBefore = 0;
    for (int epoch = resumed + 1; epoch <= options.epochs(); epoch++) {
      long epochStart = System.nanoTime();
      int[] perm = order.next();
      double lossSum = 0;
      double pendingLoss = 0;
      for (int step = 0; step < batches; step++) {
        ctx.killTaskIfInterrupted();
        if (options.stepHook() != null) {
          options.stepHook().beforeStep(worker, epoch, step);
        }
        long t0 = System.nanoTime();
        int[] batch =
            Arrays.copyOfRange(perm, step * batchSize, Math.min(size, (step + 1) * batchSize));
        Shard.Part part = shard.part(batch);
        if (options.averageEvery() == 0) {
          lossSum += synchronousStep(model, opt, params, part, batch.length, ring);
        } else {
          pendingLoss += localStep(model, opt, params, part);
          if ((step + 1) % options.averageEvery() == 0 || step == batches - 1) {
            long t1 = System.nanoTime();
            lossSum += averageReplicas(ring, params, opt, pendingLoss);
            pendingLoss = 0;
            exchangeNanos += System.nanoTime() - t1;
          }
        }
        long elapsed = System.nanoTime() - t0;
        computeNanos += elapsed - (exchangeNanos - exchangeBefore);
        exchangeBefore = exchangeNanos;
        steps++;
      }
      averageBuffers(ring, buffers);
      epochLoss[epoch - 1] = lossSum / size;
      epochSeconds[epoch - 1] = (System.nanoTime() - epochStart) / 1e9;
      // Worker 0 writes before its next step's all-reduce, so no worker finishes a step of the
      // next epoch before this checkpoint exists.
      if (checkpoints != null && worker == 0) {
        checkpoints.write(epoch, model.stateDict(), opt.stateDict());
      }
    }
    boolean first = worker == 0;
    return new WorkerReport(
        worker,
        Replica.digest(model),
        first ? StateBytes.encode(model.stateDict()) : null,
        first ? StateBytes.encode(opt.stateDict()) : null,
        ctx.getTaskInfos().length,
        resumed,
        epochLoss,
        epochSeconds,
        steps,
        computeNanos,
        exchangeNanos,
        steps == 0 ? 0 : (ring.bytesSent() - bytesAtStart) / steps);
  }

  /** The host of this worker's executor, as Spark knows it. */
  private static String host(BarrierTaskContext ctx, int worker) {
    String address = ctx.getTaskInfos()[worker].address();
    int colon = address.lastIndexOf(':');
    return colon > 0 && address.indexOf(':') == colon ? address.substring(0, colon) : address;
  }

  /**
   * One step of synchronous SGD: this worker's share of the global batch's mean loss, gradients
   * summed over the workers, the same optimizer step everywhere. Returns the batch's summed loss.
   */
  private double synchronousStep(
      Module model,
      Optimizer opt,
      List<Tensor> params,
      Shard.Part part,
      int globalBatch,
      RingAllReduce ring) {
    opt.zeroGrad();
    float localLoss = 0;
    if (part.size() > 0) {
      Tensor loss = options.loss().sum(model.forward(part.inputs()), part.labels());
      localLoss = (float) loss.item();
      loss.div(globalBatch).backward(); // this shard's share of the global batch's mean
    }
    int width = Replica.size(params);
    float[] message = Arrays.copyOf(Replica.gradients(params), width + 1);
    message[width] = localLoss;
    long t = System.nanoTime();
    ring.sum(message);
    exchangeNanos += System.nanoTime() - t;
    Replica.setGradients(params, message);
    opt.step();
    return message[width];
  }

  /**
   * One local step of the communication-light mode: the mean loss over this worker's part of the
   * batch (a zero gradient when it holds none of it, so every replica steps alike). Returns the
   * part's summed loss.
   */
  private double localStep(Module model, Optimizer opt, List<Tensor> params, Shard.Part part) {
    opt.zeroGrad();
    double localLoss = 0;
    if (part.size() > 0) {
      Tensor loss = options.loss().sum(model.forward(part.inputs()), part.labels());
      localLoss = loss.item();
      loss.div(part.size()).backward();
    } else {
      Replica.setGradients(params, new float[Replica.size(params)]);
    }
    opt.step();
    return localLoss;
  }

  /**
   * Replaces every replica's parameters and FLOAT32 optimizer buffers (momentum, Adam's moments) by
   * their mean over the workers, and sums the workers' pending losses, in one all-reduce.
   */
  private static double averageReplicas(
      RingAllReduce ring, List<Tensor> params, Optimizer opt, double pendingLoss) {
    Map<String, NDArray> state = new TreeMap<>(opt.stateDict());
    List<String> buffers = new ArrayList<>();
    int size = Replica.size(params);
    for (Map.Entry<String, NDArray> e : state.entrySet()) {
      if (e.getValue().dtype() == DType.FLOAT32) {
        buffers.add(e.getKey());
        size += e.getValue().numel();
      }
    }
    float[] all = new float[size + 1];
    float[] values = Replica.values(params);
    System.arraycopy(values, 0, all, 0, values.length);
    int at = values.length;
    for (String k : buffers) {
      float[] b = state.get(k).toFloatArray();
      System.arraycopy(b, 0, all, at, b.length);
      at += b.length;
    }
    all[size] = (float) pendingLoss;
    ring.sum(all);
    for (int i = 0; i < size; i++) {
      all[i] /= ring.workers();
    }
    Replica.setValues(params, Arrays.copyOf(all, values.length));
    at = values.length;
    for (String k : buffers) {
      NDArray old = state.get(k);
      state.put(k, NDArray.fromArray(Arrays.copyOfRange(all, at, at + old.numel()), old.shape()));
      at += old.numel();
    }
    opt.loadStateDict(state);
    return all[size];
  }

  /**
   * Replaces every FLOAT32 buffer (batch-norm running statistics, which each replica gathers from
   * its own shard) by the mean over the workers, so the replicas end each epoch identical.
   */
  private static void averageBuffers(RingAllReduce ring, List<Tensor> buffers) {
    if (buffers.isEmpty()) {
      return;
    }
    float[] sum = Replica.values(buffers);
    ring.sum(sum);
    for (int i = 0; i < sum.length; i++) {
      sum[i] /= ring.workers();
    }
    Replica.setValues(buffers, sum);
  }
}
