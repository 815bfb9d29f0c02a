"""Duplicate detection bench: quality against Splink's generic comparisons, and 1,000,000 records end to end.

1. Quality, on held-out synthetic data (haven.matching.synth, EVAL_SEED; the model was fitted on TRAIN_SEED):
   pairwise precision, recall and F1 of the clusters from Haven's model and from Splink with only its generic
   comparisons (NameComparison on family and given name, DateOfBirthComparison, ExactMatch on sex and birth
   place; u by random sampling, m by EM, the usual Splink workflow), same data, same run, same threshold.
2. Scale: a 1,000,000-record CSV through `haven dedup FILE --out clusters.csv --pairs pairs.csv` in a fresh
   process: wall time and peak RSS (getrusage of the child), plus the F1 of that run.

    .venv/bin/python bench/dedup_bench.py [--quality 50000] [--scale 1000000] [--tune]

`make bench` calls run_bench() through bench/run.py.
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "haven.settings")

from haven.matching import linkage, synth  # noqa: E402
from haven.matching.dates import BadDate, parse_birth_date  # noqa: E402

RESULTS = ROOT / "bench" / "results"
TARGET_F1 = 0.95
TARGET_SECONDS = 180
TARGET_RSS_GIB = 8


def log(message: str) -> None:
    print(f"[dedup bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- scoring -------------------------------------------------------------------------------------------------


def _pair_count(sizes) -> int:
    return sum(n * (n - 1) // 2 for n in sizes)


def pairwise_scores(clusters: dict[str, str], truth: dict[str, object]) -> dict:
    """Pairwise precision/recall/F1 of a clustering against the true entities, counted without listing pairs."""
    by_both: dict[tuple, int] = defaultdict(int)
    by_cluster: dict[str, int] = defaultdict(int)
    by_entity: dict[object, int] = defaultdict(int)
    for record_id, entity in truth.items():
        cluster = clusters[record_id]
        by_both[(cluster, entity)] += 1
        by_cluster[cluster] += 1
        by_entity[entity] += 1
    tp = _pair_count(by_both.values())
    predicted = _pair_count(by_cluster.values())
    actual = _pair_count(by_entity.values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4),
            "true_pairs": actual, "predicted_pairs": predicted}


# --- the two models ------------------------------------------------------------------------------------------


def haven_clusters(rows: list[dict], threshold: float) -> dict[str, str]:
    result = linkage.dedup(rows, threshold=threshold, progress=log)
    return dict(result.clusters)


def generic_clusters(rows: list[dict], threshold: float) -> dict[str, str]:
    """Splink with generic comparisons only, on the raw strings (dates parsed to ISO, nothing Korean)."""
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    def iso(text):
        try:
            value = parse_birth_date(text)
        except BadDate:
            return None
        return value.isoformat() if value else None

    def clean(text):
        text = (text or "").strip().lower()
        return text or None

    cols = {
        "unique_id": [r["record_id"] for r in rows],
        "family_name": [clean(r["family_name"]) or clean(r["family_name_hangul"]) for r in rows],
        "given_name": [clean(r["given_name"]) or clean(r["given_name_hangul"]) for r in rows],
        "birth_date": [iso(r["birth_date"]) for r in rows],
        "sex": [clean(r["sex"]) for r in rows],
        "birth_place": [clean(r["birth_place"]) for r in rows],
    }
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("family_name"),
            cl.NameComparison("given_name"),
            cl.DateOfBirthComparison("birth_date", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("birth_place"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("family_name", "given_name"),
            block_on("given_name", "birth_date"),
            block_on("family_name", "birth_date"),
        ],
    )
    linker = Linker(DuckDBAPI().register(cols), settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("family_name", "given_name", "birth_date")], recall=0.6)
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family_name", "given_name"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("birth_date"))
    predictions = linker.inference.predict(threshold_match_probability=0.05, warning_mode="never")
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold).as_pyarrow_table()
    found = dict(zip(clustered.column("unique_id").to_pylist(), (str(c) for c in clustered.column("cluster_id")
                                                                 .to_pylist())))
    return {rid: found.get(rid, rid) for rid in cols["unique_id"]}


def quality(n_records: int, seed: int = synth.EVAL_SEED) -> dict:
    log(f"quality: generating {n_records:,} held-out records (seed {seed})")
    rows = synth.generate(n_records, seed)
    truth = {r["record_id"]: r["entity_id"] for r in rows}
    out = {"records": n_records, "seed": seed, "entities": len(set(truth.values()))}
    started = time.perf_counter()
    out["haven"] = pairwise_scores(haven_clusters(rows, linkage.CLUSTER_THRESHOLD), truth)
    out["haven"]["seconds"] = round(time.perf_counter() - started, 1)
    log(f"haven: {out['haven']}")
    started = time.perf_counter()
    out["splink_generic"] = pairwise_scores(generic_clusters(rows, linkage.CLUSTER_THRESHOLD), truth)
    out["splink_generic"]["seconds"] = round(time.perf_counter() - started, 1)
    log(f"splink generic: {out['splink_generic']}")
    out["target_f1"] = TARGET_F1
    out["meets_target"] = out["haven"]["f1"] >= TARGET_F1
    return out


def tune(n_records: int) -> dict:
    """Cluster threshold on the TRAINING seed (never the evaluation seed)."""
    rows = synth.generate(n_records, synth.TRAIN_SEED + 1)
    truth = {r["record_id"]: r["entity_id"] for r in rows}
    out = {}
    for threshold in (0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 0.98):
        result = linkage.dedup(rows, threshold=threshold, progress=None)
        out[threshold] = pairwise_scores(dict(result.clusters), truth)
        log(f"threshold {threshold}: {out[threshold]}")
    return out


# --- scale ---------------------------------------------------------------------------------------------------

CHILD = """
import resource, subprocess, sys, time, json
started = time.perf_counter()
code = subprocess.run(sys.argv[1:]).returncode
seconds = time.perf_counter() - started
print(json.dumps({"returncode": code, "seconds": seconds,
                  "peak_rss_kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def scale(n_records: int, seed: int = synth.EVAL_SEED + 1) -> dict:
    RESULTS.mkdir(parents=True, exist_ok=True)
    source = RESULTS / f"dedup-{n_records}-{seed}.csv"
    truth_path = RESULTS / f"dedup-{n_records}-{seed}.truth.csv"
    if not source.exists() or not truth_path.exists():
        log(f"scale: generating {n_records:,} records (seed {seed}); not part of the timing")
        rows = synth.generate(n_records, seed)
        synth.write_csv(rows, source)
        with open(truth_path, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["record_id", "entity_id"])
            writer.writerows((r["record_id"], r["entity_id"]) for r in rows)
        del rows
    clusters_path = RESULTS / "dedup-clusters.csv"
    pairs_path = RESULTS / "dedup-pairs.csv"
    haven = str(Path(sys.executable).with_name("haven"))
    log(f"scale: haven dedup {source.name} (timed, peak RSS measured)")
    out = subprocess.run([sys.executable, "-c", CHILD, haven, "dedup", str(source), "--out", str(clusters_path),
                          "--pairs", str(pairs_path)], capture_output=True, text=True, cwd=ROOT)
    if out.returncode != 0:
        return {"error": out.stderr[-2000:]}
    measured = json.loads(out.stdout.strip().splitlines()[-1])
    with open(truth_path, newline="", encoding="utf-8") as fh:
        truth = {row["record_id"]: row["entity_id"] for row in csv.DictReader(fh)}
    with open(clusters_path, newline="", encoding="utf-8") as fh:
        clusters = {row["record_id"]: row["cluster_id"] for row in csv.DictReader(fh)}
    seconds = round(measured["seconds"], 1)
    rss_gib = round(measured["peak_rss_kib"] / 1024 / 1024, 2)
    result = {
        "records": n_records, "cores": os.cpu_count(), "seconds": seconds, "peak_rss_gib": rss_gib,
        "returncode": measured["returncode"], "every_record_once": sorted(clusters) == sorted(truth),
        "scores": pairwise_scores(clusters, truth),
        "progress": [line for line in out.stderr.splitlines() if line.startswith("[dedup]")],
        "target_seconds": TARGET_SECONDS, "target_rss_gib": TARGET_RSS_GIB,
    }
    result["meets_target"] = seconds < TARGET_SECONDS and rss_gib < TARGET_RSS_GIB
    return result


def run_bench(quality_records: int = 20_000, scale_records: int = 1_000_000) -> dict:
    report = {"quality": quality(quality_records)}
    if scale_records:
        report["scale"] = scale(scale_records)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "dedup.json").write_text(json.dumps(report, indent=1, ensure_ascii=False), encoding="utf-8")
    return report


def side_by_side(report: dict) -> str:
    """The comparison as a small table (stderr), next to the JSON report."""
    lines = []
    q = report.get("quality")
    if q:
        lines.append(f"held-out seed {q['seed']}, {q['records']:,} records, {q['entities']:,} people")
        lines.append(f"{'':24}{'precision':>10}{'recall':>10}{'F1':>8}{'seconds':>9}")
        for name, key in (("Haven", "haven"), ("Splink generic", "splink_generic")):
            r = q[key]
            lines.append(f"{name:24}{r['precision']:>10.4f}{r['recall']:>10.4f}{r['f1']:>8.4f}{r['seconds']:>9.1f}")
        lines.append(f"target F1 >= {q['target_f1']}: {'met' if q['meets_target'] else 'NOT met'}")
    s = report.get("scale")
    if s and "error" not in s:
        r = s["scores"]
        lines.append(f"{s['records']:,} records end to end: {s['seconds']} s, peak RSS {s['peak_rss_gib']} GiB "
                     f"(targets < {s['target_seconds']} s, < {s['target_rss_gib']} GiB: "
                     f"{'met' if s['meets_target'] else 'NOT met'}); P {r['precision']:.4f} R {r['recall']:.4f} "
                     f"F1 {r['f1']:.4f}")
    elif s:
        lines.append(f"scale run failed: {s['error'][-500:]}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quality", type=int, default=20_000, help="held-out records for precision/recall")
    parser.add_argument("--scale", type=int, default=1_000_000, help="records for the timed run (0: skip)")
    parser.add_argument("--tune", type=int, default=0, help="print scores per threshold on N training records")
    args = parser.parse_args(argv)
    import django

    django.setup()
    if args.tune:
        report = {"tune": tune(args.tune)}
    else:
        report = run_bench(args.quality, args.scale)
    print(json.dumps(report, indent=1, ensure_ascii=False))
    if "tune" not in report:
        print(side_by_side(report), file=sys.stderr)
    return report


if __name__ == "__main__":
    main()
