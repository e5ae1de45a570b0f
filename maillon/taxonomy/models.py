"""Shared reference lists (not tenant-owned): every association reads the same ones."""

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class BilingualLabel(models.Model):
    code = models.SlugField(_("code"), max_length=50, unique=True)
    label_fr = models.CharField(_("label (French)"), max_length=150)
    label_en = models.CharField(_("label (English)"), max_length=150)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "code"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr


class Sector(BilingualLabel):
    """Field of activity of an association (a simplified nomenclature close to the
    one used by the national association studies)."""

    class Meta(BilingualLabel.Meta):
        verbose_name = _("sector")
        verbose_name_plural = _("sectors")


class Skill(BilingualLabel):
    """A skill a mission asks for or a volunteer offers."""

    class Meta(BilingualLabel.Meta):
        verbose_name = _("skill")
        verbose_name_plural = _("skills")


class Cause(BilingualLabel):
    """The cause a mission serves or a volunteer cares about."""

    class Meta(BilingualLabel.Meta):
        verbose_name = _("cause")
        verbose_name_plural = _("causes")


class Region(models.Model):
    code = models.CharField(_("INSEE code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self) -> str:
        return self.name


class Department(models.Model):
    code = models.CharField(_("code"), max_length=3, unique=True)
    name = models.CharField(_("name"), max_length=100)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="departments")

    class Meta:
        ordering = ["code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")

    def __str__(self) -> str:
        return f"{self.code} – {self.name}"
