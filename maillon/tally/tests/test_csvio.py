"""Reading ballot files."""

from __future__ import annotations

import pytest

from maillon.tally import TallyInputError, read_ballots

BOM = b"\xef\xbb\xbf"


def test_comma_file():
    f = read_ballots("Ali,Béa,Camille\nAli,Béa\n,,\nCamille\n", "irv")
    assert f.candidates == ("Ali", "Béa", "Camille")
    assert f.ballots == [("Ali", "Béa"), (), ("Camille",)]
    assert f.lines == [2, 3, 4]
    assert f.delimiter == ","


def test_semicolon_file_with_bom_and_crlf():
    data = BOM + "Ali;Béa;Camille\r\nBéa;Ali\r\n;;\r\n".encode()
    f = read_ballots(data, "stv")
    assert f.delimiter == ";"
    assert f.candidates == ("Ali", "Béa", "Camille")
    assert f.ballots == [("Béa", "Ali"), ()]


def test_semicolon_file_may_have_commas_in_names():
    f = read_ballots("Dupont, Marie;Durand, Jean\nDurand, Jean\n", "plurality")
    assert f.candidates == ("Dupont, Marie", "Durand, Jean")
    assert f.ballots == [("Durand, Jean",)]


def test_quoted_names_and_spaces_and_nfc():
    decomposed = "Be\u0301a"  # "Béa" typed with a combining accent
    f = read_ballots(f'"Ali, fils", Béa \n {decomposed} ,"Ali, fils"\n', "irv")
    assert f.candidates == ("Ali, fils", "Béa")
    assert f.ballots == [("Béa", "Ali, fils")]


def test_empty_lines_are_blank_except_at_the_end():
    f = read_ballots("A,B\nA\n\nB\n\n\n", "plurality")
    assert f.ballots == [("A",), (), ("B",)]
    assert f.lines == [2, 3, 4]


def test_ranked_rows_skip_empty_cells():
    assert read_ballots("A,B,C\nC,,A\n", "schulze").ballots == [("C", "A")]


def test_approval_rows_and_duplicates():
    f = read_ballots("A,B,C\nC,A\nA,A\n", "approval")
    assert f.ballots == [("C", "A"), ("A",)]


def test_yes_no_header_any_order_and_case():
    f = read_ballots("Yes;No;Abstain\nYES\n;\nabstain\n", "yes-no")
    assert f.candidates == ("yes", "no", "abstain")
    assert f.ballots == [("yes",), (), ("abstain",)]


def test_majority_judgment_rows():
    f = read_ballots("A,B\n0,6\n,\n 3 , 2 \n", "majority-judgment")
    assert f.ballots == [(0, 6), (), (3, 2)]


@pytest.mark.parametrize(
    ("method", "content", "line", "message"),
    [
        ("irv", "A,B\nA\nZ\n", 3, "unknown candidate 'Z'"),
        ("irv", "Ali,Béa\nali\n", 2, "did you mean 'Ali'"),
        ("stv", "A,B\nA,B\nB,,B\n", 3, "ranked twice"),
        ("approval", "A,B\nC\n", 2, "unknown candidate"),
        ("plurality", "A;B\n;\nA;B\n", 3, "more than one candidate"),
        ("yes-no", "yes,no,abstain\nyes,no\n", 2, "more than one answer"),
        ("yes-no", "yes,no,abstain\nmaybe\n", 2, "not one of yes, no, abstain"),
        ("yes-no", "pour,contre,abstention\nyes\n", 1, "yes,no,abstain"),
        ("yes-no", "yes,no\nyes\n", 1, "yes,no,abstain"),
        ("majority-judgment", "A,B\n1,2\n1,7\n", 3, "out of range"),
        ("majority-judgment", "A,B\n1,2.5\n", 2, "not an integer"),
        ("majority-judgment", "A,B\n-1,2\n", 2, "not an integer"),
        ("majority-judgment", "A,B\n1,\n", 2, "no grade for 'B'"),
        ("majority-judgment", "A,B\n1,2,3\n", 2, "more grades than candidates"),
        ("irv", "A,,B\nA\n", 1, "empty candidate name in column 2"),
        ("irv", "A,B,A\nA\n", 1, "listed twice"),
        ("irv", "", 1, "empty"),
        ("irv", "\n\n", 1, "empty"),
        ("irv", 'A,B\nA\n"B\n', 3, "malformed CSV"),
        ("irv", 'A,"B\nb"\nA\nZ\n', 4, "unknown candidate 'Z'"),  # 2-line header
    ],
)
def test_errors_name_the_line(method, content, line, message):
    with pytest.raises(TallyInputError, match=message) as caught:
        read_ballots(content, method)
    assert caught.value.line == line
    assert str(caught.value).startswith(f"line {line}: ")


def test_grades_count_is_checked():
    with pytest.raises(TallyInputError, match=r"out of range \(0 to 2\)"):
        read_ballots("A\n3\n", "majority-judgment", grades=3)


def test_invalid_utf8_names_the_line():
    with pytest.raises(TallyInputError, match="not UTF-8") as caught:
        read_ballots(b"A,B\nA\n\xe9\n", "irv")
    assert caught.value.line == 3


def test_unknown_method():
    with pytest.raises(TallyInputError, match="unknown method"):
        read_ballots("A\n", "borda")
