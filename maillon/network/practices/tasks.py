"""The email to the author association about a new question on one of its sheets."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.urls import reverse
from django.utils.translation import gettext as _

from maillon.associations.tasks import association_task


@association_task()
def notify_question(association, *, question_id: int) -> int:
    """Runs in the author association's scope; the question belongs to the asker."""
    from .selectors import question_for_author_across_associations

    question = question_for_author_across_associations(
        association=association, question_id=question_id
    )
    if question is None or not association.contact_email:
        return 0
    link = settings.SITE_URL + reverse(
        "practices_backoffice:questions",
        kwargs={"association_slug": association.slug, "sheet_id": question.sheet_id},
    )
    body = _(
        "%(asker)s asks a question about your practice sheet “%(title)s”:\n\n%(question)s\n\n"
        "Publish it with your answer, or leave it unpublished: %(link)s"
    ) % {
        "asker": question.association.name,
        "title": question.sheet.title,
        "question": question.body,
        "link": link,
    }
    subject = _("A question about your practice sheet")
    return send_mail(subject, body, None, [association.contact_email])
