"""`serving bench` with every model on `device: cuda` (servers and in-process floors),
writing one more report per (baseline, candidate) pair given with --pair (repeatable).
Run from the repository root with PYTHONPATH=. and the `serving bench` arguments.

Written before `serving bench` had `--device`: its servers get `device: auto` (TorchServe's
gpu_id, so cuda:0 here) but its floors load with gpu_id=None, which `auto` resolves to
the CPU. This driver sets `device: cuda` in the generated config for both.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
from pathlib import Path

from serving.bench import cli, report, runner

_variant_config = runner.variant_config


def variant_config_on_cuda(plan, variant, port, model_dir):  # type: ignore[no-untyped-def]
    config = _variant_config(plan, variant, port, model_dir)
    for model in config["models"]:
        model["device"] = os.environ.get("BENCH_DEVICE", "cuda")
    return config


runner.variant_config = variant_config_on_cuda

parser = argparse.ArgumentParser()
cli.add_bench_arguments(parser)
parser.add_argument("--pair", action="append", default=[], metavar="BASE,CAND=DIR")
args = parser.parse_args()

_write_all = report.write_all
NOTE = (
    "GPU run driven by docs/bench/gpu-h100/bench_on_cuda.py: models[].device = cuda for "
    "the servers and the in-process floors (serving bench has no device option, and its "
    "floors resolve device auto to the CPU)."
)


def write_all(rep, directory, pair=None, usable_cores=None):  # type: ignore[no-untyped-def]
    if NOTE not in rep.notes:
        rep.notes.append(NOTE)
    with open(Path(directory) / "report.pickle", "wb") as handle:
        pickle.dump(rep, handle)
    written = _write_all(rep, directory, pair, usable_cores)
    for spec in args.pair:
        names, _, where = spec.partition("=")
        base, cand = names.split(",")
        saved = dict(rep.config)
        rep.config["baseline"], rep.config["candidate"] = base, cand
        try:
            _write_all(rep, Path(where), (base, cand), usable_cores)
            print(report.markdown(rep, (base, cand), usable_cores))
        finally:
            rep.config.clear()
            rep.config.update(saved)
    return written


report.write_all = write_all
sys.exit(cli.run_bench(args))
