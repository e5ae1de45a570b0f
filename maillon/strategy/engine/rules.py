"""Recommendation rules: data in YAML, evaluated without ``eval``.

A rules file (``maillon/strategy/content/recommendations-v<N>.yaml``) names the
questionnaire version it reads, a closed list of pitfalls and of kinds of help, and
its rules. Each rule has a condition in a small declarative language::

    all: [c, ...]    any: [c, ...]    not: c
    {answer: <question id>, in: [values]}        single, scale, boolean
    {answer: <question id>, includes: <value>}   multiple: the value is checked
    {answer: <question id>, excludes: <value>}   multiple: answered, value not checked
    {answered: <question id>}
    {score: <domain code or "overall">, lt: N}   also gte: N
    {objective: <objective code>, rank_lte: N}   ranked N-th or better
    {resource: time|budget|skills, in: [values]} the profile's resource answers

A leaf about a question the answers' questionnaire does not know is false (its
question is simply unanswered): rules never fail on old diagnostics.

:func:`evaluate` returns, with the truth value, the facts that decided it
(:class:`Trigger`): for a true ``all`` every child's facts, for a true ``any`` the
facts of the children that hold, for a false one the reverse, and ``not`` keeps its
child's facts. So every recommendation shows the answers, scores, objectives and
resources that made it appear.

:func:`recommend` ranks the rules that hold (see :func:`priority_parts`):

1. what serves the association's top-ranked objectives first: up to
   :data:`OBJECTIVE_WEIGHT` points for the best-ranked objective the rule serves
   (rank 1 gives all, the 8th an eighth, unranked nothing);
2. minus penalties for effort beyond the time available, cost beyond the budget
   and effort beyond the skills (unless the rule's help brings the skills);
3. plus up to :data:`WEAKNESS_WEIGHT` points for the weakness of the rule's domain;

the highest total first, ties by rule code, so the order is deterministic.

This module has no Django import.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any

from maillon.core import versioned_yaml
from maillon.core.versioned_yaml import ContentError

from .questionnaire import (
    CONTENT_DIR,
    DEFAULT_LANGUAGE,
    DOMAIN_CODES,
    OBJECTIVE_CODES,
    OBJECTIVES_QUESTION,
    RESOURCE_QUESTIONS,
    RESOURCE_VALUES,
    Questionnaire,
    Text,
    _text_field,
    is_answered,
    load_questionnaire,
    normalise_answers,
    text,
)
from .scoring import Scores, score

EFFORTS = ("low", "medium", "high")
COSTS = ("none", "low", "medium", "high")
FEATURES = (
    "members",
    "governance",
    "volunteering",
    "events",
    "communication",
    "strategy",
    "network",
)
HELP_KINDS = (
    "training",
    "skills_volunteer",
    "company_sponsorship",
    "network",
    "peer_exchange",
    "none",
)
PITFALL_CODES = (
    "digital_exclusion",
    "information_overload",
    "single_person_dependency",
    "tools_without_objectives",
    "no_evaluation",
    "tool_churn",
    "dehumanised_relations",
    "data_protection",
)
#: Kinds of help that bring the skills a rule needs.
SKILLED_HELP = frozenset({"training", "skills_volunteer", "company_sponsorship", "network"})
OVERALL = "overall"

OBJECTIVE_WEIGHT = 60
WEAKNESS_WEIGHT = 20
EFFORT_PENALTY = 12
COST_PENALTY = 12
SKILLS_PENALTY = 6
#: Safeguards come before convenience: the studies name the exclusion of
#: non-connected members the first risk of going digital, and data protection is a
#: legal duty. A rule marked ``safeguard: true`` in the YAML (one that protects
#: against such a risk, not one merely exposed to it) ranks as if it served a
#: high-ranked objective, whatever the association's objectives.
SAFEGUARD_BONUS = 40

#: Files are ``recommendations-v<N>.yaml`` (see ``maillon.core.versioned_yaml``).
STEM = "recommendations"

_LEAF_KEYS = {
    "answer": ({"in"}, {"includes"}, {"excludes"}),
    "answered": (set(),),
    "score": ({"lt"}, {"gte"}),
    "objective": ({"rank_lte"},),
    "resource": ({"in"},),
}


@dataclass(frozen=True)
class Pitfall:
    code: str
    label: Text


@dataclass(frozen=True)
class Rule:
    code: str
    domain: str
    title: Text
    why: Text
    effect: Text
    effort: str
    cost: str
    pitfalls: tuple[str, ...]
    feature: str | None
    help: str
    objectives: tuple[str, ...]
    condition: Mapping[str, Any]
    safeguard: bool = False


@dataclass(frozen=True)
class RuleSet:
    version: int
    questionnaire_version: int
    pitfalls: tuple[Pitfall, ...]
    help_kinds: Mapping[str, Text]
    rules: tuple[Rule, ...]

    def rule(self, code: str) -> Rule | None:
        for r in self.rules:
            if r.code == code:
                return r
        return None

    def pitfall_label(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        for p in self.pitfalls:
            if p.code == code:
                return text(p.label, language)
        return code

    def help_label(self, code: str, language: str = DEFAULT_LANGUAGE) -> str:
        return text(self.help_kinds.get(code), language) or code


# ---------------------------------------------------------------- checking


def check_condition(condition: Any, q: Questionnaire | None = None, where: str = "") -> list[str]:
    """Problems in a condition: its shape and, with ``q``, its references."""
    errors: list[str] = []
    _check(condition, q, where or "condition", errors)
    return errors


def _check(cond: Any, q: Questionnaire | None, where: str, errors: list[str]) -> None:
    if not isinstance(cond, Mapping) or not cond:
        errors.append(f"{where}: a condition must be a non-empty mapping")
        return
    if set(cond) & {"all", "any", "not"}:
        if len(cond) != 1:
            errors.append(f"{where}: all/any/not stand alone, got {sorted(cond)}")
            return
        ((op, arg),) = cond.items()
        if op == "not":
            _check(arg, q, f"{where}.not", errors)
        elif not isinstance(arg, list) or not arg:
            errors.append(f"{where}: {op} needs a non-empty list")
        else:
            for i, child in enumerate(arg):
                _check(child, q, f"{where}.{op}[{i}]", errors)
        return
    kinds = set(cond) & set(_LEAF_KEYS)
    if len(kinds) != 1:
        errors.append(f"{where}: unknown condition {dict(cond)!r}")
        return
    kind = kinds.pop()
    operators = set(cond) - {kind}
    if operators not in _LEAF_KEYS[kind]:
        errors.append(f"{where}: {kind} takes one of {[sorted(o) for o in _LEAF_KEYS[kind]]}")
        return
    ref = cond[kind]
    if kind in ("answer", "answered"):
        question = q.question(ref) if q is not None else None
        if not isinstance(ref, str) or (q is not None and question is None):
            errors.append(f"{where}: unknown question {ref!r}")
            return
        if kind == "answered" or question is None:
            return
        if "in" in operators:
            if question.type not in ("single", "scale", "boolean"):
                errors.append(f"{where}: 'in' is for single, scale and boolean questions")
            _check_values(cond["in"], question.values, where, errors)
        else:
            if question.type != "multiple":
                errors.append(f"{where}: includes/excludes are for multiple questions")
            value = cond.get("includes", cond.get("excludes"))
            _check_values([value], question.values, where, errors)
    elif kind == "score":
        domains = (*(q.domains if q is not None else DOMAIN_CODES), OVERALL)
        if ref not in domains:
            errors.append(f"{where}: unknown domain {ref!r}")
        ((op, bound),) = ((k, cond[k]) for k in operators)
        if isinstance(bound, bool) or not isinstance(bound, int):
            errors.append(f"{where}: {op} needs an integer")
        elif (op == "lt" and not 0 < bound <= 100) or (op == "gte" and not 0 < bound <= 100):
            errors.append(f"{where}: {op} {bound} can never or always hold")
    elif kind == "objective":
        if ref not in OBJECTIVE_CODES:
            errors.append(f"{where}: unknown objective {ref!r}")
        bound = cond["rank_lte"]
        if isinstance(bound, bool) or not isinstance(bound, int):
            errors.append(f"{where}: rank_lte needs an integer")
        elif not 1 <= bound <= len(OBJECTIVE_CODES):
            errors.append(f"{where}: rank_lte {bound} can never hold")
    elif kind == "resource":
        if ref not in RESOURCE_QUESTIONS:
            errors.append(f"{where}: unknown resource {ref!r}")
            return
        _check_values(cond["in"], RESOURCE_VALUES[ref], where, errors)


def _check_values(values: Any, allowed: Iterable[str], where: str, errors: list[str]) -> None:
    if not isinstance(values, list) or not values:
        errors.append(f"{where}: expected a non-empty list of values")
        return
    allowed = tuple(allowed)
    for v in values:
        if not isinstance(v, str):
            errors.append(f"{where}: value {v!r} must be a string (quote it in YAML)")
        elif v not in allowed:
            errors.append(f"{where}: unknown value {v!r}")


def _choice(raw: Mapping, key: str, allowed: Iterable[Any], where: str) -> Any:
    value = raw.get(key)
    allowed = tuple(allowed)
    if value not in allowed:
        raise ContentError(f"{where}: {key} must be one of {allowed}, got {value!r}")
    return value


def _positive_int(data: Mapping, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ContentError(f"{name} must be a positive integer")
    return value


RULE_KEYS = frozenset(
    {"code", "domain", "title", "why", "effect", "effort", "cost", "pitfalls"}
    | {"feature", "help", "objectives", "condition"}
)


def _check_codes(values: Any, allowed: Iterable[str], what: str, code: str) -> None:
    """A rule's ``pitfalls`` or ``objectives``: a non-empty list of known codes."""
    if not isinstance(values, list) or not values:
        raise ContentError(f"rule {code}: {what}s must be a non-empty list")
    for value in values:
        if value not in allowed:
            raise ContentError(f"rule {code}: unknown {what} {value!r}")


def _parse_rule(raw: Any, questionnaire: Questionnaire | None) -> Rule:
    code = raw.get("code") if isinstance(raw, Mapping) else None
    if not isinstance(code, str) or not re.fullmatch(r"[a-z][a-z0-9_]*", code):
        raise ContentError(f"rule code {code!r} must be a lowercase identifier")
    if not RULE_KEYS <= set(raw) <= RULE_KEYS | {"safeguard"}:
        raise ContentError(f"rule {code}: keys must be {sorted(RULE_KEYS)}, got {sorted(raw)}")
    if not isinstance(raw.get("safeguard", False), bool):
        raise ContentError(f"rule {code}: safeguard must be true or false")
    _check_codes(raw["pitfalls"], PITFALL_CODES, "pitfall", code)
    _check_codes(raw["objectives"], OBJECTIVE_CODES, "objective", code)
    errors = check_condition(raw["condition"], questionnaire, f"rule {code}")
    if errors:
        raise ContentError("; ".join(errors))
    return Rule(
        code=code,
        domain=_choice(
            raw, "domain", questionnaire.domains if questionnaire else DOMAIN_CODES, code
        ),
        title=_text_field(raw["title"], f"rule {code} title"),
        why=_text_field(raw["why"], f"rule {code} why"),
        effect=_text_field(raw["effect"], f"rule {code} effect"),
        effort=_choice(raw, "effort", EFFORTS, code),
        cost=_choice(raw, "cost", COSTS, code),
        pitfalls=tuple(dict.fromkeys(raw["pitfalls"])),
        feature=_choice(raw, "feature", (*FEATURES, None), code),
        help=_choice(raw, "help", HELP_KINDS, code),
        objectives=tuple(dict.fromkeys(raw["objectives"])),
        condition=raw["condition"],
        safeguard=raw.get("safeguard", False),
    )


def parse_rules(data: Any, questionnaire: Questionnaire | None = None) -> RuleSet:
    """Build and check a rule set from parsed YAML; with ``questionnaire``, also
    check every reference. Raise :class:`ContentError`."""
    if not isinstance(data, Mapping):
        raise ContentError("a rules file must be a mapping")
    version = _positive_int(data, "version")
    qversion = _positive_int(data, "questionnaire_version")
    pitfalls = []
    for raw in data.get("pitfalls") or ():
        code = _choice(raw, "code", PITFALL_CODES, "pitfalls")
        pitfalls.append(Pitfall(code=code, label=_text_field(raw.get("label"), f"pitfall {code}")))
    if sorted(p.code for p in pitfalls) != sorted(PITFALL_CODES):
        raise ContentError(f"pitfalls must list exactly {PITFALL_CODES}")
    help_kinds: dict[str, Text] = {}
    for raw in data.get("help_kinds") or ():
        code = _choice(raw, "code", HELP_KINDS, "help_kinds")
        help_kinds[code] = _text_field(raw.get("label"), f"help kind {code}")
    if sorted(help_kinds) != sorted(HELP_KINDS):
        raise ContentError(f"help_kinds must list exactly {HELP_KINDS}")
    rules = [_parse_rule(raw, questionnaire) for raw in data.get("rules") or ()]
    codes = [r.code for r in rules]
    dupes = sorted({c for c in codes if codes.count(c) > 1})
    if dupes:
        raise ContentError(f"duplicate rule codes: {dupes}")
    unused = set(PITFALL_CODES) - {p for r in rules for p in r.pitfalls}
    if unused:
        raise ContentError(f"pitfalls no rule helps to avoid: {sorted(unused)}")
    return RuleSet(
        version=version,
        questionnaire_version=qversion,
        pitfalls=tuple(pitfalls),
        help_kinds=help_kinds,
        rules=tuple(rules),
    )


# ---------------------------------------------------------------- loading


def available_rule_versions(directory: Path | str | None = None) -> list[int]:
    return versioned_yaml.available_versions(directory or CONTENT_DIR, STEM)


def load_rules(version: int | None = None, *, directory: Path | str | None = None) -> RuleSet:
    """The rules ``version`` (the latest when ``None``), checked against the
    questionnaire version they read; parsed once, cached."""
    folder = Path(directory) if directory else CONTENT_DIR
    if version is None:
        versions = available_rule_versions(folder)
        version = versions[-1] if versions else None
    return _load(version, str(folder))


@functools.lru_cache(maxsize=32)
def _load(version: int | None, directory: str) -> RuleSet:
    version, data = versioned_yaml.read_version(directory, STEM, version)
    qversion = data.get("questionnaire_version") if isinstance(data, Mapping) else None
    q = load_questionnaire(qversion, directory=directory) if isinstance(qversion, int) else None
    rules = parse_rules(data, q)
    versioned_yaml.check_declared_version(version, rules.version, STEM)
    return rules


def rules_for_questionnaire(
    questionnaire_version: int, *, directory: Path | str | None = None
) -> RuleSet:
    """The latest rules written for ``questionnaire_version``; the latest rules of all
    when none was (their leaves about unknown questions are then simply false)."""
    versions = available_rule_versions(directory)
    for v in reversed(versions):
        rules = load_rules(v, directory=directory)
        if rules.questionnaire_version == questionnaire_version:
            return rules
    return load_rules(directory=directory)


# ---------------------------------------------------------------- evaluation


@dataclass(frozen=True)
class Trigger:
    """A fact that decided a condition: an answer, a score, an objective's rank or a
    resource, with a readable ``text``."""

    #: "answer", "answered", "score", "objective" or "resource".
    kind: str
    #: Question id (answer, answered, resource), domain code or "overall" (score),
    #: objective code (objective).
    ref: str
    #: The answer (a string, or a tuple for a multiple question), the score, the
    #: objective's rank; None when unanswered or unranked.
    value: Any
    text: str

    @property
    def question_id(self) -> str | None:
        return self.ref if self.kind in ("answer", "answered", "resource") else None


@dataclass(frozen=True)
class Context:
    """What conditions read: the questionnaire, normalised answers and scores."""

    questionnaire: Questionnaire
    answers: Mapping[str, Any]
    scores: Scores
    language: str = DEFAULT_LANGUAGE
    objective_ranks: Mapping[str, int] = field(default_factory=dict)


def make_context(
    q: Questionnaire,
    answers: Mapping[str, Any] | None,
    scores: Scores | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> Context:
    answers = normalise_answers(q, answers)
    ranking = answers.get(OBJECTIVES_QUESTION) or []
    ranks: dict[str, int] = {}
    for code in ranking:
        if code in OBJECTIVE_CODES and code not in ranks:
            ranks[code] = len(ranks) + 1
    return Context(
        questionnaire=q,
        answers=answers,
        scores=scores if scores is not None else score(q, answers),
        language=language,
        objective_ranks=ranks,
    )


_TEXTS = {
    "no_answer": {"fr": "sans réponse", "en": "no answer"},
    "checked": {"fr": "« {label} » coché", "en": "“{label}” checked"},
    "unchecked": {"fr": "« {label} » non coché", "en": "“{label}” not checked"},
    "score": {"fr": "Score « {domain} » : {score}/100", "en": "Score “{domain}”: {score}/100"},
    "overall": {"fr": "Score global : {score}/100", "en": "Overall score: {score}/100"},
    "ranked": {
        "fr": "Objectif « {label} » classé n° {rank}",
        "en": "Objective “{label}” ranked #{rank}",
    },
    "unranked": {"fr": "Objectif « {label} » non classé", "en": "Objective “{label}” not ranked"},
}


def _t(key: str, ctx: Context, **kwargs: Any) -> str:
    return text(_TEXTS[key], ctx.language).format(**kwargs)


def _answer_fact(kind: str, qid: str, ctx: Context) -> Trigger:
    question = ctx.questionnaire.question(qid)
    value = ctx.answers.get(qid)
    label = text(question.label, ctx.language) if question else qid
    if value is None or question is None:
        shown = _t("no_answer", ctx)
        value = None
    elif isinstance(value, list):
        shown = ", ".join(question.choice_label(v, ctx.language) for v in value)
        value = tuple(value)
    elif question.type == "text":
        shown = value
    else:
        shown = question.choice_label(value, ctx.language)
    return Trigger(kind=kind, ref=qid, value=value, text=f"{label} — {shown}")


def _evaluate_leaf(cond: Mapping[str, Any], ctx: Context) -> tuple[bool, list[Trigger]]:
    if "answer" in cond:
        qid = cond["answer"]
        question = ctx.questionnaire.question(qid)
        value = ctx.answers.get(qid) if question is not None else None
        if "in" in cond:
            ok = isinstance(value, str) and value in cond["in"]
            return ok, [_answer_fact("answer", qid, ctx)]
        wanted = cond.get("includes", cond.get("excludes"))
        checked = isinstance(value, list) and wanted in value
        ok = checked if "includes" in cond else isinstance(value, list) and not checked
        if value is None or question is None:
            return ok, [_answer_fact("answer", qid, ctx)]
        label = text(question.label, ctx.language)
        shown = question.choice_label(wanted, ctx.language)
        fact = _t("checked" if checked else "unchecked", ctx, label=shown)
        return ok, [Trigger("answer", qid, tuple(value), f"{label} — {fact}")]
    if "answered" in cond:
        qid = cond["answered"]
        question = ctx.questionnaire.question(qid)
        ok = question is not None and is_answered(question, ctx.answers.get(qid))
        return ok, [_answer_fact("answered", qid, ctx)]
    if "resource" in cond:
        qid = RESOURCE_QUESTIONS[cond["resource"]]
        value = ctx.answers.get(qid)
        ok = isinstance(value, str) and value in cond["in"]
        return ok, [_answer_fact("resource", qid, ctx)]
    if "score" in cond:
        code = cond["score"]
        if code == OVERALL:
            value = ctx.scores.overall
            fact = _t("overall", ctx, score=value)
        elif code in ctx.scores.domains:
            value = ctx.scores.domains[code].score
            title = ctx.questionnaire.domain_title(code, ctx.language)
            fact = _t("score", ctx, domain=title, score=value)
        else:
            return False, [Trigger("score", code, None, code)]
        ok = value < cond["lt"] if "lt" in cond else value >= cond["gte"]
        return ok, [Trigger("score", code, value, fact)]
    if "objective" in cond:
        code = cond["objective"]
        rank = ctx.objective_ranks.get(code)
        question = ctx.questionnaire.question(OBJECTIVES_QUESTION)
        label = question.choice_label(code, ctx.language) if question else code
        ok = rank is not None and rank <= cond["rank_lte"]
        if rank is None:
            return ok, [Trigger("objective", code, None, _t("unranked", ctx, label=label))]
        return ok, [Trigger("objective", code, rank, _t("ranked", ctx, label=label, rank=rank))]
    raise ValueError(f"unknown condition {dict(cond)!r}")


def evaluate(condition: Mapping[str, Any], context: Context) -> tuple[bool, list[Trigger]]:
    """Whether ``condition`` holds, and the facts that decided it (see the module
    docstring)."""
    if "all" in condition or "any" in condition:
        op = "all" if "all" in condition else "any"
        results = [evaluate(child, context) for child in condition[op]]
        oks = [ok for ok, _ in results]
        ok = all(oks) if op == "all" else any(oks)
        facts = [t for child_ok, ts in results if child_ok == ok for t in ts]
        return ok, list(dict.fromkeys(facts))
    if "not" in condition:
        ok, facts = evaluate(condition["not"], context)
        return not ok, facts
    return _evaluate_leaf(condition, context)


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Recommendation:
    code: str
    domain: str
    title: str
    why: str
    effect: str
    effort: str
    cost: str
    pitfalls: tuple[str, ...]
    pitfall_labels: tuple[str, ...]
    feature: str | None
    help: str
    help_label: str
    objectives: tuple[str, ...]
    objective_labels: tuple[str, ...]
    triggered_by: tuple[Trigger, ...]
    priority_score: float
    rank: int
    #: The version of the rules that produced it (to store with an action plan).
    rules_version: int = 0
    #: The terms of ``priority_score``: objective, weakness, effort, cost, skills.
    priority_parts: Mapping[str, float] = field(default_factory=dict)


def _level(ctx: Context, resource: str) -> int:
    """0 for the scarcest value of a resource, up to 2; 1 when not answered."""
    value = ctx.answers.get(RESOURCE_QUESTIONS[resource])
    values = RESOURCE_VALUES[resource]
    return values.index(value) if value in values else 1


def priority_parts(rule: Rule, ctx: Context) -> dict[str, float]:
    """The terms of a rule's priority: the objective term and the domain weakness
    (positive), and the penalties for effort, cost and skills beyond the
    association's resources (negative)."""
    n = len(OBJECTIVE_CODES)
    best = max(
        (
            Fraction(n + 1 - ctx.objective_ranks[o], n)
            for o in rule.objectives
            if o in ctx.objective_ranks
        ),
        default=Fraction(0),
    )
    domain = ctx.scores.domains.get(rule.domain)
    weakness = Fraction(100 - domain.score, 100) if domain else Fraction(0)
    effort = EFFORTS.index(rule.effort)
    cost = COSTS.index(rule.cost)
    skills_gap = 0 if rule.help in SKILLED_HELP else max(0, effort - _level(ctx, "skills"))
    return {
        "objective": round(float(best * OBJECTIVE_WEIGHT), 2),
        "weakness": round(float(weakness * WEAKNESS_WEIGHT), 2),
        "effort": -EFFORT_PENALTY * max(0, effort - _level(ctx, "time")),
        "cost": -COST_PENALTY * max(0, cost - _level(ctx, "budget")),
        "skills": -SKILLS_PENALTY * skills_gap,
        "safeguard": SAFEGUARD_BONUS if rule.safeguard else 0,
    }


def recommend(
    q: Questionnaire,
    rules: RuleSet,
    answers: Mapping[str, Any] | None,
    scores: Scores | None = None,
    language: str = DEFAULT_LANGUAGE,
) -> list[Recommendation]:
    """The recommendations whose condition holds, best first (``rank`` 1, 2, ...).

    ``answers`` are read with ``q``, the questionnaire they were given to; ``scores``
    are computed when not passed.
    """
    ctx = make_context(q, answers, scores, language)
    objectives = q.question(OBJECTIVES_QUESTION)
    found = []
    for rule in rules.rules:
        ok, facts = evaluate(rule.condition, ctx)
        if not ok:
            continue
        parts = priority_parts(rule, ctx)
        found.append((round(sum(parts.values()), 2), rule, facts, parts))
    found.sort(key=lambda item: (-item[0], item[1].code))
    result = []
    for rank, (total, rule, facts, parts) in enumerate(found, start=1):
        result.append(
            Recommendation(
                code=rule.code,
                domain=rule.domain,
                title=text(rule.title, language),
                why=text(rule.why, language),
                effect=text(rule.effect, language),
                effort=rule.effort,
                cost=rule.cost,
                pitfalls=rule.pitfalls,
                pitfall_labels=tuple(rules.pitfall_label(p, language) for p in rule.pitfalls),
                feature=rule.feature,
                help=rule.help,
                help_label=rules.help_label(rule.help, language),
                objectives=rule.objectives,
                objective_labels=tuple(
                    objectives.choice_label(o, language) if objectives else o
                    for o in rule.objectives
                ),
                triggered_by=tuple(facts),
                priority_score=total,
                rank=rank,
                rules_version=rules.version,
                priority_parts=parts,
            )
        )
    return result
