"""Loading, answers, validation and progress."""

from __future__ import annotations

import shutil

import pytest
import yaml

from maillon.strategy.engine.questionnaire import (
    CONTENT_DIR,
    ContentError,
    available_versions,
    load_questionnaire,
    normalise_answers,
    parse_questionnaire,
    progress,
    text,
    validate_answers,
)
from maillon.strategy.engine.scoring import score

from .helpers import best_answers


@pytest.fixture(scope="module")
def q():
    return load_questionnaire(1)


@pytest.fixture
def raw():
    with (CONTENT_DIR / "questionnaire-v1.yaml").open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_text_falls_back_to_french():
    assert text({"fr": "Bonjour", "en": "Hello"}, "en") == "Hello"
    assert text({"fr": "Bonjour"}, "en") == "Bonjour"
    assert text({"fr": "Bonjour", "en": "Hello"}, "de") == "Bonjour"
    assert text(None) == ""
    assert text("déjà") == "déjà"


def test_text_reads_a_label_attribute(q):
    question = q.question("profile.size_band")
    assert text(question, "en") == "How many employees does the association have?"
    assert text(question.choice("none"), "fr") == "Aucun"


def test_complete_answers_are_valid(q):
    assert validate_answers(q, best_answers(q)) == {}
    assert progress(q, best_answers(q)) == (len(q.questions), len(q.questions))


def test_required_questions(q):
    errors = validate_answers(q, {})
    required = {question.id for question in q.questions if question.required}
    assert set(errors) == required
    assert errors["profile.size_band"] == "Merci de répondre à cette question."
    assert validate_answers(q, {}, language="en")["profile.size_band"] == (
        "Please answer this question."
    )


def test_partial_saving_skips_required(q):
    assert validate_answers(q, {"profile.size_band": "3-9"}, partial=True) == {}


def test_unknown_choice(q):
    errors = validate_answers(q, {"profile.size_band": "12"}, partial=True)
    assert errors == {"profile.size_band": "Réponse inconnue : 12."}
    errors = validate_answers(q, {"communication.tools_used": ["website", "fax"]}, partial=True)
    assert "fax" in errors["communication.tools_used"]


def test_exclusive_choice(q):
    errors = validate_answers(q, {"communication.tools_used": ["website", "none"]}, partial=True)
    assert "Aucun" in errors["communication.tools_used"]
    assert validate_answers(q, {"communication.tools_used": ["none"]}, partial=True) == {}


def test_ranking(q):
    answers = {"objectives.ranking": ["raise_funds", "make_known", "raise_funds"]}
    assert validate_answers(q, answers, partial=True) == {}
    assert normalise_answers(q, answers)["objectives.ranking"] == ["raise_funds", "make_known"]
    bad = {"objectives.ranking": ["raise_funds", "world_peace"]}
    assert "world_peace" in validate_answers(q, bad, partial=True)["objectives.ranking"]


def test_invalid_shape(q):
    errors = validate_answers(q, {"profile.size_band": {"x": 1}}, partial=True)
    assert errors == {"profile.size_band": "Réponse invalide."}


def test_unknown_ids_are_ignored(q):
    answers = {"communication.fax_machine": "yes", "old.section.question": [1, 2]}
    assert validate_answers(q, answers, partial=True) == {}
    assert normalise_answers(q, answers) == {}
    assert progress(q, answers) == (0, len(q.questions))


def test_normalisation(q):
    answers = normalise_answers(
        q,
        {
            "digital_culture.tech_decides": False,
            "digital_culture.comfort": 4,
            "communication.tools_used": ("newsletter", "website", "website"),
            "profile.size_band": "  ",
            "profile.difficulties": [],
        },
    )
    assert answers == {
        "digital_culture.tech_decides": "no",
        "digital_culture.comfort": "4",
        "communication.tools_used": ["website", "newsletter"],
    }


def test_progress_counts_only_real_answers(q):
    answers = {"profile.size_band": "3-9", "profile.sector": "nowhere", "profile.difficulties": []}
    assert progress(q, answers) == (1, len(q.questions))


def test_parse_rejects_broken_content(raw):
    broken = yaml.safe_load(yaml.safe_dump(raw))
    del broken["sections"][0]["questions"][0]["label"]["en"]
    with pytest.raises(ContentError, match="missing 'en'"):
        parse_questionnaire(broken)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["sections"][3]["questions"][1]["id"] = broken["sections"][3]["questions"][0]["id"]
    with pytest.raises(ContentError, match="duplicate question ids"):
        parse_questionnaire(broken)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    del broken["sections"][-1]
    with pytest.raises(ContentError, match="domain sections"):
        parse_questionnaire(broken)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["sections"][0]["questions"][0]["choices"][0]["points"] = 2
    with pytest.raises(ContentError, match="not scored"):
        parse_questionnaire(broken)

    broken = yaml.safe_load(yaml.safe_dump(raw))
    broken["sections"][3]["questions"][0]["choices"][0]["value"] = 3
    with pytest.raises(ContentError, match="non-empty strings"):
        parse_questionnaire(broken)


def test_a_new_version_never_breaks_past_diagnostics(tmp_path, raw):
    """Version 2 renames a question, drops another and changes points: answers given
    to version 1 are still scored with version 1, identically, and reading them with
    version 2 ignores what it does not know."""
    shutil.copy(CONTENT_DIR / "questionnaire-v1.yaml", tmp_path / "questionnaire-v1.yaml")
    v2 = yaml.safe_load(yaml.safe_dump(raw))
    v2["version"] = 2
    communication = next(s for s in v2["sections"] if s["code"] == "communication")
    communication["questions"][0]["id"] = "communication.channels_used"
    communication["questions"] = [
        question
        for question in communication["questions"]
        if question["id"] != "communication.messages_answered"
    ]
    for choice in communication["questions"][0]["choices"]:
        choice["points"] = 1 if choice["value"] != "none" else 0
    communication["questions"][0]["max_points"] = 5
    (tmp_path / "questionnaire-v2.yaml").write_text(
        yaml.safe_dump(v2, allow_unicode=True), encoding="utf-8"
    )
    assert available_versions(tmp_path) == [1, 2]
    assert load_questionnaire(directory=tmp_path).version == 2

    v1 = load_questionnaire(1, directory=tmp_path)
    answers = best_answers(load_questionnaire(1))
    before = score(load_questionnaire(1), answers)
    assert score(v1, answers) == before
    assert before.domains["communication"].score == 100

    later = load_questionnaire(2, directory=tmp_path)
    assert validate_answers(later, answers, partial=True) == {}
    rescored = score(later, answers)
    assert (
        rescored.domains["communication"].answered
        == len(later.section("communication").questions) - 1
    )


def test_missing_version(tmp_path):
    with pytest.raises(LookupError):
        load_questionnaire(99)
    with pytest.raises(ContentError):
        load_questionnaire(directory=tmp_path)
