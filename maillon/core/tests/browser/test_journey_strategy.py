"""The digital strategy journey, in a real browser: an administrator takes the self-diagnostic,
reads the results and their recommendations, adopts two of them, measures one, sees the
evaluation chart and downloads the strategy document.

Selectors rely on what does not change with the language (input names, link targets, form
actions, element ids): the interface is French by default and its translations are still moving.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django_scopes import scopes_disabled
from playwright.sync_api import Page, expect

from maillon.associations.tests.factories import AssociationFactory
from maillon.members.models import Role
from maillon.members.tests.factories import member_with_account
from maillon.strategy.engine.questionnaire import DOMAIN_CODES
from maillon.strategy.models import (
    Action,
    Diagnostic,
    DiagnosticStatus,
    Indicator,
    IndicatorSource,
    Measurement,
)

pytestmark = [
    pytest.mark.browser,
    # live_server needs real transactions; serialized_rollback restores the reference data
    # (departments, sectors) loaded by a migration, which the flush of such tests removes.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

ADMIN_EMAIL = "helene.garnier@example.org"
ADMIN_PASSWORD = "Traboule-Gros-Caillou-1998!"
SLUG = "amis-croix-rousse"
INDICATOR_NAME = "Demandes d'accès aux données traitées en moins d'un mois"


def submit(form) -> None:
    form.locator("[type=submit]").click()


def log_in(page: Page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    login = page.locator("main form[method=post]").filter(has=page.locator("[name=password]"))
    login.locator("[name=login]").fill(email)
    login.locator("[name=password]").fill(password)
    submit(login)
    logout = page.get_by_role("banner").locator('form[action="/accounts/logout/"]')
    expect(logout.get_by_role("button")).to_be_visible()


def answer_section(form) -> None:
    """The first choice of every question; objectives ranked in the order shown."""
    questions = form.locator("fieldset")
    for index in range(questions.count()):
        question = questions.nth(index)
        ranks = question.locator("select")
        if ranks.count():
            for rank in range(ranks.count()):
                ranks.nth(rank).select_option(str(rank + 1))
        else:
            question.locator("input[type=radio], input[type=checkbox]").first.check()
    for text in form.locator("textarea").all():
        text.fill("Réponse de la démonstration.")


def test_admin_takes_diagnostic_adopts_measures_and_downloads_document(
    browser_page: Page, page_errors
):
    page = browser_page
    base = f"/a/{SLUG}/strategy/"
    association = AssociationFactory(name="Les Amis de la Croix-Rousse", slug=SLUG)
    assert "strategy" in association.enabled_modules
    member_with_account(
        association,
        [Role.ADMIN, Role.MEMBER],
        email=ADMIN_EMAIL,
        password=ADMIN_PASSWORD,
        full_name="Hélène Garnier",
    )
    log_in(page, ADMIN_EMAIL, ADMIN_PASSWORD)

    # 1. Start the diagnostic from the module's home page.
    page.goto(base)
    submit(page.locator(f'main form[action="{base}start/"]'))
    expect(page).to_have_url(re.compile(rf"{base}\d+/[\w-]+/$"))
    diagnostic_id = int(re.search(rf"{base}(\d+)/", page.url).group(1))
    diagnostic_url = f"{base}{diagnostic_id}/"

    # 2. Walk every section in order, answering every question, up to the summary.
    steps = page.locator("main nav.diagnostic-steps a")
    section_urls = steps.evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert section_urls[-1] == diagnostic_url  # the last step is the summary
    section_urls = section_urls[:-1]
    assert len(section_urls) >= len(DOMAIN_CODES)
    for current, following in zip(section_urls, [*section_urls[1:], diagnostic_url], strict=True):
        expect(page).to_have_url(re.compile(rf"{re.escape(current)}$"))
        form = page.locator("main form[method=post]")
        answer_section(form)
        form.locator("button[name=action][value=next]").click()
        expect(page).to_have_url(re.compile(rf"{re.escape(following)}$"))

    # 3. Every required answer is there: complete, and land on the results.
    submit(page.locator(f'main form[action="{diagnostic_url}complete/"]'))
    results_url = f"{diagnostic_url}results/"
    expect(page).to_have_url(re.compile(rf"{re.escape(results_url)}$"))
    with scopes_disabled():
        diagnostic = Diagnostic.objects.get(pk=diagnostic_id)
    assert diagnostic.association_id == association.pk
    assert diagnostic.status == DiagnosticStatus.COMPLETED
    assert set(diagnostic.scores["domains"]) == set(DOMAIN_CODES)

    # 4. The radar chart and its table alternative, one row per domain.
    radar = page.locator(f'main svg[role=img][aria-labelledby^="radar-{diagnostic_id}-title"]')
    expect(radar).to_be_visible()
    expect(radar.locator("title")).not_to_be_empty()
    scores_table = page.locator('main section[aria-labelledby="domains-title"] table')
    expect(scores_table).to_be_visible()
    expect(scores_table.locator("tbody tr")).to_have_count(len(DOMAIN_CODES))
    shown = scores_table.locator("tbody tr td:nth-child(2)").all_inner_texts()
    frozen = [str(d["score"]) for d in diagnostic.scores["domains"].values()]
    assert sorted(shown) == sorted(frozen), (shown, frozen)

    # 5. Recommendations, each with the answers that triggered it.
    adopt_url = f"{base}plan/adopt/"
    recommendations = page.locator("main article.recommendation")
    expect(recommendations.first).to_be_visible()
    assert recommendations.count() >= 2
    triggers = recommendations.evaluate_all(
        "articles => articles.map(a => a.querySelectorAll('details li').length)"
    )
    assert all(triggers), triggers  # every recommendation says what triggered it
    for index in range(2):
        recommendation = recommendations.nth(index)
        explanation = recommendation.locator("details")
        explanation.locator("summary").click()
        expect(explanation).to_have_attribute("open", "")
        expect(explanation.locator("li").first).to_be_visible()
        expect(explanation.locator("li").first).not_to_be_empty()
    codes = [
        recommendations.nth(i).locator("input[name=recommendation_code]").input_value()
        for i in range(2)
    ]

    # 6. Adopt the first two: each lands on the form measuring the new action.
    indicator_form_url = re.compile(rf"{base}plan/(\d+)/indicators/new/$")
    action_ids = []
    for code in codes:
        page.goto(results_url)
        recommendation = page.locator(f'main article.recommendation[aria-labelledby="rec-{code}"]')
        title = re.sub(r"^\d+\.\s*", "", recommendation.locator("h3").inner_text())
        submit(recommendation.locator(f'form[action="{adopt_url}"]'))
        expect(page).to_have_url(indicator_form_url)
        expect(page.get_by_role("status")).to_contain_text(title)
        expect(page.get_by_role("heading", level=1)).to_contain_text(title)
        action_ids.append(int(indicator_form_url.search(page.url).group(1)))
    with scopes_disabled():
        actions = Action.objects.filter(association=association).order_by("id")
        assert [(a.pk, a.recommendation_code, a.diagnostic_id) for a in actions] == [
            (action_ids[0], codes[0], diagnostic_id),
            (action_ids[1], codes[1], diagnostic_id),
        ]

    # 7. Measure the second action by hand (the form it landed on): a baseline, a target, then
    #    a first value.
    indicator_form = page.locator("main form[method=post]")
    indicator_form.locator("[name=name]").fill(INDICATOR_NAME)
    indicator_form.locator("[name=unit]").fill("%")
    indicator_form.locator("[name=source][value=manual]").check()
    indicator_form.locator("[name=baseline]").fill("20")
    indicator_form.locator("[name=target]").fill("90")
    submit(indicator_form)
    detail_url = re.compile(rf"{base}plan/indicators/(\d+)/$")
    expect(page).to_have_url(detail_url)
    indicator_id = int(detail_url.search(page.url).group(1))
    indicator_url = f"{base}plan/indicators/{indicator_id}/"
    expect(page.get_by_role("heading", level=1)).to_have_text(INDICATOR_NAME)

    measured_on = datetime.date.today() - datetime.timedelta(days=3)
    page.locator(f'main a[href="{indicator_url}measurements/new/"]').click()
    measurement_form = page.locator("main form[method=post]")
    measurement_form.locator("[name=date]").fill(measured_on.isoformat())
    measurement_form.locator("[name=value]").fill("62.5")
    submit(measurement_form)
    expect(page).to_have_url(re.compile(rf"{re.escape(indicator_url)}$"))
    with scopes_disabled():
        indicator = Indicator.objects.get(pk=indicator_id)
        assert indicator.action_id == action_ids[1]
        assert indicator.source == IndicatorSource.MANUAL
        assert (indicator.baseline, indicator.target) == (Decimal("20"), Decimal("90"))
        measurements = Measurement.objects.filter(indicator=indicator)
        assert [(m.date, m.value, m.is_automatic) for m in measurements] == [
            (measured_on, Decimal("62.5"), False)
        ]

    # 8. Both recommendations now show as adopted; the plan lists the indicator.
    page.goto(results_url)
    for code in codes:
        adopted = page.locator(f'main article.recommendation[aria-labelledby="rec-{code}"]')
        expect(adopted.locator(f'form[action="{adopt_url}"]')).to_have_count(0)
        expect(adopted.locator(f'a[href="{base}plan/"]')).to_be_visible()
    page.locator(f'main .page-header a[href="{base}plan/"]').click()
    expect(page).to_have_url(re.compile(rf"{base}plan/$"))
    expect(page.locator(f'main a[href="{indicator_url}"]')).to_have_text(INDICATOR_NAME)
    for action_id in action_ids:
        expect(page.locator(f'main a[href="{base}plan/{action_id}/edit/"]')).to_be_visible()

    # 9. The evaluation shows the value on the indicator's chart and in its table.
    page.locator(f'main .page-header a[href="{base}evaluation/"]').click()
    expect(page).to_have_url(re.compile(rf"{base}evaluation/$"))
    card = page.locator(f'main section[aria-labelledby="indicator-{indicator_id}"]')
    expect(card.locator(f'a[href="{indicator_url}"]')).to_have_text(INDICATOR_NAME)
    chart = card.locator(f'svg[role=img][aria-labelledby^="chart-{indicator_id}-title"]')
    expect(chart).to_be_visible()
    expect(chart.locator("polyline")).to_have_count(1)
    expect(chart.locator("circle")).to_have_count(1)
    shown_on = measured_on.strftime("%d/%m/%Y")  # French short date
    # "<date> : <value>" (the separator is the translation's)
    expect(chart.locator("circle > title")).to_have_text(re.compile(rf"^{shown_on}\W+62,50$"))
    values = card.locator("table tbody tr")
    expect(values).to_have_count(1)
    expect(values.get_by_role("rowheader")).to_have_text(shown_on)
    expect(values.get_by_role("cell").first).to_have_text(re.compile(r"^62,50\s*%$"))

    # 10. The strategy document downloads as a PDF.
    document_link = page.locator(f'main a[href="{base}document.pdf"]')
    with page.expect_download() as download_info:
        document_link.click()
    download = download_info.value
    assert re.fullmatch(
        rf"{SLUG}-strategy-\d{{4}}-\d{{2}}-\d{{2}}\.pdf", download.suggested_filename
    )
    with open(download.path(), "rb") as document:
        content = document.read()
    assert content.startswith(b"%PDF-"), content[:20]
    assert content.rstrip().endswith(b"%%EOF")

    assert page_errors == []
