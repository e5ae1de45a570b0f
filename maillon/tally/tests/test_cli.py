"""The ``tally`` command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from maillon.tally.cli import main

BOM = b"\xef\xbb\xbf"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def write(tmp_path: Path, content: bytes | str, name: str = "votes.csv") -> str:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    return str(path)


def test_semicolon_csv_with_bom(tmp_path):
    # 6 ballots, 1 blank. Round 1: Ali 2, Béa 2, Camille 1, nobody > 5/2 -> Camille
    # out, its ballot goes to Béa. Round 2: Béa 3 of 5 > 5/2.
    content = (
        BOM
        + "Ali;Béa;Camille\r\nAli\r\nBéa;Ali\r\n;;\r\nCamille;Béa\r\nAli;Béa\r\nBéa\r\n".encode()
    )
    code, out, err = run("--method", "irv", write(tmp_path, content))
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert data == {
        "method": "irv",
        "seats": 1,
        "ballots": 6,
        "blank": 1,
        "winners": ["Béa"],
        "tie": False,
        "rounds": [
            {"counts": {"Ali": 2.0, "Béa": 2.0, "Camille": 1.0}, "eliminated": ["Camille"],
             "exhausted": 0.0},
            {"counts": {"Ali": 2.0, "Béa": 3.0}, "eliminated": [], "elected": ["Béa"],
             "exhausted": 0.0},
        ],
        "tie_break": None,
    }  # fmt: skip
    assert out.count("\n") == 1  # one JSON object, one line


def test_error_file_exits_2_and_names_the_line(tmp_path):
    path = write(tmp_path, "Ali;Béa\nAli\nBéa;Ali\nZoé\n")
    code, out, err = run("--method", "irv", path)
    assert code == 2
    assert out == ""
    assert "line 4" in err
    assert "Zoé" in err
    assert path in err


def test_stv_with_seats_and_seed(tmp_path):
    path = write(tmp_path, "A,B,C,D\nA,B\nA,C\nA,B\nB\nC\nD\n")
    code, out, _ = run("--method", "stv", "--seats", "2", "--seed", "3", path)
    assert code == 0
    first = json.loads(out)
    assert first["seats"] == 2
    assert first["quota"] == 3
    assert len(first["winners"]) == 2
    assert run("--method", "stv", "--seats", "2", "--seed", "3", path)[1] == out


def test_majority_judgment_with_grade_labels(tmp_path):
    path = write(tmp_path, "A,B\n0,2\n1,2\n2,1\n")
    code, out, _ = run("--method", "majority-judgment", "--grades", "bad, ok, good", path)
    assert code == 0
    data = json.loads(out)
    assert data["winners"] == ["B"]
    assert data["grades"] == ["bad", "ok", "good"]
    code, _, err = run("--method", "majority-judgment", "--grades", "3", write(tmp_path, "A\n5\n"))
    assert code == 2
    assert "line 2" in err


def test_yes_no_options(tmp_path):
    path = write(tmp_path, "yes,no,abstain\nyes\nyes\nno\nabstain\nabstain\n")
    data = json.loads(run("--method", "yes-no", path)[1])
    assert data["adopted"] is True
    assert data["rounds"][0]["counts"] == {"yes": 2, "no": 1, "abstain": 2}
    data = json.loads(run("--method", "yes-no", "--abstain-counts", path)[1])
    assert data["adopted"] is False
    data = json.loads(run("--method", "yes-no", "--majority", "2/3", path)[1])
    assert data["adopted"] is True
    data = json.loads(
        run("--method", "yes-no", "--majority", "absolute", "--eligible", "9", path)[1]
    )
    assert data["adopted"] is False


def test_bad_options_exit_2(tmp_path):
    path = write(tmp_path, "A,B\nA\n")
    assert run("--method", "borda", path)[0] == 2
    assert run(path)[0] == 2  # --method is required
    code, _, err = run("--method", "irv", "--seats", "2", path)
    assert code == 2
    assert "stv" in err
    code, _, err = run("--method", "irv", "--grades", "3", path)
    assert code == 2
    assert "grades" in err
    code, _, err = run(
        "--method", "yes-no", "--majority", "most", write(tmp_path, "yes,no,abstain\n")
    )
    assert code == 2
    assert "majority" in err
    code, _, err = run("--method", "irv", str(tmp_path / "missing.csv"))
    assert code == 2
    assert "cannot read" in err


def test_help_exits_0(capsys):
    assert main(["--help"]) == 0
    assert "--method" in capsys.readouterr().out


def test_python_dash_m(tmp_path):
    path = write(tmp_path, "A,B\nA\nA\nB\n")
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "maillon.tally", "--method", "plurality", path],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["winners"] == ["A"]
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "maillon.tally", "--method", "plurality", write(tmp_path, "A\nB\n")],
        capture_output=True,
        text=True,
        encoding="utf-8",
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 2
    assert "line 2" in proc.stderr


def test_the_package_does_not_import_django():
    code = (
        "import sys, maillon.tally, maillon.tally.cli; "
        "sys.exit(any(m == 'django' or m.startswith('django.') for m in sys.modules))"
    )
    proc = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        check=False,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert proc.returncode == 0
