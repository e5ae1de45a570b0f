"""The command of OBSERVATORY.md: JSON on success, exit 2 naming file and line."""

import json
import subprocess
import sys

import pytest

from maillon.observatory.weighting.__main__ import main

SAMPLE = "id,size,region\na1,small,north\na2,small,north\na3,small,south\na4,large,south\n"
MARGINS = (
    "variable,category,share\nsize,small,0.5\nsize,large,0.5\nregion,north,0.4\nregion,south,0.6\n"
)


def files(tmp_path, sample=SAMPLE, margins=MARGINS):
    s = tmp_path / "sample.csv"
    m = tmp_path / "margins.csv"
    s.write_text(sample, encoding="utf-8")
    m.write_text(margins, encoding="utf-8")
    return s, m


def test_prints_the_contract_json(tmp_path):
    s, m = files(tmp_path)
    done = subprocess.run(  # noqa: S603 - our own module, fixed arguments
        [sys.executable, "-m", "maillon.observatory.weighting", "--margins", str(m), str(s)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {
        "weights",
        "converged",
        "iterations",
        "max_margin_error",
        "effective_sample_size",
        "design_effect",
        "trimmed",
    }
    assert result["converged"] is True
    assert result["weights"]["a4"] == pytest.approx(2.0)
    assert sum(result["weights"].values()) == pytest.approx(4)


def test_bounds_are_passed(tmp_path, capsys):
    s, m = files(tmp_path)
    assert main(["--margins", str(m), "--max-weight", "1.5", "--min-weight", "0.5", str(s)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["converged"] is False
    assert max(result["weights"].values()) <= 1.5 + 1e-12
    assert result["trimmed"] >= 1


@pytest.mark.parametrize(
    "sample, margins, expected",
    [
        (SAMPLE.replace("a3,small,south", "a3,medium,south"), MARGINS, "sample.csv, line 4"),
        (SAMPLE, MARGINS.replace("north,0.4", "north,0.5"), "margins.csv, line 5"),
        (SAMPLE, MARGINS + "region,east,0.0\n", "margins.csv, line 6"),
        (SAMPLE, MARGINS.replace("0.4", "forty"), "margins.csv, line 4"),
        ("id,size,region\n", MARGINS, "sample.csv"),
        ("", MARGINS, "sample.csv"),
        (SAMPLE + "a1,small,north\n", MARGINS, "sample.csv, line 6"),
        (SAMPLE + "a9,small\n", MARGINS, "sample.csv, line 6"),
        (SAMPLE, "variable,category,share\nsize,small,0.5\nsize,large,0.5\n", "margins.csv"),
        (SAMPLE, MARGINS + "sector,sport,1\n", "margins.csv, line 6"),
        (SAMPLE, "a,b\n", "margins.csv, line 1"),
    ],
)
def test_bad_input_exits_2_naming_file_and_line(tmp_path, capsys, sample, margins, expected):
    s, m = files(tmp_path, sample, margins)
    assert main(["--margins", str(m), str(s)]) == 2
    assert expected in capsys.readouterr().err


def test_missing_file_exits_2(tmp_path, capsys):
    s, _ = files(tmp_path)
    assert main(["--margins", str(tmp_path / "nope.csv"), str(s)]) == 2
    assert "nope.csv" in capsys.readouterr().err


@pytest.mark.parametrize("bound", ["0", "-1", "abc", "nan", "inf"])
@pytest.mark.parametrize("option", ["--min-weight", "--max-weight"])
def test_a_bound_that_is_not_a_positive_number_exits_2(tmp_path, capsys, option, bound):
    s, m = files(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["--margins", str(m), f"{option}={bound}", str(s)])
    assert exit_.value.code == 2
    assert option in capsys.readouterr().err
