import io
import os
import stat
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import relscore
from relscore.cli import main
from tests.conftest import ROOT, run

GOOD_ROWS = (
    "a,2024-01-16,IRN,PAK,195,Strike.,seed,2,,",
    "b,2024-01-18,PAK,IRN,195,Strike back.,seed,9,,",
    "c,2024-01-19,PAK,IRN,040,Call.,seed,,,",
    "d,2024-01-19,IND,PAK,111,Words.,seed,,,",
)


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


STRIKE_ROWS = (
    "a,2024-01-01,IRN,PAK,111,Words.,seed,,,",
    "b,2024-03-01,IRN,PAK,195,Strike.,seed,,,",
    "c,2024-09-01,IRN,PAK,040,Call.,seed,,,",
)


def test_episodes_finds_a_lone_strike_and_says_its_decay_is_the_kernels(capsys, write_events):
    code, out, err = run(capsys, "episodes", write_events(*STRIKE_ROWS), "--scheme", "goldstein")
    assert code == 0 and err == ""
    table = pd.read_csv(io.StringIO(out), parse_dates=["peak_date"])
    [episode] = table.itertuples()
    assert (episode.dyad, episode.peak_date) == ("IRN-PAK", pd.Timestamp("2024-03-01"))
    # the strike's 10 on top of what is left of January's criticism (2, 60 days earlier)
    assert episode.peak == pytest.approx(10 + 2 * 2 ** (-60 / 14))
    # nothing follows the strike, so the index decays at the kernel's own rate: the 15 days to
    # half of a 14-day half-life, and no half-life fitted, with the reason
    assert episode.days_to_half == episode.mechanical_days_to_half == 15
    assert np.isnan(episode.half_life_days) and pd.isna(episode.versus_decay)
    assert episode.fit_note.startswith("no event moves the index after the peak")


def test_episodes_of_a_quiet_dyad_is_an_empty_table_and_a_message(capsys, write_events, tmp_path):
    out_path = tmp_path / "episodes.csv"
    rows = ("a,2024-01-01,IND,PAK,040,Call.,seed,,,", "b,2024-02-01,PAK,IND,036,Meet.,seed,,,")
    code, _, err = run(capsys, "episodes", write_events(*rows), "-o", out_path)
    assert code == 0
    assert "no episode in 1 of 1 dyad(s) (IND-PAK)" in err
    assert f"wrote 0 episode(s) of 0 dyad(s) to {out_path}" in err
    table = pd.read_csv(out_path)
    assert table.empty and {"dyad", "peak_date", "half_life_days", "half_life_low"} <= set(table)


def test_robustness_prints_the_share_and_writes_every_variant(capsys, write_events, tmp_path):
    out_path = tmp_path / "variants.csv"
    code, out, _ = run(
        capsys,
        "robustness",
        write_events(*STRIKE_ROWS),
        "--draws",
        "20",
        "--seed",
        "3",
        "-o",
        out_path,
    )
    assert code == 0
    assert "robustness of the top IRN-PAK episode over" in out
    variants = pd.read_csv(out_path)
    kinds = variants["kind"].value_counts().to_dict()
    assert kinds["jitter"] == 20 and kinds["leave_one_out"] == 3 and kinds["base"] == 1
    last = next(line.split() for line in out.splitlines() if line.strip().startswith("all"))
    assert last[0] == "all" and int(last[3]) == len(variants)


def test_robustness_needs_a_dyad_when_there_are_several(capsys, write_events):
    with pytest.raises(SystemExit) as info:
        main(["robustness", str(write_events(*GOOD_ROWS))])
    assert info.value.code == 2


BUNDLED = str(ROOT / "data" / "events" / "iran_pakistan.csv")


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        (["index", BUNDLED, "--start", "2024-13-01"], "--start"),
        (["index", BUNDLED, "--start", "yesterday"], "--start"),
        (["index", BUNDLED, "--end", "20240101"], "--end"),
        (["index", BUNDLED, "--half-life", "0"], "--half-life"),
        (["index", BUNDLED, "--half-life", "-3"], "--half-life"),
        (["index", BUNDLED, "--half-life", "nan"], "--half-life"),
        (["index", BUNDLED, "--window", "0"], "--window"),
        (["index", BUNDLED, "--window", "2.5"], "--window"),
        (["index", BUNDLED, "--block-dyads", "0"], "--block-dyads"),
        (["index", BUNDLED, "--max-memory", "lots"], "--max-memory"),
        (["index", BUNDLED, "--dyad", "IRAN-PAKISTAN"], "--dyad"),
        (["index", BUNDLED, "--dyad", "IRN-IRN"], "--dyad"),
        (["index", BUNDLED, "--start", "2025-01-01", "--end", "2024-01-01"], "--start"),
        (["episodes", BUNDLED, "--half-life", "0"], "--half-life"),
        (["robustness", BUNDLED, "--draws", "-1"], "--draws"),
        (["robustness", BUNDLED, "--seed", "-1"], "--seed"),
        (["robustness", BUNDLED, "--episode", "2024-02-01", "2024-01-01"], "--episode"),
        (["robustness", BUNDLED, "--episode", "2024-01-01", "soon"], "--episode"),
        (["import", "gdelt", BUNDLED, "-o", "x.csv", "--since", "2024-02-30"], "--since"),
        (["import", "gdelt", BUNDLED, "-o", "x.csv", "--jobs", "0"], "--jobs"),
        (["index", BUNDLED, "--scheme", "magnitud"], "--scheme"),
        # Upper bounds: a value no run could use is refused before any work.
        (["index", BUNDLED, "--window", "99999999999999999999"], "--window"),
        (["episodes", BUNDLED, "--window", "99999999999999999999"], "--window"),
        (["index", BUNDLED, "--window", "109939"], "--window"),
        (["index", BUNDLED, "--half-life", "1e400"], "--half-life"),
        (["index", BUNDLED, "--half-life", "109939"], "--half-life"),
        (["robustness", BUNDLED, "--draws", "1000000000000"], "--draws"),
        (["robustness", BUNDLED, "--seed", "4294967296"], "--seed"),
        (
            ["explain", BUNDLED, "--dyad", "IRN-PAK", "--date", "2024-01-18", "--top", "1e9"],
            "--top",
        ),
        (["index", BUNDLED, "--block-dyads", "10000000000"], "--block-dyads"),
        (["index", BUNDLED, "--max-memory", "2000T"], "--max-memory"),
        (["index", BUNDLED, "--max-memory", "0"], "--max-memory"),
        (["import", "gdelt", BUNDLED, "-o", "x.csv", "--jobs", "257"], "--jobs"),
        (["update", "S", "I", "--window", "99999999999999999999"], "--window"),
        (["crises", BUNDLED, "--known", "k.csv", "--half-life", "inf"], "--half-life"),
        # A directed dyad without --directed (it wrote the undirected IRN-PAK, in silence).
        (["index", BUNDLED, "--dyad", "IRN>PAK"], "--dyad"),
        (["episodes", BUNDLED, "--dyad", "IRN>PAK"], "--dyad"),
        (["robustness", BUNDLED, "--dyad", "IRN>PAK"], "--dyad"),
        (["explain", BUNDLED, "--dyad", "IRN>PAK", "--date", "2024-01-18"], "--dyad"),
    ],
)
def test_a_bad_option_value_is_one_line_and_exit_2(capsys, tmp_path, monkeypatch, argv, option):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as info:
        main(argv)
    out, err = capsys.readouterr()
    assert info.value.code == 2
    assert out == "" and len(err.strip().splitlines()) == 1, err
    assert option in err and "see relscore" in err and "Traceback" not in err
    assert not list(tmp_path.iterdir())  # nothing written


def test_a_typo_in_a_command_or_choice_is_answered_with_a_suggestion(capsys):
    with pytest.raises(SystemExit):
        main(["inedx"])
    assert "did you mean 'index'?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["index", BUNDLED, "--scheme", "magnitud"])
    assert "did you mean 'magnitude'?" in capsys.readouterr().err


@pytest.mark.parametrize("command", ["index", "episodes", "robustness"])
def test_every_command_given_an_absent_dyad_exits_1_with_one_line(capsys, command):
    code = main([command, BUNDLED, "--dyad", "IND-IRN"])
    err = capsys.readouterr().err
    assert code == 1
    assert err == "relscore: error: no events for dyad IND-IRN (dyads in the data: IRN-PAK)\n"


def test_version(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--version"])
    assert info.value.code == 0
    assert capsys.readouterr().out == f"relscore {relscore.__version__}\n"


def test_help_shows_every_default(capsys):
    for command in ("index", "episodes", "robustness", "figures"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "%%" not in out
        assert "(default: magnitude" in out or command == "figures"
    with pytest.raises(SystemExit):
        main(["robustness", "--help"])
    out = capsys.readouterr().out
    assert "(default: 1000)" in out and "(default: 0)" in out


def test_episodes_rounds_for_reading_sorts_by_peak_and_summarises_quiet_dyads(
    capsys, write_events, tmp_path
):
    rows = (*STRIKE_ROWS, "d,2024-01-01,IND,PAK,040,Call.,seed,,,")
    code, out, err = run(capsys, "episodes", write_events(*rows), "--scheme", "goldstein")
    assert code == 0
    assert "13.999999" not in out and "0000000" not in out
    assert err.count("no episode") == 1 and "no episode in 1 of 2 dyad(s) (IND-PAK)" in err


@pytest.mark.parametrize("command", [["explain", "--date", "2024-01-18"], ["explore"]])
def test_explain_and_explore_refuse_to_overwrite_their_events(capsys, tmp_path, command):
    events = tmp_path / "ev.csv"
    events.write_bytes((ROOT / "data" / "events" / "iran_pakistan.csv").read_bytes())
    before = events.read_bytes()
    with pytest.raises(SystemExit) as info:
        main([command[0], str(events), "--dyad", "IRN-PAK", *command[1:], "-o", str(events)])
    assert info.value.code == 2
    assert "would overwrite the input" in capsys.readouterr().err
    assert events.read_bytes() == before


def test_a_misspelt_option_gets_a_suggestion(capsys, write_events):
    code, _, err = run(capsys, "index", write_events(*GOOD_ROWS), "--halflife", "14")
    assert code == 2
    assert "unrecognized arguments: --halflife 14; did you mean '--half-life'?" in err


@pytest.mark.parametrize(("dyad", "meant"), [("IRAN-PAKISTAN", "IRN-PAK"), ("IR-PK", "IRN-PAK")])
def test_a_dyad_of_names_gets_its_alpha_3_spelling(capsys, write_events, dyad, meant):
    code, _, err = run(capsys, "index", write_events(), "--dyad", dyad, "-o", "x.csv")
    assert code == 2
    assert f"got {dyad!r} (or IRN>PAK with --directed); did you mean {meant}?" in err


def test_a_scheme_in_capitals_is_accepted(capsys, write_events, tmp_path):
    out = tmp_path / "i.csv"
    events = write_events(*GOOD_ROWS)
    assert run(capsys, "index", events, "--scheme", "Goldstein", "-o", out)[0] == 0
    lower = tmp_path / "j.csv"
    assert run(capsys, "index", events, "--scheme", "goldstein", "-o", lower)[0] == 0
    assert out.read_bytes() == lower.read_bytes()


def test_index_to_a_terminal_asks_for_a_file(capsys, write_events, monkeypatch):
    monkeypatch.setattr("sys.stdout.isatty", lambda: True)
    code, out, err = run(capsys, "index", write_events(*GOOD_ROWS))
    assert (code, out) == (2, "")
    assert "relscore index: error: where should the index go? Name a file with -o" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["index", "-o", "i.csv"],
        ["index", "--dyad", "IRN-PAK", "-o", "i.csv"],
        ["episodes"],
        ["episodes", "--dyad", "IRN-PAK"],
        ["explain", "--dyad", "IRN-PAK", "--date", "2024-01-16"],
        ["explore", "--dyad", "IRN-PAK", "-o", "e.html"],
        ["chart", "--dyad", "IRN-PAK", "-o", "c.png"],
    ],
)
def test_a_file_without_rows_is_one_line_not_a_traceback(capsys, write_events, argv, tmp_path):
    empty = write_events()
    command, *rest = argv
    rest = [str(tmp_path / a) if a.endswith((".csv", ".html", ".png")) else a for a in rest]
    code, _, err = run(capsys, command, empty, *rest)
    assert code == 1
    assert err == (
        f"relscore: error: {empty}: no events, only a header: nothing to score (one row per "
        "event under the header; see relscore validate)\n"
    )
    assert run(capsys, "validate", empty)[:2] == (
        0,
        "ok: 0 events in 1 file(s), every code weighted\n",
    )


def test_robustness_bounds_its_draws_in_one_line(capsys):
    with pytest.raises(SystemExit) as info:
        main(["robustness", BUNDLED, "--draws", "100001"])
    err = capsys.readouterr().err
    assert info.value.code == 2 and len(err.strip().splitlines()) == 1
    assert "argument --draws: must be a whole number 0 ... 100,000, got '100001'" in err


def test_robustness_that_would_not_fit_says_what_it_needs(capsys, monkeypatch):
    monkeypatch.setattr("relscore.scale.budget.available_memory", lambda: 1_000_000)
    code, out, err = run(capsys, "robustness", BUNDLED, "--draws", "5")
    assert code == 1 and out == ""
    assert err.startswith("relscore: error: robustness of IRN-PAK (267 events, ")
    assert err.strip().endswith("the budget is 0.00 GB; fewer --draws, or more memory")
    assert len(err.strip().splitlines()) == 1


def test_a_directed_dyad_needs_directed_and_says_so(capsys):
    code, _, err = run(capsys, "index", BUNDLED, "--dyad", "IRN>PAK")
    assert code == 2 and err == (
        "relscore index: error: argument --dyad: IRN>PAK is a directed dyad: add --directed, "
        "or write IRN-PAK for both directions (see relscore index --help)\n"
    )
    code, out, _ = run(capsys, "index", BUNDLED, "--dyad", "IRN>PAK", "--directed")
    assert code == 0 and out.splitlines()[1].startswith("IRN>PAK,")


def test_an_ascii_terminal_gets_escapes_not_a_traceback(tmp_path):
    env = {**os.environ, "PYTHONIOENCODING": "ascii", "PYTHONPATH": str(ROOT)}
    argv = [sys.executable, "-m", "relscore", "explain", BUNDLED, "--dyad", "IRN-PAK"]
    done = subprocess.run(
        [*argv, "--date", "2024-01-18", "--top", "40"], capture_output=True, env=env, cwd=tmp_path
    )
    assert done.returncode == 0 and b"Traceback" not in done.stderr
    done.stdout.decode("ascii")  # every byte is ASCII
    assert b"\\u2026" in done.stdout  # the ellipsis of a shortened description, escaped
    assert b"tension 80.94 = sum of 206 events" in done.stdout


def test_ctrl_c_is_one_line_and_exit_130(capsys, monkeypatch, write_events, tmp_path):
    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("relscore.cli.index.tension_index", interrupted)
    out = tmp_path / "i.csv"
    code, stdout, err = run(capsys, "index", write_events(*GOOD_ROWS), "-o", out)
    assert (code, stdout) == (130, "")
    assert err.splitlines()[-1] == (
        "relscore: interrupted (every output is written whole or not at all: none is left "
        "half-written)"
    )
    assert not out.exists() and sorted(p.name for p in tmp_path.iterdir()) == ["events.csv"]


def test_a_warning_is_one_line_and_the_run_goes_on(capsys, write_events):
    path = write_events(*GOOD_ROWS, GOOD_ROWS[0].replace("a,", ",", 1), GOOD_ROWS[0][1:])
    code, out, err = run(capsys, "validate", path)
    assert code == 0 and out.startswith("ok: 6 events")
    assert err == (
        f"relscore: warning: 1 row without an event_id repeats an earlier row exactly "
        f"({path}:7 repeats {path}:6): each is scored as an event; give different events "
        "their own event_id, or delete the repeats\n"
    )


@pytest.mark.parametrize(
    "argv",
    [
        ["index", BUNDLED, "-o", "-"],
        ["index", BUNDLED, "--all-dyads", "-o", "-"],
        ["episodes", BUNDLED, "-o", "-"],
        ["robustness", BUNDLED, "--draws", "2", "-o", "-"],
        ["explain", BUNDLED, "--dyad", "IRN-PAK", "--date", "2024-01-18", "-o", "-"],
        ["crises", BUNDLED, "--known", "K", "-o", "-"],
    ],
    ids=lambda argv: " ".join(str(a) for a in argv[:1] + argv[2:3]),
)
def test_a_dash_output_is_the_table_on_standard_output(capsys, tmp_path, argv):
    known = tmp_path / "k.csv"
    known.write_text("dyad,start,end,what,source\nIRN-PAK,2024-01-16,2024-01-29,strikes,x\n")
    argv = [known if a == "K" else a for a in argv]
    code, out, err = run(capsys, *argv)
    assert code == 0
    table = pd.read_csv(io.StringIO(out))
    assert len(table) > 0 and not (tmp_path / "-").exists()
    assert "Traceback" not in err


def test_a_dash_output_of_an_import_and_a_fifo_output(capsys, tmp_path):
    import threading

    code, out, err = run(
        capsys, "import", "gdelt", ROOT / "tests/fixtures/gdelt2_61col.tsv", "-o", "-"
    )
    assert code == 0 and len(pd.read_csv(io.StringIO(out))) == 4
    assert err.splitlines()[-1] == "relscore: wrote 4 events to standard output"
    fifo = tmp_path / "index.fifo"
    os.mkfifo(fifo)
    received = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_text()))
    reader.start()
    assert run(capsys, "index", BUNDLED, "-o", fifo)[0] == 0
    reader.join(30)
    assert received[0].startswith("dyad,date,") and stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["index.fifo"]
