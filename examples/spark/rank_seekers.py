#!/usr/bin/env python3
"""Rank a file of seekers with jobmatch on Apache Spark.

Spark splits the seekers file into partitions, pipes each partition through
the jobmatch CLI (`RDD.pipe`: one `jobmatch match` process per partition,
reading seekers on stdin and writing one result line per seeker on stdout,
in order), and the driver joins the partitions' outputs in order into one
JSON Lines file: the same bytes as one `jobmatch match` process over the
whole file.

    python3 examples/spark/rank_seekers.py \
        --jobmatch target/release/examples/jobmatch \
        --index idx --seekers market/seekers.jsonl --output matches.jsonl \
        --top 20 --partitions 8 --master 'local[2]'

The index (or shard set) and the binary must be readable at the same path
on every executor: on one machine they are; on a cluster put them on shared
storage, or ship them with spark-submit (see docs/scale-out.md).
"""

import argparse
import glob
import os
import shlex
import shutil
import sys
import time


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobmatch", required=True, help="the jobmatch CLI binary")
    p.add_argument("--index", required=True, help="index directory or shard set")
    p.add_argument("--seekers", required=True, help="seekers, JSON Lines")
    p.add_argument("--output", required=True, help="results, JSON Lines, in input order")
    p.add_argument("--top", type=int, default=20, help="vacancies per seeker")
    p.add_argument("--partitions", type=int, default=8, help="partitions of the seekers file")
    p.add_argument("--master", default="local[2]", help="Spark master URL")
    p.add_argument("--threads", type=int, default=1, help="ranking threads per worker process")
    p.add_argument("--extra", default="", help="more arguments for `jobmatch match` (e.g. --today 2021-03-31)")
    return p.parse_args(argv)


def command(a):
    """The worker: `jobmatch match` on stdin, JSON Lines on stdout."""
    local = a.master.startswith("local")
    where = os.path.abspath if local else (lambda p: p)
    cmd = [where(a.jobmatch), "--quiet", "match", "--index", where(a.index),
           "--top", str(a.top), "--threads", str(a.threads)]
    cmd += shlex.split(a.extra)
    return cmd


def main(argv):
    a = parse_args(argv)
    if a.master.startswith("local"):
        # On a cluster these live on the executors (shipped with --files and
        # --archives, or on shared storage), not necessarily here.
        for path, what in [(a.jobmatch, "--jobmatch"), (a.index, "--index"), (a.seekers, "--seekers")]:
            if not os.path.exists(path):
                sys.exit(f"error: {what} {path}: no such file or directory")
    from pyspark import SparkConf, SparkContext

    started = time.time()
    sc = SparkContext(conf=SparkConf().setAppName("jobmatch-rank").setMaster(a.master))
    sc.setLogLevel("WARN")
    parts = a.output + ".parts"
    shutil.rmtree(parts, ignore_errors=True)
    try:
        source = os.path.abspath(a.seekers) if "://" not in a.seekers else a.seekers
        seekers = sc.textFile(source, minPartitions=a.partitions)
        # Partitions keep the file's order; pipe keeps each one's order.
        # PySpark's pipe takes one command line (split with shlex).
        worker = " ".join(shlex.quote(c) for c in command(a))
        target = os.path.abspath(parts) if "://" not in parts else parts
        seekers.pipe(worker, checkCode=True).saveAsTextFile(target)
    finally:
        sc.stop()
    if "://" in parts:
        print(f"results in {parts}/part-* (read them in name order)", file=sys.stderr)
        return
    # part-00000, part-00001, ...: in partition order.
    with open(a.output, "wb") as out:
        for part in sorted(glob.glob(os.path.join(parts, "part-*"))):
            with open(part, "rb") as f:
                shutil.copyfileobj(f, out)
    shutil.rmtree(parts)
    print(f"ranked {a.seekers} into {a.output} in {time.time() - started:.1f} s "
          f"({a.partitions} partitions, master {a.master})", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
