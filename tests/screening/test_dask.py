"""Screening partitioned on Dask distributed gives exactly the single-process matches."""

from __future__ import annotations

import csv
import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed", reason="needs the optional extra 'scale' (dask)")

from distributed import Client, LocalCluster

from bench.screening.population import queries, watchlist
from readmit.cli import main
from readmit.screening.matching import Index, Record
from readmit.screening.matching.batch import screen_all
from readmit.screening.matching.cluster import screen_on_cluster
from tests.screening.paths import PYTHON, ROOT

SEED = 20261202
THRESHOLD = 0.8


@pytest.fixture(scope="module")
def cluster() -> Iterator[LocalCluster]:
    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def names() -> tuple[list[Record], list[Record]]:
    records = watchlist(SEED, 4000)
    return records, queries(SEED, 1500, records)


def rows(people, results):
    return [
        (person.id, hit.record.id, hit.score, hit.matched_name, hit.explanation)
        for person, hits in zip(people, results, strict=True)
        for hit in hits
    ]


def test_two_dask_workers_give_the_same_pairs_scores_and_order_as_one_process(cluster, names):
    records, people = names
    alone = rows(people, screen_all(Index(records), people, THRESHOLD))
    builds: dict[str, int] = {}
    with Client(cluster) as client:
        on_dask = rows(
            people,
            screen_on_cluster(
                client, records, people, THRESHOLD, partition_size=100, builds=builds
            ),
        )
    assert len(alone) > 100  # the data set has real matches to compare
    assert on_dask == alone
    # 15 partitions on 2 workers, but the watchlist index was built once on each worker.
    assert sorted(builds.values()) == [1, 1]


def test_calibrated_scores_on_dask_are_the_single_process_scores(cluster, names):
    records, people = names
    people = people[:300]
    alone = rows(people, screen_all(Index(records, calibration=True), people, 0.5))
    with Client(cluster) as client:
        results = screen_on_cluster(
            client, records, people, 0.5, calibration=True, partition_size=70
        )
    assert alone and rows(people, results) == alone


def write_csv(path: Path, header: list[str], data: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(data)
    return path


@pytest.fixture(scope="module")
def csv_files(tmp_path_factory, names) -> tuple[Path, Path]:
    records, people = names
    folder = tmp_path_factory.mktemp("dask")
    watch = write_csv(
        folder / "watchlist.csv",
        ["id", "name", "aliases", "birth_date"],
        [[r.id, r.name, ";".join(r.aliases), str(r.birth_date or "")] for r in records],
    )
    people_csv = write_csv(
        folder / "list.csv",
        ["id", "name", "birth_date"],
        [[r.id, r.name, str(r.birth_date or "")] for r in people[:600]],
    )
    return people_csv, watch


def test_readmit_screen_with_scheduler_writes_the_same_csv_as_one_process(
    cluster, csv_files, tmp_path
):
    people_csv, watch = csv_files
    alone, on_dask = tmp_path / "alone.csv", tmp_path / "dask.csv"
    common = [str(people_csv), "--against", str(watch)]
    assert main(["screen", *common, "--out", str(alone)]) == 0
    assert (
        main(
            [
                "screen",
                *common,
                "--out",
                str(on_dask),
                "--scheduler",
                cluster.scheduler_address,
                "--partition-size",
                "50",
            ]
        )
        == 0
    )
    expected = alone.read_text(encoding="utf-8")
    assert len(list(csv.reader(io.StringIO(expected)))) > 20
    assert on_dask.read_text(encoding="utf-8") == expected


def test_readmit_screen_with_dask_workers_starts_a_local_cluster_and_agrees(csv_files, tmp_path):
    people_csv, watch = csv_files
    alone = tmp_path / "alone.csv"
    assert main(["screen", str(people_csv), "--against", str(watch), "--out", str(alone)]) == 0
    result = subprocess.run(
        [PYTHON, "-m", "readmit.cli", "screen", str(people_csv), "--against", str(watch),
         "--dask-workers", "2"],
        cwd=ROOT, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout == alone.read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--dask-workers", "0"], "--dask-workers"),
        (["--dask-workers", "2", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler"),
        (["--partition-size", "none"], "--partition-size"),
    ],
)
def test_bad_dask_options_are_refused_naming_the_option(csv_files, capsys, extra, named):
    people_csv, watch = csv_files
    with pytest.raises(SystemExit) as exit_:
        main(["screen", str(people_csv), "--against", str(watch), *extra])
    assert exit_.value.code == 2
    assert named in capsys.readouterr().err


def test_jobs_with_dask_workers_is_refused_naming_both_options(csv_files, capsys):
    people_csv, watch = csv_files
    code = main(
        ["screen", str(people_csv), "--against", str(watch), "--jobs", "2", "--dask-workers", "2"]
    )
    assert code == 2
    captured = capsys.readouterr()
    assert "--jobs" in captured.err and "--dask-workers" in captured.err
    assert captured.out == ""
