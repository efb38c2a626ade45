"""Bad input and hostile places: every case ends in relscore's own error naming the file
(exit 1, no traceback) or a usage error (exit 2), never overwrites an input, never drops
a row in silence. The table of these cases is ``docs/bad_input.md``.
"""

import errno
import json
import os
import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from relscore.cli import main
from relscore.exceptions import EventFileError, StoreError, WeightsFileError
from relscore.files.temporary import temp_name
from relscore.importers import import_gdelt, read_gdelt, read_icews
from relscore.readers.events import read_checked
from relscore.readers.weights import read_weights
from relscore.store.ingest import import_to_store
from relscore.store.layout import META_NAME, month_parts, part_name, store_lock
from tests.conftest import FIXTURES, run

GDELT61 = FIXTURES / "gdelt2_61col.tsv"
MIXED = FIXTURES / "gdelt_mixed_layouts.tsv"
ICEWS = FIXTURES / "icews_events_2018.tab"
HEADER = "event_id,date,actor1,actor2,event_code,description,source,fatalities,weight,notes"
GOOD = "a,2024-01-16,IRN,PAK,195,Iran struck targets in Pakistan,seed,2,,"


def events_file(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def gdelt_row(event_id, date="20191024", actor1="IRN", actor2="PAK", code="190", url="u"):
    """One GDELT 2.0 row (61 fields) with the fields relscore reads."""
    fields = [""] * 61
    fields[0], fields[1], fields[7], fields[17], fields[26] = (
        str(event_id),
        date,
        actor1,
        actor2,
        code,
    )
    fields[31] = fields[32] = fields[33] = "1"
    fields[34], fields[60] = "0.5", url
    return "\t".join(fields)


def temporaries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.tmp"))


# --- A. Never overwrite an input --------------------------------------------------------


@pytest.mark.parametrize("how", ["same", "dotdot", "symlink", "hardlink", "weights"])
def test_index_refuses_an_output_that_is_an_input(capsys, tmp_path, how):
    events = events_file(tmp_path / "events.csv", GOOD)
    weights = tmp_path / "w.toml"
    weights.write_text('[weights]\n"195" = -9.0\n')
    output = {
        "same": events,
        "dotdot": tmp_path / "sub" / ".." / "events.csv",
        "symlink": tmp_path / "link.csv",
        "hardlink": tmp_path / "hard.csv",
        "weights": weights,
    }[how]
    if how == "symlink":
        output.symlink_to(events)
    if how == "hardlink":
        os.link(events, output)
    before = events.read_bytes(), weights.read_bytes()
    code, _, err = run(capsys, "index", events, "--weights", weights, "-o", output)
    assert code == 2
    assert f"-o {output} would overwrite the input " in err and "never writes over" in err
    assert (events.read_bytes(), weights.read_bytes()) == before


def test_import_refuses_outputs_that_are_sources_or_each_other(capsys, tmp_path):
    source = tmp_path / "g.tsv"
    shutil.copy(GDELT61, source)
    before = source.read_bytes()
    for argv in (
        ["-o", source],
        ["-o", tmp_path / "out.csv", "--skipped", source],
        ["-o", tmp_path / "out.csv", "--skipped", tmp_path / "out.csv"],
        ["--to-parquet", tmp_path / "store", "--skipped", source],
    ):
        code, _, err = run(capsys, "import", "gdelt", source, *argv)
        assert code == 2, argv
        assert "would overwrite" in err and str(argv[-1]) in err
    assert source.read_bytes() == before
    assert not (tmp_path / "out.csv").exists()


def test_episodes_and_robustness_refuse_to_overwrite_their_events(capsys, tmp_path):
    events = events_file(tmp_path / "e.csv", GOOD)
    for command in ("episodes", "robustness"):
        code, _, err = run(capsys, command, events, "-o", events)
        assert code == 2 and "would overwrite the input" in err


def test_an_index_written_into_a_store_month_is_refused(capsys, tmp_path):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    target = store / "month=2019-10" / "index.parquet"
    code, _, err = run(capsys, "index", store, "-o", target)
    assert code == 2 and f"would overwrite the input {store}" in err
    assert not target.exists()


def test_an_output_named_like_a_folder_fails_and_keeps_the_folder(capsys, tmp_path):
    events = events_file(tmp_path / "e.csv", GOOD)
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("x")
    for output in (folder, tmp_path / "out2.parquet"):
        if output != folder:
            output.mkdir()
        code, _, err = run(capsys, "index", events, "-o", output)
        assert (code, err) == (1, f"relscore: error: {output}: is a folder; name a file to write\n")
    assert (folder / "keep.txt").read_text() == "x"
    assert temporaries(tmp_path) == []


@pytest.mark.parametrize("place", ["/proc/relscore-test.csv", "/proc/self/no/such/out.csv"])
def test_an_output_where_nothing_can_be_written_is_one_line(capsys, tmp_path, place):
    events = events_file(tmp_path / "e.csv", GOOD)
    code, _, err = run(capsys, "index", events, "-o", place)
    assert code == 1
    assert err.startswith(f"relscore: error: {place}: cannot write: ") and err.count("\n") == 1


# --- B. One error path ------------------------------------------------------------------


def test_an_unreadable_events_or_weights_file_is_a_problem_not_a_traceback(
    capsys, tmp_path, monkeypatch
):
    events = events_file(tmp_path / "e.csv", GOOD)
    weights = tmp_path / "w.toml"
    weights.write_text('[weights]\n"195" = -9.0\n')
    real_bytes, real_text = Path.read_bytes, Path.read_text

    def denied(real):
        def read(self, *args, **kwargs):
            if self.name in ("e.csv", "w.toml"):  # chmod 000 bites no root: simulate it
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real(self, *args, **kwargs)

        return read

    monkeypatch.setattr(Path, "read_bytes", denied(real_bytes))
    monkeypatch.setattr(Path, "read_text", denied(real_text))
    code, _, err = run(capsys, "validate", events, "--weights", weights)
    assert code == 1
    assert err.splitlines() == [
        f"{events}:1: (file): permission denied",
        f"{weights}:1: (file): permission denied",
    ]


def test_a_weights_path_that_is_a_folder(tmp_path):
    with pytest.raises(WeightsFileError, match=r":1: \(file\): is a folder, not a file"):
        read_weights(tmp_path)


def test_an_events_path_that_is_a_folder_or_missing(tmp_path):
    _, problems = read_checked([tmp_path, tmp_path / "none.csv"])
    assert [p.message for p in problems] == [
        "is a folder, not a file",
        f"no such file (no CSV file of that name in {tmp_path.resolve()})",
    ]


def test_a_10_mb_description_is_read(tmp_path):
    long = "x" * 10_000_000
    path = events_file(tmp_path / "e.csv", f'a,2024-01-16,IRN,PAK,195,"{long}",seed,,,', GOOD[1:])
    events, problems = read_checked(path)
    assert problems == [] and len(events) == 2 and len(events["description"][0]) == len(long)


def test_an_import_with_a_200_kb_url_passes_validate_and_index(capsys, tmp_path):
    source = tmp_path / "g.tsv"
    url = "https://example.org/" + "q" * 200_000
    source.write_text(gdelt_row(1, url=url) + "\n" + gdelt_row(2, code="036") + "\n")
    out = tmp_path / "events.csv"
    assert run(capsys, "import", "gdelt", source, "-o", out)[0] == 0
    code, stdout, _ = run(capsys, "validate", out)
    assert (code, stdout) == (0, "ok: 2 events in 1 file(s), every code weighted\n")
    code, _, err = run(capsys, "index", out, "-o", tmp_path / "i.csv")
    assert code == 0 and "scored 2 events" in err


def test_a_duplicated_or_unknown_header_column_is_named(tmp_path):
    twice = events_file(tmp_path / "a.csv", GOOD + ",x", header=HEADER + ",date")
    typo = events_file(tmp_path / "b.csv", GOOD, header=HEADER.replace("fatalities", "fatalites"))
    _, problems = read_checked([twice, typo])
    assert [str(p) for p in problems] == [
        f"{twice}:1: date: column appears twice in the header",
        f"{typo}:1: fatalites: unknown column 'fatalites'; did you mean 'fatalities'?",
    ]


def test_a_nul_byte_or_a_lone_carriage_return_is_no_traceback(tmp_path):
    nul = tmp_path / "nul.csv"
    nul.write_bytes((HEADER + "\n" + GOOD.replace("seed", "se\0ed") + "\n").encode())
    cr = tmp_path / "cr.csv"
    cr.write_bytes((HEADER + "\r" + GOOD.replace("a", "b", 1) + "\r").encode())
    events, problems = read_checked([nul, cr])
    assert problems == [] and len(events) == 2


def test_an_icews_file_of_blank_lines(capsys, tmp_path):
    blank = tmp_path / "blank.tab"
    blank.write_text("\n\n  \n\n")
    with pytest.raises(EventFileError, match=r"blank\.tab: not an ICEWS events file"):
        read_icews(blank)
    code, _, err = run(capsys, "import", "icews", blank, "-o", tmp_path / "o.csv")
    assert code == 1 and err.startswith(f"relscore: error: {blank}: not an ICEWS")


@pytest.mark.parametrize("kind", ["gz", "zip"])
def test_a_truncated_archive_names_the_file(tmp_path, kind):
    import gzip
    import zipfile

    path = tmp_path / f"g.{kind}"
    if kind == "gz":
        path.write_bytes(gzip.compress(GDELT61.read_bytes())[:300])
    else:
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.write(GDELT61, "g.tsv")
        path.write_bytes(path.read_bytes()[:400])
    with pytest.raises(EventFileError, match=f"^{path}"):
        read_gdelt(path)


def test_a_truncated_part_or_a_foreign_parquet_file_in_a_store(capsys, tmp_path):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    (part,) = month_parts(store)["2019-10"]
    good = part.read_bytes()
    part.write_bytes(good[: len(good) // 2])
    code, _, err = run(capsys, "index", store)
    assert code == 1
    assert err.startswith(f"relscore: error: {part}: cannot be read: not a readable Parquet")
    assert "import its source file again" in err
    part.write_bytes(good)
    foreign = store / "month=2019-10" / "other.parquet"
    pq.write_table(pa.table({"x": [1, 2]}), foreign)
    code, _, err = run(capsys, "index", store)
    assert code == 1
    assert err == (
        f"relscore: error: {foreign}: a Parquet file that relscore import did not write "
        "(columns: x); move it out of the store\n"
    )


def test_a_store_description_that_is_not_an_object(tmp_path):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    (store / META_NAME).write_text("[1, 2]")
    with pytest.raises(StoreError, match="not a JSON object"):
        import_to_store([GDELT61], store)


def test_a_second_import_or_an_index_while_an_import_holds_the_store(capsys, tmp_path):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    with store_lock(store):  # as a running import holds it
        code, _, err = run(capsys, "import", "gdelt", MIXED, "--to-parquet", store)
        assert code == 1 and "another relscore run is importing into or indexing" in err
        code, _, err = run(capsys, "index", store)
        assert code == 1 and "another relscore run is importing into this store" in err
    assert list(month_parts(store)) == ["2019-10"] and len(month_parts(store)["2019-10"]) == 1
    with store_lock(store, exclusive=False):  # two indexes at once are fine
        assert run(capsys, "index", store)[0] == 0


def test_a_file_given_twice_to_a_store_import(tmp_path):
    twice = [GDELT61, GDELT61.parent / ".." / "fixtures" / GDELT61.name]
    with pytest.raises(EventFileError, match="given twice"):
        import_to_store(twice, tmp_path / "s")


# --- C. Every value in range ------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date", "1799-12-31", "outside the dates relscore reads, 1800-01-01 ... 2100-12-31"),
        ("date", "2101-01-01", "outside the dates relscore reads, 1800-01-01 ... 2100-12-31"),
        ("date", "0001-01-01", "outside the dates relscore reads, 1800-01-01 ... 2100-12-31"),
        ("fatalities", "inf", "must be a whole number of deaths, 0 ... 10000000"),
        ("fatalities", "nan", "must be a whole number of deaths, 0 ... 10000000"),
        ("fatalities", "10000001", "must be a whole number of deaths, 0 ... 10000000"),
        ("weight", "inf", "not a number"),
    ],
)
def test_values_out_of_range_are_problems(tmp_path, field, value, message):
    row = dict(zip(HEADER.split(","), GOOD.split(","), strict=True))
    row[field] = value
    if field == "weight":
        row["notes"] = "why"
    path = events_file(tmp_path / "e.csv", ",".join(row.values()))
    events, problems = read_checked(path)
    assert [(p.line, p.column, p.message) for p in problems] == [(2, field, message)]
    assert events.empty


def test_the_bounds_themselves_are_accepted(tmp_path):
    path = events_file(
        tmp_path / "e.csv",
        "a,1800-01-01,IRN,PAK,195,x,seed,10000000,,",
        "b,2100-12-31,IRN,PAK,195,x,seed,0,,",
    )
    assert read_checked(path)[1] == []


def test_the_same_events_file_twice_is_a_problem(tmp_path):
    path = events_file(tmp_path / "e.csv", GOOD)
    (tmp_path / "link.csv").symlink_to(path)
    events, problems = read_checked([path, tmp_path / "link.csv"])
    assert [str(p) for p in problems] == [
        f"{tmp_path / 'link.csv'}:1: (file): given twice (also as {path})"
    ]
    assert len(events) == 1


@pytest.mark.parametrize(
    "argv",
    [
        ["index", "E", "--start", "0001-01-01"],
        ["index", "E", "--end", "9999-12-31"],
        ["import", "gdelt", GDELT61, "-o", "X", "--since", "1066-10-14"],
    ],
)
def test_a_calendar_beyond_the_limits_is_a_usage_error(capsys, tmp_path, argv):
    argv = [tmp_path / "e.csv" if a == "E" else tmp_path / "x.csv" if a == "X" else a for a in argv]
    with pytest.raises(SystemExit) as exit_:
        main([str(a) for a in argv])
    assert exit_.value.code == 2
    assert "outside the dates relscore reads, 1800-01-01 ... 2100-12-31" in capsys.readouterr().err


def test_gdelt_dates_outside_the_range_are_skipped_with_a_reason(capsys, tmp_path):
    source = tmp_path / "g.tsv"
    source.write_text(
        "\n".join([gdelt_row(1, "00010101"), gdelt_row(2, "21010101"), gdelt_row(3)]) + "\n"
    )
    out, skipped = tmp_path / "o.csv", tmp_path / "skipped.csv"
    code, _, err = run(capsys, "import", "gdelt", source, "-o", out, "--skipped", skipped)
    assert code == 0 and "read=3 kept=1 duplicates=0 skipped=2" in err and "bad date: 2" in err
    lines = skipped.read_text().splitlines()
    assert [line.split(",")[1:3] for line in lines[1:]] == [["1", "bad date"], ["2", "bad date"]]


def test_icews_dates_outside_the_range_are_bad_dates(tmp_path):
    lines = ICEWS.read_text().splitlines()
    source = tmp_path / "i.tab"
    source.write_text("\n".join([lines[0], lines[1].replace("2018-06-01", "0001-06-01")]) + "\n")
    _, tally = read_icews(source)
    assert tally.skipped["bad date"] == 1


def test_every_store_index_ends_with_its_accounting_line(capsys, tmp_path):
    # The same file from two folders: two sources, whose rows all repeat across files.
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(MIXED, tmp_path / folder / "x.tsv")
    store = tmp_path / "store"
    one = import_to_store([tmp_path / "a/x.tsv"], store)
    two = import_to_store([tmp_path / "b/x.tsv"], store)
    code, _, err = run(capsys, "index", store, "-o", tmp_path / "i.csv")
    assert code == 0
    n = one.kept
    assert err.splitlines()[-1] == (
        f"relscore: rows in store = scored + duplicates across files: {n + two.kept} = {n} + {n}"
    )
    assert err.splitlines()[0].startswith(f"relscore: scored {n} events")


# --- D. A store never loses a file ------------------------------------------------------


def test_two_files_of_one_name_in_two_folders_both_stay(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    shutil.copy(MIXED, tmp_path / "a/events.tsv")
    shutil.copy(GDELT61, tmp_path / "b/events.tsv")
    store = tmp_path / "store"
    first = import_to_store([tmp_path / "a/events.tsv"], store)
    second = import_to_store([tmp_path / "b/events.tsv"], store)
    parts = month_parts(store)["2019-10"]
    assert len(parts) == 2
    assert {p.name for p in parts} == {
        part_name(tmp_path / "a/events.tsv"),
        part_name(tmp_path / "b/events.tsv"),
    }
    assert sum(pq.read_metadata(p).num_rows for p in parts) == first.kept + second.kept
    # Importing one of them again replaces its own parts only.
    import_to_store([tmp_path / "a/events.tsv"], store)
    assert len(month_parts(store)["2019-10"]) == 2


def test_stale_temporary_files_are_removed_and_reported(capsys, tmp_path, ended_pid):
    store = tmp_path / "store"
    import_to_store([GDELT61], store)
    stale = [
        temp_name(store / "month=2019-10" / "x.parquet", pid=ended_pid),
        temp_name(store / META_NAME, pid=ended_pid),
    ]
    # A user's own files that end in .tmp, and the temporary of a run still going (this
    # one): none is relscore's to remove.
    kept = [store / ".draft.tmp", store / "month=2019-10" / ".x.parquet.abc123.tmp"]
    kept.append(temp_name(store / "month=2019-10" / "y.parquet"))
    for path in stale + kept:
        path.write_bytes(b"half a part")
    code, _, err = run(capsys, "index", store)  # an index ignores them
    assert code == 0
    code, _, err = run(capsys, "import", "gdelt", GDELT61, "--to-parquet", store)
    assert code == 0
    assert f"  removed 2 temporary file(s) an interrupted import left in {store}" in err
    assert temporaries(store) == sorted(kept)


def test_import_and_index_agree_on_every_count(capsys, tmp_path):
    store = tmp_path / "store"
    tally = import_to_store([GDELT61, MIXED], store)
    code, _, err = run(capsys, "index", store, "-o", tmp_path / "i.csv")
    assert code == 0
    stored = sum(pq.read_metadata(p).num_rows for ps in month_parts(store).values() for p in ps)
    assert stored == tally.kept
    assert f"rows in store = scored + duplicates across files: {tally.kept} = " in err


# --- G. Spreadsheet formulas ------------------------------------------------------------


def test_formulas_from_a_source_are_neutralised_in_the_import(capsys, tmp_path):
    source = tmp_path / "g.tsv"
    rows = [
        gdelt_row(1, url='=HYPERLINK("http://evil.example","click")'),
        gdelt_row(2, code="036", url="@SUM(1+1)*cmd|' /C calc'!A0"),
        gdelt_row(3, code="040", url="https://fine.example/-=@"),
        "=1+1\tnot a row",
    ]
    source.write_text("\n".join(rows) + "\n")
    out, skipped = tmp_path / "o.csv", tmp_path / "s.csv"
    import_gdelt(source, out, skipped=skipped)
    events, problems = read_checked(out)
    assert problems == []
    assert events["source"].tolist() == [
        '\'=HYPERLINK("http://evil.example","click")',
        "'@SUM(1+1)*cmd|' /C calc'!A0",
        "https://fine.example/-=@",
    ]
    assert skipped.read_text().splitlines()[1].endswith(",'=1+1\tnot a row")


def test_the_store_keeps_json_meta_whole_when_its_write_fails(tmp_path, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("relscore.files.atomic.os.replace", full)
    with pytest.raises(StoreError, match="no space left on the disk"):
        import_to_store([GDELT61], tmp_path / "store")
    assert not (tmp_path / "store" / META_NAME).exists()
    assert temporaries(tmp_path) == []
    assert json  # the module is used by the store; keep the import honest


FORMULA_ROWS = [
    '=1+1,2024-01-16,IRN,PAK,195,"=HYPERLINK(""http://evil.example"",""click"")",'
    "+cmd|' /C calc'!A0,2,,",
    "b,2024-01-17,IRN,PAK,195,@SUM(1+1)*cmd|' /C calc'!A0,-2+3+cmd|' /C calc'!A0,,,",
    'c,2024-01-18,PAK,IRN,195,"two\rlines",seed,,,',
]


def cells(path: Path) -> list[str]:
    """Every cell of a CSV file, as a CSV reader (a spreadsheet) sees it."""
    import csv

    with open(path, newline="", encoding="utf-8") as f:
        return [cell for row in csv.reader(f) for cell in row]


def runs_a_formula(cell: str) -> bool:
    """Whether a spreadsheet would run ``cell``: text that starts like a formula (a
    number such as ``-10.0`` is read as one)."""
    try:
        float(cell)
    except ValueError:
        return cell[:1] in ("=", "+", "-", "@", "\t", "\r")
    return False


def test_explain_writes_no_cell_a_spreadsheet_would_run(capsys, tmp_path):
    events = events_file(tmp_path / "e.csv", *FORMULA_ROWS)
    out = tmp_path / "explain.csv"
    code, _, _ = run(
        capsys, "explain", events, "--dyad", "IRN-PAK", "--date", "2024-01-18", "-o", out
    )
    assert code == 0
    written = cells(out)
    assert [c for c in written if runs_a_formula(c)] == []
    assert "'=1+1" in written and "'+cmd|' /C calc'!A0" in written
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in written and "'-2+3+cmd|' /C calc'!A0" in written
    assert '\'=HYPERLINK("http://evil.example","click")' in written
    assert "two\nlines" in written  # the carriage return, quoted as a line break


def test_the_tables_of_episodes_robustness_index_and_figures_go_through_the_writer(
    capsys, tmp_path, monkeypatch
):
    """These tables hold relscore's own words, never a source's; a cell that starts like a
    formula (injected here) is neutralised on its way out all the same."""
    import pandas as pd

    events = events_file(tmp_path / "e.csv", GOOD)
    formula = "=cmd|' /C calc'!A0"
    episodes = pd.DataFrame({"dyad": ["IRN-PAK"], "peak": [9.0], "fit_note": [formula]})
    monkeypatch.setattr("relscore.cli.analysis.episodes", lambda index, **k: episodes)
    monkeypatch.setattr(
        "relscore.cli.analysis.robustness", lambda *a, **k: pd.DataFrame({"variant": [formula]})
    )
    monkeypatch.setattr(
        "relscore.cli.analysis.summarise_robustness", lambda *a: pd.DataFrame({"share": [1.0]})
    )
    index = pd.DataFrame({"dyad": pd.Categorical(["IRN-PAK"]), "note": [formula]})
    monkeypatch.setattr("relscore.cli.index.tension_index", lambda *a, **k: index)
    for command in ("episodes", "robustness", "index"):
        out = tmp_path / f"{command}.csv"
        assert run(capsys, command, events, "-o", out)[0] == 0, command
        assert "'" + formula in cells(out) and formula not in cells(out), command


def test_the_block_wise_index_writer_neutralises_too(tmp_path):
    import pandas as pd

    from relscore.store.index_file import IndexWriter

    frame = pd.DataFrame(
        {
            "dyad": pd.Categorical(["=1+1"]),
            "date": pd.to_datetime(["2024-01-18"]),
            **{c: [1.0] for c in ("n_events", "conflict", "cooperation", "net", "tension")},
        }
    )
    with IndexWriter(tmp_path / "i.csv", "csv") as writer:
        writer.write(frame)
    assert cells(tmp_path / "i.csv")[7] == "'=1+1"


def test_the_crises_check_neutralises_the_words_of_the_crises_file(capsys, tmp_path):
    events = events_file(tmp_path / "e.csv", GOOD)
    known = tmp_path / "crises.csv"
    known.write_text(
        "dyad,start,end,what,source\nIRN-PAK,2024-01-16,2024-01-20,=cmd|' /C calc'!A0,@x\n"
    )
    out = tmp_path / "check.csv"
    assert run(capsys, "crises", events, "--known", known, "-o", out)[0] == 0
    written = cells(out)
    assert "'=cmd|' /C calc'!A0" in written and "=cmd|' /C calc'!A0" not in written


def test_the_figures_tables_go_through_the_writer(monkeypatch):
    import pandas as pd

    from relscore.figures import build
    from relscore.figures.catalogue import Figure
    from relscore.figures.tables import Bundle

    table = pd.DataFrame({"label": ["+1 day", "-2 days"], "value": [-1.0, 2.0]})
    monkeypatch.setattr(build, "FIGURES", [Figure("labels", lambda bundle: table, None)])
    monkeypatch.setattr(build, "explorers", lambda bundle, progress=None: {})
    monkeypatch.setattr(build, "watch", lambda bundle, progress=None: {})
    files = build.render_figures(Bundle(None, {}, None))
    assert files["labels.csv"] == b"label,value\n'+1 day,-1\n'-2 days,2\n"


def test_no_csv_is_written_but_by_the_one_writer():
    """Every ``to_csv`` of the package's code is in relscore/files/csvfile.py (docstring
    examples aside), so no writer can skip what it makes safe."""
    import ast

    from tests.conftest import ROOT

    found = []
    for path in sorted((ROOT / "relscore").rglob("*.py")):
        if path.name == "csvfile.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_csv_writer = getattr(node, "attr", "") == "writer" and (
                getattr(getattr(node, "value", None), "id", "") == "csv"
            )
            if getattr(node, "attr", "") == "to_csv" or is_csv_writer:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert found == []


@pytest.mark.parametrize("fmt", ["gdelt", "icews"])
def test_a_carriage_return_in_a_source_gives_an_import_that_validates(capsys, tmp_path, fmt):
    if fmt == "gdelt":
        source = tmp_path / "g.tsv"
        source.write_bytes((gdelt_row(1, url="http://a.example/x\ry") + "\n").encode())
    else:
        lines = ICEWS.read_text().splitlines()
        source = tmp_path / "i.tab"
        row = lines[1].replace("Foreign Affairs (Bangladesh)", "Foreign\rAffairs")
        source.write_bytes(("\n".join([lines[0], row]) + "\n").encode())
    out = tmp_path / "events.csv"
    code, _, err = run(capsys, "import", fmt, source, "-o", out)
    assert code == 0 and "kept=1" in err
    code, stdout, err = run(capsys, "validate", out)
    assert (code, stdout, err) == (0, "ok: 1 events in 1 file(s), every code weighted\n", "")
