"""The same model on Splink's Spark backend, on a local SparkSession (Java 17 is on every Haven machine)."""
import shutil
import tempfile

import pytest

from haven.matching import linkage, synth


@pytest.fixture(scope="module")
def spark():
    from pyspark.sql import SparkSession

    checkpoints = tempfile.mkdtemp(prefix="haven-spark-")
    session = (SparkSession.builder.master("local[1]").appName("haven-matching-test")
               .config("spark.sql.shuffle.partitions", "1").config("spark.default.parallelism", "1")
               .config("spark.ui.enabled", "false").config("spark.driver.memory", "1g")
               .config("spark.sql.adaptive.enabled", "false").getOrCreate())
    session.sparkContext.setCheckpointDir(checkpoints)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()
    shutil.rmtree(checkpoints, ignore_errors=True)


def test_spark_backend_gives_the_same_clusters_and_pairs_as_duckdb(spark):
    rows = synth.generate(80, 4242)
    on_duckdb = linkage.dedup(rows, progress=None, estimate_prior=False)
    on_spark = linkage.dedup(rows, progress=None, estimate_prior=False, spark=spark)

    assert sorted(r for r, _ in on_spark.clusters) == sorted(r["record_id"] for r in rows)

    def partition(result):
        groups = {}
        for record_id, cluster in result.clusters:
            groups.setdefault(cluster, set()).add(record_id)
        return sorted(sorted(g) for g in groups.values())

    assert partition(on_spark) == partition(on_duckdb)
    duck_pairs = {(min(a, b), max(a, b)): p for a, b, p in on_duckdb.pairs}
    spark_pairs = {(min(a, b), max(a, b)): p for a, b, p in on_spark.pairs}
    assert duck_pairs.keys() == spark_pairs.keys()
    assert duck_pairs  # the sample has duplicates to find
    for key, p in duck_pairs.items():
        assert spark_pairs[key] == pytest.approx(p, abs=1e-6)
