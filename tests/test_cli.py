import subprocess
import sys

import pandas as pd
import pytest

from relscore.cli import main

GOOD_ROWS = (
    "a,2024-01-16,IRN,PAK,195,Strike.,seed,2,,",
    "b,2024-01-18,PAK,IRN,195,Strike back.,seed,9,,",
    "c,2024-01-19,PAK,IRN,040,Call.,seed,,,",
    "d,2024-01-19,IND,PAK,111,Words.,seed,,,",
)


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_validate_ok(capsys, write_events):
    code, out, _ = run(capsys, "validate", write_events(*GOOD_ROWS))
    assert code == 0 and out.startswith("ok: 4 events")


def test_validate_reports_every_problem_and_exits_1(capsys, write_events, tmp_path):
    path = write_events("a,2024-01-16,IRN,IRN,195,x,seed,,,", "a,2024-01-99,XXX,PAK,999,x,seed,,,")
    weights = tmp_path / "w.toml"
    weights.write_text('[weights]\n"195" = -12\n', encoding="utf-8")
    code, out, err = run(capsys, "validate", path, "--weights", weights)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        f"{path}:2: actor2: same actor on both sides",
        f"{path}:3: date: not a date in YYYY-MM-DD form",
        f"{path}:3: actor1: unknown actor code 'XXX' (ISO 3166-1 alpha-3)",
        f"{path}:3: event_code: unknown CAMEO event code '999'",
        f"{path}:3: event_id: duplicate event_id 'a' (first at {path}:2)",
        f"{weights}:2: weights.195: weight -12 is outside -10...+10",
    ]


def test_index_writes_the_contract_columns(capsys, write_events, tmp_path):
    out_path = tmp_path / "out" / "index.csv"
    code, _, err = run(
        capsys,
        "index",
        write_events(*GOOD_ROWS),
        "--dyad",
        "PAK-IRN",
        "--window",
        "2",
        "--scheme",
        "goldstein",
        "-o",
        out_path,
    )
    assert code == 0 and "scored 4 events" in err
    index = pd.read_csv(out_path)
    assert list(index.columns) == [
        "dyad",
        "date",
        "n_events",
        "conflict",
        "cooperation",
        "net",
        "tension",
    ]
    assert index["dyad"].unique().tolist() == ["IRN-PAK"]
    assert index["tension"].tolist() == [10.0, 10.0, 10.0, 9.0]


def test_index_to_stdout_with_half_life_and_dates(capsys, write_events):
    code, out, _ = run(
        capsys,
        "index",
        write_events(*GOOD_ROWS),
        "--half-life",
        "1",
        "--scheme",
        "goldstein",
        "--start",
        "2024-01-18",
        "--end",
        "2024-01-19",
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "dyad,date,n_events,conflict,cooperation,net,tension"
    assert lines[-1] == "IRN-PAK,2024-01-19,1,0.0,1.0,-1.0,5.25"  # 10 -> 5 -> 2.5 + 10 -> 6.25 - 1
    assert len(lines) == 1 + 2 * 2


def test_index_on_invalid_input_writes_nothing(capsys, write_events, tmp_path):
    out_path = tmp_path / "index.csv"
    out_path.write_text("old\n")
    code, _, err = run(
        capsys, "index", write_events("a,2024-01-16,IRN,PAK,999,x,seed,,,"), "-o", out_path
    )
    assert code == 1 and "unknown CAMEO event code '999'" in err
    assert out_path.read_text() == "old\n"
    assert list(tmp_path.glob(".index.csv*")) == []


def test_index_with_broken_weights_names_the_file(capsys, write_events, tmp_path):
    weights = tmp_path / "w.toml"
    weights.write_text("[weights\n", encoding="utf-8")
    code, _, err = run(capsys, "index", write_events(*GOOD_ROWS), "--weights", weights)
    assert code == 1 and err.startswith(f"{weights}:1: (toml): not valid TOML")


def test_index_unknown_dyad_is_a_clear_error(capsys, write_events):
    code, _, err = run(capsys, "index", write_events(*GOOD_ROWS), "--dyad", "USA-CHN")
    assert code == 1 and "no events for dyad CHN-USA" in err and "IND-PAK" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["index", "x.csv", "--window", "3", "--half-life", "2"],
        ["index", "x.csv", "--scheme", "nope"],
        ["index", "x.csv", "--window", "three"],
        ["frobnicate"],
        [],
    ],
)
def test_usage_errors_exit_2(capsys, argv):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2


def test_bad_dyad_syntax_is_a_usage_error(capsys, write_events):
    with pytest.raises(SystemExit) as info:
        main(["index", str(write_events(*GOOD_ROWS)), "--dyad", "IRAN-PAKISTAN"])
    assert info.value.code == 2


def test_console_entry_points_have_help():
    for command in (["relscore"], [sys.executable, "-m", "relscore"]):
        if command == ["relscore"]:
            command = [str(__import__("pathlib").Path(sys.executable).with_name("relscore"))]
        result = subprocess.run(
            [*command, "index", "--help"], capture_output=True, text=True, check=False
        )
        assert result.returncode == 0
        assert "--half-life DAYS" in result.stdout
