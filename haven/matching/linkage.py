"""Probabilistic record linkage with Splink over Haven's Korean-aware keys.

Records are turned into plain key columns in Python first (`features`): the southern Hangul form, the surname
class, the phonetic skeletons, integer date parts and place codes. The comparisons are then simple SQL over
those columns (equality, `levenshtein`, arithmetic), which DuckDB and Spark both run unchanged: the same
settings serve the embedded DuckDB backend and Splink's Spark backend.

The model's m probabilities are fitted from the ground truth of the synthetic training registry (seed
TRAIN_SEED, never the evaluation seed), u probabilities by random sampling; both are stored in model.json.
At run time only the prior (how likely two random records match) is re-estimated on the input, because it
depends on the size of the registry.
"""
from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import math
import re
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from haven.matching.dates import DATE_LEVELS_SQL, DATE_NULL_SQL, LEVELS as DATE_LABELS, BadDate, date_features
from haven.matching.dates import parse_birth_date
from haven.matching.names import given_syllable_skeletons, name_keys
from haven.matching.places import place_keys

MODEL_PATH = Path(__file__).with_name("model.json")
CLUSTER_THRESHOLD = 0.8  # tuned on a tuning seed (5), never on the evaluation seeds
# A record left on its own at CLUSTER_THRESHOLD joins a cluster at this lower probability when that cluster is
# its only candidate (chosen on the training seed at 20,000 and 1,000,000 records, never the evaluation seeds).
ATTACH_THRESHOLD = 0.3
PAIRS_THRESHOLD = 0.5
PREDICT_FLOOR = 0.05  # pairs below this are not materialised at all

INPUT_COLUMNS = ["record_id", "family_name", "given_name", "family_name_hangul", "given_name_hangul", "birth_date",
                 "sex", "birth_place"]


FEATURE_COLUMNS = ["unique_id", "fam_h", "giv_h", "full_h", "fam_class", "fam_skel", "giv_skel", "name_skel",
                   "giv_s1", "giv_s2", "dob_y", "dob_m", "dob_d", "dob_n", "dob_ph", "sex", "place", "province"]


def _progress(message: str) -> None:
    print(f"[haven dedup {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --- input ---------------------------------------------------------------------------------------------------


def linkage_record(person_like: dict, record_id: str) -> dict:
    """A person (a Person's fields, or a person form's data) as one input record: the INPUT_COLUMNS, as text."""
    birth = person_like.get("birth_date")
    return {
        "record_id": record_id,
        "family_name": person_like.get("family_name") or "",
        "given_name": person_like.get("given_name") or "",
        "family_name_hangul": person_like.get("family_name_hangul") or "",
        "given_name_hangul": person_like.get("given_name_hangul") or "",
        "birth_date": birth.isoformat() if isinstance(birth, dt.date) else (birth or ""),
        "sex": person_like.get("sex") or "",
        "birth_place": person_like.get("birth_place") or "",
    }


@dataclass
class RowProblem:
    row_number: int  # 1 = header line, so the first record is row 2 as a spreadsheet shows it
    record_id: str
    problem: str


@dataclass
class InputData:
    rows: list[dict]
    problems: list[RowProblem] = field(default_factory=list)


def read_records(path: str | Path) -> InputData:
    """Read the dedup CSV; every problem is kept with its row number (nothing is dropped silently)."""
    rows: list[dict] = []
    problems: list[RowProblem] = []
    seen: dict[str, int] = {}
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames is None or "record_id" not in reader.fieldnames:
            raise ValueError("the file needs a header line with at least a record_id column")
        for number, raw in enumerate(reader, start=2):
            row = {col: (raw.get(col) or "").strip() for col in INPUT_COLUMNS}
            rid = row["record_id"]
            if not rid:
                problems.append(RowProblem(number, "", "missing record_id"))
                continue
            if rid in seen:
                problems.append(RowProblem(number, rid, f"duplicate record_id (first on row {seen[rid]})"))
                continue
            seen[rid] = number
            try:
                parse_birth_date(row["birth_date"])
            except BadDate as exc:
                problems.append(RowProblem(number, rid, str(exc)))
            rows.append(row)
    return InputData(rows, problems)


# --- features ------------------------------------------------------------------------------------------------


def _none(value):
    return value if value not in ("", None) else None


def features(rows: Iterable[dict], *, id_column: str = "record_id", lenient_dates: bool = True) -> dict[str, list]:
    """Column lists ready for Splink (one entry per row, in order)."""
    cols: dict[str, list] = {name: [] for name in FEATURE_COLUMNS}
    name_cache: dict[tuple, tuple] = {}
    date_cache: dict[str, tuple] = {}
    for row in rows:
        nk_key = (row.get("family_name") or "", row.get("given_name") or "", row.get("family_name_hangul") or "",
                  row.get("given_name_hangul") or "")
        nk = name_cache.get(nk_key)
        if nk is None:
            k = name_keys(*nk_key)
            full_h = k.family_hangul + k.given_hangul if (k.family_hangul and k.given_hangul) else ""
            cut = given_syllable_skeletons(k.given_hangul or nk_key[1])
            nk = (_none(k.family_hangul), _none(k.given_hangul), _none(full_h), _none(k.family_class),
                  _none(k.family_skel), _none(k.given_skel), _none(k.full_skel),
                  cut[0] if cut else None, cut[1] if cut else None)
            name_cache[nk_key] = nk
        raw_date = row.get("birth_date") or ""
        if isinstance(raw_date, dt.date):
            raw_date = raw_date.isoformat()
        df = date_cache.get(raw_date)
        if df is None:
            try:
                f = date_features(parse_birth_date(raw_date))
            except BadDate:
                if not lenient_dates:
                    raise
                f = date_features(None)
            df = (f.year, f.month, f.day, f.daynum, f.placeholder)
            date_cache[raw_date] = df
        place, province = place_keys(row.get("birth_place") or "")
        sex = (row.get("sex") or "").strip().upper()[:1]
        cols["unique_id"].append(str(row[id_column]))
        for name, value in zip(FEATURE_COLUMNS[1:10], nk):
            cols[name].append(value)
        for name, value in zip(FEATURE_COLUMNS[10:15], df):
            cols[name].append(value)
        cols["sex"].append(sex if sex in ("F", "M") else None)
        cols["place"].append(_none(place))
        cols["province"].append(_none(province))
    return cols


# --- model ---------------------------------------------------------------------------------------------------

FAM_EQ = "(fam_class_l = fam_class_r OR fam_skel_l = fam_skel_r)"


def comparisons():
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    both_h = "full_h_l IS NOT NULL AND full_h_r IS NOT NULL"
    name = cl.CustomComparison(
        output_column_name="name",
        comparison_description="Names through scripts and romanization variants",
        comparison_levels=[
            cll.CustomLevel("name_skel_l IS NULL OR name_skel_r IS NULL").configure(is_null_level=True),
            cll.CustomLevel("full_h_l = full_h_r", "Same Hangul name"),
            cll.CustomLevel(f"{both_h} AND fam_skel_l = fam_skel_r AND giv_skel_l = giv_skel_r",
                            "Sound alike, but the Hangul differs"),
            cll.CustomLevel(f"{both_h} AND fam_h_l = fam_h_r AND length(giv_h_l) = length(giv_h_r) "
                            "AND levenshtein(giv_h_l, giv_h_r) = 1", "Hangul given name differs by one syllable"),
            cll.CustomLevel("fam_class_l = fam_class_r AND giv_skel_l = giv_skel_r",
                            "Same surname class and given-name skeleton"),
            cll.CustomLevel("fam_skel_l = fam_skel_r AND giv_skel_l = giv_skel_r", "Same name skeleton"),
            cll.CustomLevel("fam_skel_l = giv_skel_r AND giv_skel_l = fam_skel_r", "Family and given swapped"),
            cll.CustomLevel(f"{FAM_EQ} AND levenshtein(giv_skel_l, giv_skel_r) <= 1",
                            "Same surname, given name one sound apart"),
            cll.CustomLevel(f"{FAM_EQ} AND ((giv_s1_l = giv_s1_r AND levenshtein(giv_s2_l, giv_s2_r) >= 2) "
                            "OR (giv_s2_l = giv_s2_r AND levenshtein(giv_s1_l, giv_s1_r) >= 2))",
                            "Same surname, given names share one syllable (siblings?)"),
            cll.CustomLevel(f"{FAM_EQ} AND levenshtein(giv_skel_l, giv_skel_r) <= 3",
                            "Same surname, given name close"),
            cll.CustomLevel(FAM_EQ, "Same surname only"),
            cll.CustomLevel("giv_skel_l = giv_skel_r", "Same given name, other surname"),
            cll.ElseLevel(),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_description="Birth date with registration noise",
        comparison_levels=[cll.CustomLevel(DATE_NULL_SQL).configure(is_null_level=True)]
        + [cll.CustomLevel(sql, dict(DATE_LABELS)[key]) for key, sql in DATE_LEVELS_SQL]
        + [cll.ElseLevel()],
    )
    place = cl.CustomComparison(
        output_column_name="birth_place",
        comparison_description="Birth place through spelling variants",
        comparison_levels=[
            cll.CustomLevel("place_l IS NULL OR place_r IS NULL").configure(is_null_level=True),
            cll.CustomLevel("place_l = place_r", "Same place"),
            cll.CustomLevel("province_l = province_r", "Same province"),
            cll.ElseLevel(),
        ],
    )
    sex = cl.ExactMatch("sex")
    return [name, dob, place, sex]


def blocking_rules():
    from splink import block_on

    return [
        block_on("fam_class", "giv_skel"),
        block_on("giv_skel", "dob_y"),
        block_on("fam_class", "dob_n"),
        block_on("full_h"),
        "l.fam_skel = r.giv_skel AND l.giv_skel = r.fam_skel",
    ]


# Share of true duplicate pairs the two rules below find, measured on the training registry (TRAIN_SEED + 1).
DETERMINISTIC_RECALL = 0.35
DETERMINISTIC_RULES = [
    "l.full_h = r.full_h AND l.dob_n = r.dob_n",
    "l.fam_class = r.fam_class AND l.giv_skel = r.giv_skel AND l.dob_n = r.dob_n AND l.dob_ph = 0",
]


def settings_creator(model: dict | None = None):
    from splink import SettingsCreator

    if model is not None:
        return SettingsCreator.from_path_or_dict(model)
    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        comparisons=comparisons(),
        blocking_rules_to_generate_predictions=blocking_rules(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )


def duckdb_api():
    import duckdb
    from splink import DuckDBAPI

    con = duckdb.connect()
    return DuckDBAPI(connection=con)


def spark_api(spark):
    """Splink's Spark backend on an existing SparkSession (its checkpoint directory must be set)."""
    from splink import SparkAPI

    return SparkAPI(spark_session=spark, register_udfs_automatically=False)


INTEGER_FEATURES = {"dob_y", "dob_m", "dob_d", "dob_n", "dob_ph"}


def to_spark_frame(cols: dict[str, list], spark):
    from pyspark.sql.types import LongType, StringType, StructField, StructType

    names = list(cols)
    schema = StructType([StructField(c, LongType() if c in INTEGER_FEATURES else StringType(), True)
                         for c in names])
    records = list(zip(*(cols[c] for c in names)))
    return spark.createDataFrame(records, schema)


def make_linker(table, db_api, *, model: dict | None | str = "stored"):
    from splink import Linker

    if model == "stored":
        model = load_model()
    sdf = db_api.register(table)
    return Linker(sdf, settings_creator(model), log_level=None)


def train(rows: list[dict], *, db_api=None, truth_column: str = "entity_id") -> dict:
    """Fit m from ground truth and u by random sampling on (synthetic training) rows; return the model."""
    cols = features(rows)
    cols[truth_column] = [str(r[truth_column]) for r in rows]
    linker = make_linker(cols, db_api or duckdb_api(), model=None)
    linker.training.estimate_u_using_random_sampling(max_pairs=3e6, seed=7)
    linker.training.estimate_m_from_label_column(truth_column)
    ids = cols[truth_column]
    from collections import Counter

    sizes = Counter(ids)
    true_pairs = sum(n * (n - 1) // 2 for n in sizes.values())
    total = len(ids) * (len(ids) - 1) // 2
    model = linker.misc.save_model_to_json(overwrite=True)
    model["probability_two_random_records_match"] = true_pairs / total
    _fix_sibling_levels(model)
    _fix_unseen_levels(model)
    return model


SIBLING_LEVELS = ("Sound alike, but the Hangul differs", "Hangul given name differs by one syllable",
                  "Same surname, given names share one syllable (siblings?)")
SIBLING_WEIGHT = -6.0


def _fix_sibling_levels(model: dict) -> None:
    """Fixed prior for the sibling levels. Siblings and twins share surname, place, often the birth date and one
    given-name syllable; random sampling of pairs (how u is estimated) almost never meets them, so the fitted
    weight comes out near zero. These levels get a fixed weight of -6 (64 times likelier for different
    people) instead."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("label_for_charts") in SIBLING_LEVELS:
                u = level.get("u_probability") or 1e-4
                level["u_probability"] = u
                level["m_probability"] = u * 2 ** SIBLING_WEIGHT


UNSEEN_M = 0.01


def _fix_unseen_levels(model: dict) -> None:
    """A level the training truth never met (sex or birth place that disagree: the generator does not make that
    mistake) gets m = 0.01 instead of none. Splink reads a missing m as "no information" (weight 0), so a man and
    a woman with the same name and birth year scored as if sex were unknown; real registries do mistype sex and
    place now and then, so the level is strong evidence against, not proof."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            if not level.get("m_probability"):
                level["m_probability"] = UNSEEN_M


# --- running -------------------------------------------------------------------------------------------------


@dataclass
class DedupResult:
    clusters: list[tuple[str, str]]  # (record_id, cluster_id), every record once
    pairs: list[tuple[str, str, float]]  # (record_id_l, record_id_r, match_probability)
    n_compared: int
    timings: dict[str, float]


def _odds_weight(p: float) -> float:
    p = min(max(p, 1e-300), 1 - 1e-16)
    return math.log2(p / (1 - p))


def connected_components(ids: list[str], edges) -> dict[str, str]:
    """Clusters from pairwise links (union-find); a cluster's id is its smallest record id, so DuckDB and Spark
    runs give identical output."""
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            if rb < ra:
                ra, rb = rb, ra
            parent[rb] = ra
    return {rid: find(rid) for rid in ids}


def attach_singletons(ids: list[str], cluster_of: dict[str, str], weak_edges) -> dict[str, str]:
    """Second pass after the connected components at the cluster threshold: a record still alone joins the
    cluster of its weaker links (probability between the attach and the cluster threshold) only when they all
    point to one cluster. Two clusters are never joined this way, and a record torn between two candidates
    stays alone: at 1,000,000 records namesakes are dense, and lowering the threshold for everyone chains
    them. Deterministic (the smallest record id names a cluster), so DuckDB and Spark agree."""
    size: dict[str, int] = {}
    for c in cluster_of.values():
        size[c] = size.get(c, 0) + 1
    candidates: dict[str, set[str]] = {}
    for a, b in weak_edges:
        ca, cb = cluster_of[a], cluster_of[b]
        if ca != cb:
            if size[ca] == 1:
                candidates.setdefault(ca, set()).add(cb)
            if size[cb] == 1:
                candidates.setdefault(cb, set()).add(ca)
    joins = [(c, next(iter(others))) for c, others in candidates.items() if len(others) == 1]
    if not joins:
        return cluster_of
    root = connected_components(sorted({c for pair in joins for c in pair}), joins)
    return {rid: root.get(c, c) for rid, c in ((rid, cluster_of[rid]) for rid in ids)}


def _columns(sdf, names: list[str], via_records: bool) -> dict[str, list]:
    if via_records:  # Spark: no pandas needed
        records = sdf.as_record_list()
        return {name: [r[name] for r in records] for name in names}
    table = sdf.as_pyarrow_table()
    return {name: table.column(name).to_pylist() for name in names}


def _estimate_prior(linker, n_records: int) -> None:
    if n_records < 50:
        return  # too few records to count; the stored prior stays
    settings = linker._settings_obj
    stored = settings._probability_two_random_records_match
    try:
        linker.training.estimate_probability_two_random_records_match(DETERMINISTIC_RULES, recall=DETERMINISTIC_RECALL)
    except Exception as exc:  # noqa: BLE001 - Splink raises a bare exception when no pair is found
        _progress(f"prior kept from the stored model ({exc.__class__.__name__})")
    if not 0 < settings._probability_two_random_records_match < 1:
        # No pair met the deterministic rules (a small registry without duplicates): Splink then sets the prior
        # to 0, and scoring fails on log2(0). The stored prior stays, and the evidence decides.
        settings._probability_two_random_records_match = stored
        _progress("prior kept from the stored model (no pair met the deterministic rules)")


def dedup(rows: list[dict], *, threshold: float = CLUSTER_THRESHOLD, pairs_threshold: float = PAIRS_THRESHOLD,
          db_api=None, model: dict | str = "stored", progress: Callable[[str], None] | None = _progress,
          id_column: str = "record_id", spark=None, estimate_prior: bool = True,
          attach_threshold: float | None = ATTACH_THRESHOLD) -> DedupResult:
    """Cluster rows into people. `spark`: run on Splink's Spark backend with this SparkSession instead of
    the embedded DuckDB. `estimate_prior`: re-estimate the prior on this input (else keep the stored one).
    `attach_threshold`: second clustering pass for records left alone (see attach_singletons; None: off)."""
    say = progress or (lambda message: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    cols = features(rows, id_column=id_column)
    timings["features"] = time.perf_counter() - t0
    say(f"keys computed for {len(rows):,} records in {timings['features']:.1f}s")
    ids = cols["unique_id"]
    if len(ids) < 2:
        return DedupResult([(rid, rid) for rid in ids], [], 0, timings)
    t1 = time.perf_counter()
    if spark is not None:
        linker = make_linker(to_spark_frame(cols, spark), spark_api(spark), model=model)
    else:
        linker = make_linker(cols, db_api or duckdb_api(), model=model)
    del cols
    if estimate_prior:
        _estimate_prior(linker, len(ids))
    say("scoring candidate pairs")
    # Clusters and pairs are decided on the posterior with the prior estimated on this input: in a larger
    # registry the same evidence is weaker, because more namesakes share a name. (Deciding on the evidence
    # alone chains namesakes into giant clusters at 1,000,000 records.)
    predictions = linker.inference.predict(
        threshold_match_weight=_odds_weight(min(PREDICT_FLOOR, pairs_threshold, threshold, attach_threshold or 1.0)),
        warning_mode="never")
    timings["predict"] = time.perf_counter() - t1
    t2 = time.perf_counter()
    pairs_sql = (f"SELECT unique_id_l, unique_id_r, match_probability, match_weight "
                 f"FROM {predictions.physical_name}")
    got = _columns(linker.misc.query_sql(pairs_sql, output_type="splink_df"),
                   ["unique_id_l", "unique_id_r", "match_probability", "match_weight"], spark is not None)
    cut = _odds_weight(threshold)
    links = [(a, b) for a, b, w in zip(got["unique_id_l"], got["unique_id_r"], got["match_weight"]) if w >= cut]
    pairs = [(a, b, p) for a, b, p in zip(got["unique_id_l"], got["unique_id_r"], got["match_probability"])
             if p >= pairs_threshold]
    weak = []
    if attach_threshold is not None and attach_threshold < threshold:
        low = _odds_weight(attach_threshold)
        weak = [(a, b) for a, b, w in zip(got["unique_id_l"], got["unique_id_r"], got["match_weight"])
                if low <= w < cut]
    del got
    cluster_of = connected_components(ids, links)
    if weak:
        cluster_of = attach_singletons(ids, cluster_of, weak)
    timings["cluster"] = time.perf_counter() - t2
    got = _columns(linker.misc.query_sql(f"SELECT count(*) AS n FROM {predictions.physical_name}",
                                         output_type="splink_df"), ["n"], spark is not None)
    n_compared = int(got["n"][0])
    say(f"{n_compared:,} candidate pairs kept, {len(pairs):,} at or above {pairs_threshold}; "
        f"clustered in {timings['cluster']:.1f}s")
    clusters = [(rid, str(cluster_of.get(rid, rid))) for rid in ids]
    return DedupResult(clusters, pairs, n_compared, timings)


_QUOTED = re.compile(r'"([A-Za-z_][A-Za-z0-9_]*)"')


def portable(model: dict) -> dict:
    """Unquote identifiers ("sex_l" → sex_l) in a saved model: DuckDB writes double-quoted identifiers, which
    Spark SQL would read as string literals."""
    model = copy.deepcopy(model)
    for comparison in model.get("comparisons", []):
        for level in comparison["comparison_levels"]:
            level["sql_condition"] = _QUOTED.sub(r"\1", level["sql_condition"])
    for rule in model.get("blocking_rules_to_generate_predictions", []):
        if isinstance(rule, dict):
            rule["blocking_rule"] = _QUOTED.sub(r"\1", rule["blocking_rule"])
    return model


def load_model() -> dict:
    return portable(json.loads(MODEL_PATH.read_text(encoding="utf-8")))


def level_weights(model: dict) -> dict[str, list[tuple[str, float]]]:
    """(label, match weight) of every non-null level of every comparison in a fitted model."""
    out: dict[str, list[tuple[str, float]]] = {}
    for comparison in model["comparisons"]:
        levels = []
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            weight = math.log2(m / u) if m and u else 0.0
            levels.append((level.get("label_for_charts") or level["sql_condition"], weight))
        out[comparison["output_column_name"]] = levels
    return out


def label_for_weight(levels: list[tuple[str, float]], weight: float | None) -> str:
    if weight is None or abs(weight) < 1e-12:
        return "No information (missing on one side)"
    best = min(levels, key=lambda lw: abs(lw[1] - weight))
    return best[0]


def explain_pairs(pairs: list[tuple[dict, dict]], *, model: dict | None = None) -> list[dict]:
    """Match weight per comparison (with the level met) for pairs of records: why two records matched."""
    from splink import DuckDBAPI, Linker

    model = copy.deepcopy(model or load_model())
    model["blocking_rules_to_generate_predictions"] = [{"blocking_rule": "l.pair_no = r.pair_no"}]
    model["additional_columns_to_retain"] = ["pair_no"]
    model["retain_intermediate_calculation_columns"] = True
    rows: list[dict] = []
    for n, (left, right) in enumerate(pairs):
        rows.append(dict(left, record_id=f"{n}:l", pair_no=n))
        rows.append(dict(right, record_id=f"{n}:r", pair_no=n))
    cols = features(rows)
    cols["pair_no"] = [r["pair_no"] for r in rows]
    linker = Linker(DuckDBAPI().register(cols), settings_creator(model), log_level=None)
    scored = {}
    for row in linker.inference.predict(warning_mode="never").as_record_list():
        scored[int(str(row["unique_id_l"]).split(":")[0])] = row
    levels = level_weights(model)
    out = []
    for n in range(len(pairs)):
        row = scored[n]
        out.append({
            "match_probability": row["match_probability"],
            "match_weight": row["match_weight"],
            "comparisons": [
                {"comparison": name, "level": label_for_weight(levels[name], row[f"mw_{name}"]),
                 "match_weight": row[f"mw_{name}"] or 0.0}
                for name in levels
            ],
        })
    return out


def explain_pair(left: dict, right: dict, *, model: dict | None = None) -> dict:
    return explain_pairs([(left, right)], model=model)[0]
