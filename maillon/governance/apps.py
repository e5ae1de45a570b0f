from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "maillon.governance"
    label = "governance"
    verbose_name = _("General assemblies and votes")

    def ready(self):
        from maillon.core import your_turn

        from . import your_turn as governance_your_turn
        from .metrics import register_metrics

        register_metrics()
        your_turn.register(governance_your_turn.SOURCE)
        _forget_kept_polls_on_change()


def _forget_kept_polls_on_change() -> None:
    """What a process keeps of a poll for votes (``polls.selectors.poll_for_cast_get``,
    the options) is dropped as soon as the poll or an option is saved or deleted."""
    from django.db.models.signals import post_delete, post_save

    from .models import Poll, PollOption
    from .polls.selectors import forget_poll

    def poll_changed(sender, instance, **kwargs):
        forget_poll(association_id=instance.association_id, poll_id=instance.pk)

    def option_changed(sender, instance, **kwargs):
        forget_poll(association_id=instance.association_id, poll_id=instance.poll_id)

    for name, signal in (("save", post_save), ("delete", post_delete)):
        signal.connect(poll_changed, sender=Poll, weak=False, dispatch_uid=f"forget-poll-{name}")
        signal.connect(
            option_changed, sender=PollOption, weak=False, dispatch_uid=f"forget-option-{name}"
        )
