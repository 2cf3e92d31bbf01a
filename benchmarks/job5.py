#!/usr/bin/env python3
"""job5 (issue 15): the whole job a user waits for, process start to the final accuracy line.

    jgrad:   ./jgrad train --dataset fashion-mnist --epochs 5 --threads 1 --seed 1
    PyTorch: benchmarks/torch_job5.py (the same MLP, optimizer, batches and per-epoch evaluation,
             `import torch` included), one thread

Each run is a new process; the two sides alternate, so machine noise hits both alike. Per run it
reads the process's stdout as it comes and records:
  - seconds:            process start to the `final test accuracy` line (the job's wall time);
  - first_step_seconds: process start to the `training ...` line, which both print just before
                        the first training step (for jgrad: the launcher, JVM start, class loading,
                        reading the data and building the model);
  - epoch_seconds:      the training-loop seconds each `epoch` line reports;
  - first_epoch_ratio:  the first epoch over the steady epoch (the median of epochs 3 and later).
Rows report the medians over the runs. Before timing, one untimed jgrad run builds the jar (if
needed) and the launcher's start-up cache, so the timed runs are what every later run sees.

With --split, each jgrad run also logs its class loads (JAVA_TOOL_OPTIONS=-Xlog:class+load:file=...),
and the JVM uptime at which Main, Datasets and Datasets.Splits load marks the phases of a cold run: JVM
start, option parsing, reading the data (and planning the model).

--startup-cpu times only the start-up, as user + system CPU seconds from process start to the
`training` line (the process is killed there), which other load changes less than wall time.

Standalone: benchmarks/job5.py [--runs 5] [--data DIR] [--jgrad 'CMD'] [--baseline 'CMD'] [--split]
            [--startup-cpu];
--jgrad and --baseline replace the jgrad command (the train options are appended), e.g.
--baseline 'java --add-modules jdk.incubator.vector -jar /tmp/old/jgrad.jar' to time an earlier
build in the same alternation. benchmarks/compare --workloads job5 runs it too.
"""
import argparse
import json
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TORCH_PYTHON = "/usr/bin/python3"
EPOCHS = 5
TARGETS = {"ratio": 0.6, "first_epoch_ratio": 1.5, "first_step_seconds": 0.3}


def train_args(data):
    return ["train", "--dataset", "fashion-mnist", "--data", data, "--epochs", str(EPOCHS),
            "--threads", "1", "--seed", "1"]


def jgrad_cmd(prefix, data):
    return (shlex.split(prefix) if prefix else [os.path.join(ROOT, "jgrad")]) + train_args(data)


def torch_cmd(data):
    return [TORCH_PYTHON, os.path.join(ROOT, "benchmarks", "torch_job5.py"), data, str(EPOCHS), "1"]


def torch_env():
    env = dict(os.environ)
    for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
        env.pop(k, None)
    env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = "1"
    return env


# Classes whose loading marks the phases of a cold jgrad run (-Xlog:class+load, JVM uptime). The
# record Datasets.Splits is created when the data has been read (Trainer is no marker: the warm-up
# thread loads it while the data loads).
PHASES = [("main_loaded", "dev.jgrad.examples.Main "), ("options_parsed", "dev.jgrad.examples.Datasets "),
          ("data_loaded", "dev.jgrad.examples.Datasets$Splits ")]


def phases(log):
    """JVM uptime when each phase of PHASES ended, read from a -Xlog:class+load file."""
    found = {}
    with open(log) as f:
        for line in f:
            for name, cls in PHASES:
                if name not in found and cls in line:
                    found[name] = float(line[1:line.index("s]")])
    return found


def run_job(cmd, env=None, split=False):
    """Runs one whole job, timestamping its stdout lines; returns the numbers of one run. With
    split, the JVM also logs its class loads (JAVA_TOOL_OPTIONS), whose times mark the phases."""
    log = None
    if split:
        log = tempfile.NamedTemporaryFile(suffix=".log", delete=False).name
        env = dict(env or os.environ, JAVA_TOOL_OPTIONS="-Xlog:class+load:file=" + log)
    with tempfile.TemporaryFile(mode="w+") as err:
        start = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=err, stdin=subprocess.DEVNULL,
                             text=True, env=env)
        first_step = final = accuracy = None
        epochs = []
        for line in p.stdout:
            now = time.perf_counter() - start
            if line.startswith("training ") and first_step is None:
                first_step = now
            elif line.startswith("epoch "):
                epochs.append(float(line.split()[-2]))
            elif line.startswith("final test accuracy:"):
                final, accuracy = now, float(line.split()[-1])
        code = p.wait()
        total = time.perf_counter() - start
        if code != 0 or final is None or first_step is None or len(epochs) != EPOCHS:
            err.seek(0)
            raise RuntimeError(" ".join(cmd) + " failed (exit %d):\n%s" % (code, err.read()))
    steady = statistics.median(epochs[2:])
    row = {"seconds": final, "process_seconds": total, "first_step_seconds": first_step,
           "epoch_seconds": epochs, "first_epoch_ratio": epochs[0] / steady, "accuracy": accuracy}
    if log:
        row["phases"] = phases(log)
        os.unlink(log)
    return row


def startup_cpu(cmd):
    """User + system CPU seconds a job spends from its start to its `training ...` line, just before
    the first step (the process is killed there). Less sensitive to other load than wall time."""
    p = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         stdin=subprocess.DEVNULL, text=True)
    for line in p.stdout:
        if line.startswith("training "):
            break
    p.kill()
    _, _, usage = os.wait4(p.pid, 0)
    p.returncode = -9  # reaped by wait4, which also gave its resource usage
    return usage.ru_utime + usage.ru_stime


def median_of(runs, key):
    return statistics.median(r[key] for r in runs)


def summary(name, runs):
    return {name: median_of(runs, "seconds"), name + "_first_step": median_of(runs, "first_step_seconds"),
            name + "_first_epoch": statistics.median(r["epoch_seconds"][0] for r in runs),
            name + "_steady_epoch": statistics.median(statistics.median(r["epoch_seconds"][2:]) for r in runs),
            name + "_first_epoch_ratio": median_of(runs, "first_epoch_ratio"), name + "_runs": runs,
            **({name + "_phases": {k: statistics.median(r["phases"][k] for r in runs) for k, _ in PHASES}}
               if all(len(r.get("phases", {})) == len(PHASES) for r in runs) else {})}


def measure(runs, data, jgrad=None, baseline=None, torch=True, split=False, log=sys.stderr):
    """The job5 row: medians of `runs` alternating runs of jgrad, the baseline (if any) and PyTorch."""
    print("job5: one untimed jgrad run first (builds the jar and the start-up cache if missing)", file=log)
    run_job(jgrad_cmd(jgrad, data))
    jg, base, pt = [], [], []
    for i in range(runs):
        jg.append(run_job(jgrad_cmd(jgrad, data), split=split))
        if baseline:
            base.append(run_job(jgrad_cmd(baseline, data), split=split))
        if torch:
            pt.append(run_job(torch_cmd(data), env=torch_env()))
        print("job5 run %d/%d: jgrad %.2f s%s%s" % (
            i + 1, runs, jg[-1]["seconds"],
            "  baseline %.2f s" % base[-1]["seconds"] if base else "",
            "  pytorch %.2f s" % pt[-1]["seconds"] if pt else ""), file=log, flush=True)
    row = {"workload": "job5", "threads": 1, "unit": "s/job", "targets": TARGETS}
    row.update(summary("jgrad", jg))
    if base:
        row.update(summary("baseline", base))
        row["vs_baseline"] = row["jgrad"] / row["baseline"]
    if pt:
        row.update(summary("pytorch", pt))
        row["ratio"] = row["jgrad"] / row["pytorch"]
        row["target"] = TARGETS["ratio"]
    return row


def describe(row):
    """One line per side: job seconds, start to first step, first and steady epoch."""
    lines = []
    for side in ("jgrad", "baseline", "pytorch"):
        if side in row:
            lines.append("%-8s job %.2f s  start -> first step %.3f s  first epoch %.3f s  steady epoch %.3f s"
                         "  first/steady %.2f" % (
                             side, row[side], row[side + "_first_step"], row[side + "_first_epoch"],
                             row[side + "_steady_epoch"], row[side + "_first_epoch_ratio"]))
            if side + "_phases" in row:
                p = row[side + "_phases"]
                lines.append("%-8s JVM uptime at: Main loaded %.3f s, options parsed %.3f s, data loaded"
                             " %.3f s" % (side, p["main_loaded"], p["options_parsed"],
                                                         p["data_loaded"]))
    if "ratio" in row:
        lines.append("jgrad / pytorch %.2f (target <= %s); targets: first/steady <= %s, start -> first step"
                     " <= %s s" % (row["ratio"], TARGETS["ratio"], TARGETS["first_epoch_ratio"],
                                   TARGETS["first_step_seconds"]))
    if "vs_baseline" in row:
        lines.append("jgrad / baseline %.3f" % row["vs_baseline"])
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    parser.add_argument("--jgrad", help="the jgrad command before 'train' (default: ./jgrad)")
    parser.add_argument("--baseline", help="another jgrad command to run in the same alternation")
    parser.add_argument("--no-torch", action="store_true", help="time the jgrad side(s) only")
    parser.add_argument("--split", action="store_true",
                        help="also log class loads to time the phases of a cold jgrad run")
    parser.add_argument("--startup-cpu", action="store_true",
                        help="only the CPU seconds from process start to the first step, jgrad and baseline")
    parser.add_argument("--json", help="also write the row to this file")
    args = parser.parse_args()
    if args.startup_cpu:
        startup_cpu(jgrad_cmd(args.jgrad, args.data))  # builds the jar and the cache if missing
        sides = [("jgrad", args.jgrad)] + ([("baseline", args.baseline)] if args.baseline else [])
        cpu = {name: [] for name, _ in sides}
        for _ in range(args.runs):
            for name, prefix in sides:
                cpu[name].append(startup_cpu(jgrad_cmd(prefix, args.data)))
        for name, seconds in cpu.items():
            print("%-8s CPU from start to the first step: median %.3f s (%s)" % (
                name, statistics.median(seconds), " ".join("%.2f" % t for t in seconds)))
        return
    row = measure(args.runs, args.data, args.jgrad, args.baseline, torch=not args.no_torch, split=args.split)
    print(describe(row))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(row, f, indent=2)


if __name__ == "__main__":
    main()
