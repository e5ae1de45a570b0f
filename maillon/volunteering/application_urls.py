# Included (no namespace of its own) by the volunteering URL modules.
from django.urls import path  # noqa: F401

urlpatterns = []
