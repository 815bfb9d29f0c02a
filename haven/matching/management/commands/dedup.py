"""`haven dedup FILE.csv --out clusters.csv [--pairs pairs.csv]`: find the same person written many ways."""
import csv
import sys
import time

from django.core.management.base import BaseCommand, CommandError

from haven.matching.linkage import CLUSTER_THRESHOLD, PAIRS_THRESHOLD, dedup, read_records

SHOWN_PROBLEMS = 50


class Command(BaseCommand):
    help = ("Cluster the records of a CSV (record_id, family_name, given_name, family_name_hangul, "
            "given_name_hangul, birth_date, sex, birth_place) into people. Rows with a missing or duplicate "
            "record_id or an unreadable birth date are listed with their row numbers and the command exits "
            "with status 2 without writing anything; --keep-bad-dates treats unreadable dates as missing "
            "instead (with a warning per row).")

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--out", required=True, help="clusters.csv: record_id, cluster_id")
        parser.add_argument("--pairs", help="pairs.csv: record_id_l, record_id_r, match_probability")
        parser.add_argument("--threshold", type=float, default=CLUSTER_THRESHOLD,
                            help="match probability at which two records join one cluster")
        parser.add_argument("--pairs-threshold", type=float, default=PAIRS_THRESHOLD,
                            help="lowest match probability written to --pairs")
        parser.add_argument("--keep-bad-dates", action="store_true",
                            help="treat unreadable birth dates as missing instead of failing")
        parser.add_argument("--quiet", action="store_true", help="no progress messages on stderr")

    def handle(self, *args, file, out, pairs, threshold, pairs_threshold, keep_bad_dates, quiet, **options):
        started = time.perf_counter()
        try:
            data = read_records(file)
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"cannot read {file}: {exc}", returncode=2) from exc
        fatal = [p for p in data.problems if not (keep_bad_dates and "date" in p.problem)]
        warned = [p for p in data.problems if p not in fatal]
        for problem in warned:
            sys.stderr.write(f"warning: row {problem.row_number} ({problem.record_id}): {problem.problem}; "
                             "birth date treated as missing\n")
        if fatal:
            lines = [f"row {p.row_number}: {p.problem}" + (f" ({p.record_id})" if p.record_id else "")
                     for p in fatal[:SHOWN_PROBLEMS]]
            more = f"\n… and {len(fatal) - SHOWN_PROBLEMS} more" if len(fatal) > SHOWN_PROBLEMS else ""
            raise CommandError(f"{len(fatal)} bad row(s) in {file}, nothing written:\n" + "\n".join(lines) + more,
                               returncode=2)
        say = None if quiet else (lambda message: sys.stderr.write(f"[dedup] {message}\n"))
        if say:
            say(f"read {len(data.rows):,} records")
        result = dedup(data.rows, threshold=threshold, pairs_threshold=pairs_threshold, progress=say)
        with open(out, "w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["record_id", "cluster_id"])
            writer.writerows(result.clusters)
        if pairs:
            with open(pairs, "w", newline="", encoding="utf-8") as fh:
                writer = csv.writer(fh)
                writer.writerow(["record_id_l", "record_id_r", "match_probability"])
                writer.writerows((left, right, f"{p:.6f}") for left, right, p in result.pairs)
        n_clusters = len({cluster for _, cluster in result.clusters})
        if say:
            say(f"{len(result.clusters):,} records in {n_clusters:,} clusters, "
                f"{time.perf_counter() - started:.1f}s in all")
