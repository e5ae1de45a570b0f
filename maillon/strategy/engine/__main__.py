"""Check the strategy content and show what it holds: ``python -m maillon.strategy.engine``.

For reviewers of the YAML files: loads every questionnaire and rules version (which
checks their format and references), then prints, per rule, answers that trigger it
(found by :mod:`.examples`). Exits non-zero when a rule can never hold.
"""

from __future__ import annotations

import sys

from .examples import satisfying_answers
from .questionnaire import available_versions, estimated_minutes, load_questionnaire
from .rules import available_rule_versions, load_rules


def main() -> int:
    failed = False
    for version in available_versions():
        q = load_questionnaire(version)
        print(
            f"questionnaire v{version}: {len(q.questions)} questions, "
            f"{len(q.domains)} domains, about {estimated_minutes(q)} minutes"
        )
    for version in available_rule_versions():
        rules = load_rules(version)
        q = load_questionnaire(rules.questionnaire_version)
        print(f"rules v{version} (questionnaire v{q.version}): {len(rules.rules)} rules")
        for rule in rules.rules:
            answers = satisfying_answers(rule.condition, q)
            if answers is None:
                failed = True
                print(f"  {rule.code}: NEVER HOLDS")
            else:
                shown = ", ".join(f"{k}={v}" for k, v in answers.items())
                print(f"  {rule.code}: {shown}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
