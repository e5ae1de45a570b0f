"""The self-diagnostic questionnaire: versioned data, loaded from YAML.

A questionnaire lives in ``maillon/strategy/content/questionnaire-v<N>.yaml``. Once
published, a version never changes meaning: a new wording or new choices go into a
new version, and a past diagnostic is always read, validated and scored with the
version it was answered with. Answers to question ids that a version does not know
are ignored, so answers never make a questionnaire fail.

Answers are a plain ``dict`` from question id to:

- ``single`` / ``scale``: the chosen value (a string; an int is accepted for scales);
- ``boolean``: ``"yes"`` / ``"no"`` (``True`` / ``False`` are accepted);
- ``multiple``: the list of checked values;
- ``ranking``: the list of values, most important first (a partial ranking is fine);
- ``text``: a string.

``None``, ``""`` and ``[]`` mean "not answered".

This module has no Django import.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from maillon.core import versioned_yaml
from maillon.core.versioned_yaml import ContentError

LANGUAGES = ("fr", "en")
DEFAULT_LANGUAGE = "fr"

QUESTION_TYPES = ("single", "multiple", "ranking", "scale", "text", "boolean")
CHOICE_TYPES = frozenset({"single", "multiple", "ranking", "scale", "boolean"})
SECTION_KINDS = ("profile", "objectives", "self_rating", "domain")

DOMAIN_CODES = (
    "communication",
    "volunteering",
    "governance",
    "management",
    "fundraising",
    "digital_culture",
    "inclusion",
    "data_protection",
    "sobriety",
    "evaluation",
)
OBJECTIVE_CODES = (
    "make_known",
    "animate_network",
    "manage_efficiently",
    "work_together",
    "mobilise_volunteers",
    "involve_members",
    "raise_funds",
    "serve_members",
)
LEVEL_CODES = ("peu_initiee", "en_progres", "experimentee")

OBJECTIVES_QUESTION = "objectives.ranking"
SELF_RATING_QUESTION = "self_rating.level"
#: The profile questions that describe the association's resources, from the
#: scarcest value to the richest. Rules and ranking read them by resource name.
RESOURCE_QUESTIONS = {
    "time": "profile.resource_time",
    "budget": "profile.resource_budget",
    "skills": "profile.resource_skills",
}
RESOURCE_VALUES = {
    "time": ("low", "medium", "high"),
    "budget": ("none", "small", "medium"),
    "skills": ("none", "some", "strong"),
}
#: Profile questions every version must carry, with their exact values (the
#: platform stores the size band with these codes).
REQUIRED_PROFILE_VALUES = {
    "profile.size_band": ("none", "1-2", "3-9", "10-49", "50+"),
    "profile.digital_carriers": (
        "board",
        "few_initiated",
        "few_volunteers",
        "staff",
        "single_person",
        "most_members",
    ),
    "profile.budget_band": None,
    **{qid: RESOURCE_VALUES[name] for name, qid in RESOURCE_QUESTIONS.items()},
}

#: Rough seconds a person needs to read and answer a question of each type; used by
#: :func:`estimated_minutes`.
SECONDS_PER_TYPE = {
    "single": 11,
    "scale": 10,
    "boolean": 8,
    "multiple": 22,
    "ranking": 60,
    "text": 45,
}

CONTENT_DIR = Path(__file__).resolve().parent.parent / "content"
#: Files are ``questionnaire-v<N>.yaml`` (see ``maillon.core.versioned_yaml``).
STEM = "questionnaire"

Text = Mapping[str, str]


def text(obj: Any, language: str = DEFAULT_LANGUAGE) -> str:
    """The text of a ``{fr: ..., en: ...}`` mapping (or of an object's ``label``) in
    ``language``, falling back to French, then to any language; "" for nothing."""
    if obj is None:
        return ""
    if isinstance(obj, str):
        return obj
    if not isinstance(obj, Mapping):
        obj = getattr(obj, "label", None)
        if not isinstance(obj, Mapping):
            return ""
    for lang in (language, DEFAULT_LANGUAGE, *LANGUAGES):
        value = obj.get(lang)
        if value:
            return value
    return ""


@dataclass(frozen=True)
class Choice:
    value: str
    label: Text
    #: Points given by this choice; ``None`` means "not applicable": the question
    #: then leaves the domain's total.
    points: int | None = 0
    #: In a ``multiple`` question, cannot be checked together with another choice.
    exclusive: bool = False


@dataclass(frozen=True)
class Question:
    id: str
    type: str
    label: Text
    help: Text | None
    choices: tuple[Choice, ...]
    required: bool
    #: Highest points the question can give; 0 for a question that is not scored.
    max_points: int
    section: str = ""

    @property
    def scored(self) -> bool:
        return self.max_points > 0

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(c.value for c in self.choices)

    def choice(self, value: str) -> Choice | None:
        for c in self.choices:
            if c.value == value:
                return c
        return None

    def choice_label(self, value: str, language: str = DEFAULT_LANGUAGE) -> str:
        c = self.choice(value)
        return text(c.label, language) if c else str(value)


@dataclass(frozen=True)
class Section:
    code: str
    kind: str
    title: Text
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Questionnaire:
    version: int
    sections: tuple[Section, ...]
    title: Text = field(default_factory=dict)
    intro: Text = field(default_factory=dict)
    _index: Mapping[str, Question] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_index", {q.id: q for s in self.sections for q in s.questions})

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)

    def question(self, question_id: str) -> Question | None:
        return self._index.get(question_id)

    def __contains__(self, question_id: object) -> bool:
        return question_id in self._index

    def __iter__(self) -> Iterator[Question]:
        return iter(self.questions)

    @property
    def domain_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.kind == "domain")

    @property
    def domains(self) -> tuple[str, ...]:
        return tuple(s.code for s in self.domain_sections)

    def section(self, code: str) -> Section | None:
        for s in self.sections:
            if s.code == code:
                return s
        return None

    def domain_title(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        s = self.section(code)
        return text(s.title, language) if s else code


# ---------------------------------------------------------------- parsing


def _text_field(raw: Any, where: str) -> Text:
    """A required ``{fr: ..., en: ...}`` text, its spaces normalised."""
    if not isinstance(raw, Mapping):
        raise ContentError(f"{where}: expected a mapping with 'fr' and 'en'")
    for lang in LANGUAGES:
        value = raw.get(lang)
        if not isinstance(value, str) or not value.strip():
            raise ContentError(f"{where}: missing '{lang}' text")
    unknown = set(raw) - set(LANGUAGES)
    if unknown:
        raise ContentError(f"{where}: unknown languages {sorted(unknown)}")
    return {lang: " ".join(raw[lang].split()) for lang in LANGUAGES}


def _optional_text_field(raw: Any, where: str) -> Text | None:
    return None if raw is None else _text_field(raw, where)


def _parse_choice(raw: Any, qid: str, qtype: str) -> Choice:
    if not isinstance(raw, Mapping):
        raise ContentError(f"{qid}: a choice must be a mapping")
    value = raw.get("value")
    if not isinstance(value, str) or not value:
        raise ContentError(f"{qid}: choice values must be non-empty strings, got {value!r}")
    if "points" not in raw:
        raise ContentError(f"{qid}.{value}: missing points")
    points = raw["points"]
    if points is not None and (isinstance(points, bool) or not isinstance(points, int)):
        raise ContentError(f"{qid}.{value}: points must be an integer or null")
    if points is not None and points < 0:
        raise ContentError(f"{qid}.{value}: points must be >= 0")
    if points is None and qtype == "multiple":
        raise ContentError(f"{qid}.{value}: 'not applicable' is for single choices only")
    exclusive = raw.get("exclusive", False)
    if exclusive and qtype != "multiple":
        raise ContentError(f"{qid}.{value}: exclusive is for multiple questions only")
    unknown = set(raw) - {"value", "label", "points", "exclusive"}
    if unknown:
        raise ContentError(f"{qid}.{value}: unknown keys {sorted(unknown)}")
    return Choice(
        value=value,
        label=_text_field(raw.get("label"), f"{qid}.{value}"),
        points=points,
        exclusive=bool(exclusive),
    )


def _parse_question(raw: Any, section: str, kind: str) -> Question:
    if not isinstance(raw, Mapping):
        raise ContentError(f"section {section}: a question must be a mapping")
    qid = raw.get("id")
    if not isinstance(qid, str) or not qid.startswith(f"{section}."):
        raise ContentError(f"section {section}: question id {qid!r} must start with '{section}.'")
    qtype = raw.get("type")
    if qtype not in QUESTION_TYPES:
        raise ContentError(f"{qid}: unknown type {qtype!r}")
    unknown = set(raw) - {"id", "type", "label", "help", "choices", "required", "max_points"}
    if unknown:
        raise ContentError(f"{qid}: unknown keys {sorted(unknown)}")
    choices = tuple(_parse_choice(c, qid, qtype) for c in raw.get("choices") or ())
    if qtype in CHOICE_TYPES and not choices:
        raise ContentError(f"{qid}: a {qtype} question needs choices")
    if qtype == "text" and choices:
        raise ContentError(f"{qid}: a text question has no choices")
    values = [c.value for c in choices]
    if len(set(values)) != len(values):
        raise ContentError(f"{qid}: duplicate choice values")
    if qtype == "boolean" and sorted(values) != ["no", "yes"]:
        raise ContentError(f"{qid}: a boolean question has exactly the choices yes and no")
    numeric = [c.points for c in choices if c.points is not None]
    if qtype == "multiple":
        total = sum(numeric)
        declared = raw.get("max_points", total)
        if isinstance(declared, bool) or not isinstance(declared, int) or declared < 0:
            raise ContentError(f"{qid}: max_points must be an integer >= 0")
        max_points = min(declared, total)
        if declared > total:
            raise ContentError(f"{qid}: max_points {declared} exceeds the sum of points {total}")
    elif qtype in ("single", "scale", "boolean"):
        if "max_points" in raw:
            raise ContentError(f"{qid}: max_points is for multiple questions only")
        max_points = max(numeric, default=0)
    else:
        if any(numeric):
            raise ContentError(f"{qid}: {qtype} questions are not scored")
        max_points = 0
    if kind != "domain" and max_points:
        raise ContentError(f"{qid}: questions outside domain sections are not scored")
    required = raw.get("required", False)
    if not isinstance(required, bool):
        raise ContentError(f"{qid}: required must be true or false")
    return Question(
        id=qid,
        type=qtype,
        label=_text_field(raw.get("label"), qid),
        help=_optional_text_field(raw.get("help"), f"{qid} help"),
        choices=choices,
        required=required,
        max_points=max_points,
        section=section,
    )


def _parse_section(raw: Any) -> Section:
    if not isinstance(raw, Mapping):
        raise ContentError("a section must be a mapping")
    code, kind = raw.get("code"), raw.get("kind")
    if kind not in SECTION_KINDS:
        raise ContentError(f"section {code!r}: unknown kind {kind!r}")
    if kind == "domain" and code not in DOMAIN_CODES:
        raise ContentError(f"section {code!r}: unknown domain")
    if kind != "domain" and code != kind:
        raise ContentError(f"section {code!r}: a {kind} section has the code {kind!r}")
    code, kind = str(code), str(kind)  # both are known codes now
    questions = tuple(_parse_question(q, code, kind) for q in raw.get("questions") or ())
    if not questions:
        raise ContentError(f"section {code}: no question")
    return Section(
        code=code,
        kind=kind,
        title=_text_field(raw.get("title"), f"section {code}"),
        questions=questions,
    )


def parse_questionnaire(data: Any) -> Questionnaire:
    """Build and check a questionnaire from parsed YAML; raise :class:`ContentError`."""
    if not isinstance(data, Mapping):
        raise ContentError("a questionnaire must be a mapping")
    version = data.get("version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise ContentError("version must be a positive integer")
    sections = [_parse_section(raw) for raw in data.get("sections") or ()]
    codes = [s.code for s in sections]
    if len(set(codes)) != len(codes):
        raise ContentError("duplicate section codes")
    if sorted(s.code for s in sections if s.kind == "domain") != sorted(DOMAIN_CODES):
        raise ContentError(f"the domain sections must be exactly {DOMAIN_CODES}")
    for kind in ("profile", "objectives", "self_rating"):
        if kind not in codes:
            raise ContentError(f"missing the {kind} section")
    ids = [q.id for s in sections for q in s.questions]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ContentError(f"duplicate question ids: {dupes}")
    q = Questionnaire(
        version=version,
        sections=tuple(sections),
        title=_optional_text_field(data.get("title"), "title") or {},
        intro=_optional_text_field(data.get("intro"), "intro") or {},
    )
    _check_fixed_questions(q)
    return q


def _check_fixed_questions(q: Questionnaire) -> None:
    objectives = q.question(OBJECTIVES_QUESTION)
    if objectives is None or objectives.type != "ranking":
        raise ContentError(f"{OBJECTIVES_QUESTION} must be a ranking question")
    if sorted(objectives.values) != sorted(OBJECTIVE_CODES):
        raise ContentError(f"{OBJECTIVES_QUESTION} must rank exactly {OBJECTIVE_CODES}")
    rating = q.question(SELF_RATING_QUESTION)
    if rating is None or rating.type != "single" or rating.values != LEVEL_CODES:
        raise ContentError(f"{SELF_RATING_QUESTION} must be a single choice over {LEVEL_CODES}")
    for qid, values in REQUIRED_PROFILE_VALUES.items():
        question = q.question(qid)
        if question is None or question.section != "profile" or question.type != "single":
            raise ContentError(f"the profile needs the single-choice question {qid}")
        if values is not None and question.values != values:
            raise ContentError(f"{qid} must offer {values} in this order")


# ---------------------------------------------------------------- loading


def available_versions(directory: Path | str | None = None) -> list[int]:
    """Versions of the questionnaire shipped in the content directory, ascending."""
    return versioned_yaml.available_versions(directory or CONTENT_DIR, STEM)


def load_questionnaire(
    version: int | None = None, *, directory: Path | str | None = None
) -> Questionnaire:
    """The questionnaire ``version`` (the latest when ``None``); parsed once, cached."""
    folder = Path(directory) if directory else CONTENT_DIR
    if version is None:
        versions = available_versions(folder)
        version = versions[-1] if versions else None
    return _load(version, str(folder))


@functools.lru_cache(maxsize=32)
def _load(version: int | None, directory: str) -> Questionnaire:
    version, data = versioned_yaml.read_version(directory, STEM, version)
    q = parse_questionnaire(data)
    versioned_yaml.check_declared_version(version, q.version, STEM)
    return q


# ---------------------------------------------------------------- answers


def normalise_answer(question: Question, raw: Any) -> str | list[str] | None:
    """The answer in its canonical form (see the module docstring), or ``None`` when
    it is empty. Nothing is checked against the choices here."""
    if raw is None:
        return None
    if question.type in ("multiple", "ranking"):
        items = [raw] if isinstance(raw, str | int) else raw
        if not isinstance(items, list | tuple | set | frozenset):
            return None
        seen: list[str] = []
        for item in items:
            value = str(item).strip()
            if value and value not in seen:
                seen.append(value)
        if question.type == "multiple":
            order = {v: i for i, v in enumerate(question.values)}
            seen.sort(key=lambda v: order.get(v, len(order)))
        return seen or None
    if question.type == "boolean" and isinstance(raw, bool):
        return "yes" if raw else "no"
    if isinstance(raw, list | tuple | set | dict):
        return None
    value = str(raw).strip()
    return value or None


def normalise_answers(q: Questionnaire, answers: Mapping[str, Any] | None) -> dict[str, Any]:
    """The answers to questions of ``q`` in canonical form, without empty ones; ids
    that ``q`` does not know are dropped."""
    result: dict[str, Any] = {}
    for qid, raw in (answers or {}).items():
        question = q.question(qid)
        if question is None:
            continue
        value = normalise_answer(question, raw)
        if value is not None:
            result[qid] = value
    return result


_MESSAGES = {
    "required": {
        "fr": "Merci de répondre à cette question.",
        "en": "Please answer this question.",
    },
    "unknown_choice": {
        "fr": "Réponse inconnue : {value}.",
        "en": "Unknown answer: {value}.",
    },
    "exclusive": {
        "fr": "« {label} » ne peut pas être coché avec une autre réponse.",
        "en": '"{label}" cannot be checked together with another answer.',
    },
    "invalid": {
        "fr": "Réponse invalide.",
        "en": "Invalid answer.",
    },
}


def _message(key: str, language: str, **kwargs: str) -> str:
    return text(_MESSAGES[key], language).format(**kwargs)


def validate_answers(
    q: Questionnaire,
    answers: Mapping[str, Any] | None,
    *,
    partial: bool = False,
    language: str = DEFAULT_LANGUAGE,
) -> dict[str, str]:
    """Errors per question id (empty when the answers are valid).

    Ids that ``q`` does not know are ignored: answers given to another version never
    make this one fail. With ``partial`` (saving a diagnostic in progress), missing
    required answers are not errors.
    """
    errors: dict[str, str] = {}
    answers = answers or {}
    for question in q.questions:
        raw = answers.get(question.id)
        value = normalise_answer(question, raw)
        if value is None:
            if isinstance(raw, Mapping):
                errors[question.id] = _message("invalid", language)
            elif question.required and not partial:
                errors[question.id] = _message("required", language)
            continue
        if question.type == "text":
            continue
        picked = value if isinstance(value, list) else [value]
        unknown = [v for v in picked if question.choice(v) is None]
        if unknown:
            errors[question.id] = _message("unknown_choice", language, value=", ".join(unknown))
            continue
        if question.type == "multiple" and len(picked) > 1:
            for v in picked:
                choice = question.choice(v)
                if choice is not None and choice.exclusive:
                    errors[question.id] = _message(
                        "exclusive", language, label=text(choice.label, language)
                    )
                    break
    return errors


def is_answered(question: Question, raw: Any) -> bool:
    """Whether ``raw`` is a usable answer to ``question``: not empty and, for choice
    questions, naming at least one known choice."""
    value = normalise_answer(question, raw)
    if value is None:
        return False
    if question.type == "text":
        return True
    picked = value if isinstance(value, list) else [value]
    return any(question.choice(v) is not None for v in picked)


def progress(q: Questionnaire, answers: Mapping[str, Any] | None) -> tuple[int, int]:
    """``(answered, total)`` over all questions of ``q``."""
    answers = answers or {}
    total = len(q.questions)
    answered = sum(1 for question in q.questions if is_answered(question, answers.get(question.id)))
    return answered, total


def estimated_minutes(q: Questionnaire) -> int:
    """Rough time to answer every question, in whole minutes (rounded up)."""
    seconds = sum(SECONDS_PER_TYPE[question.type] for question in q.questions)
    return -(-seconds // 60)
