"""Assembly pages, under /a/<association_slug>/governance/ (namespace "governance")."""

from django.urls import path

from . import views

A = "assemblies/<int:assembly_id>/"

urlpatterns = [
    path("", views.assemblies, name="assemblies"),
    path("assemblies/new/", views.assembly_create, name="assembly_create"),
    path(A, views.assembly, name="assembly"),
    path(A + "edit/", views.assembly_edit, name="assembly_edit"),
    path(A + "convene/", views.assembly_convene, name="assembly_convene"),
    path(A + "remind/", views.assembly_remind, name="assembly_remind"),
    path(A + "open/", views.assembly_open, name="assembly_open"),
    path(A + "close/", views.assembly_close, name="assembly_close"),
    path(A + "approve-minutes/", views.assembly_approve_minutes, name="assembly_approve_minutes"),
    path(A + "quorum/", views.assembly_quorum, name="assembly_quorum"),
    path(A + "roll/", views.assembly_roll, name="assembly_roll"),
    path(A + "letters.pdf", views.assembly_letters, name="assembly_letters"),
    path(A + "attendance.pdf", views.assembly_attendance_pdf, name="assembly_attendance_pdf"),
    path(A + "attendance/", views.attendance, name="attendance"),
    path(A + "check-in/", views.check_in, name="check_in"),
    path(A + "agenda/new/", views.agenda_item_create, name="agenda_item_create"),
    path(A + "agenda/<int:item_id>/edit/", views.agenda_item_edit, name="agenda_item_edit"),
    path(A + "agenda/<int:item_id>/delete/", views.agenda_item_delete, name="agenda_item_delete"),
    path(A + "agenda/<int:item_id>/move/", views.agenda_item_move, name="agenda_item_move"),
    path(A + "documents/new/", views.document_upload, name="document_upload"),
    path(A + "documents/<int:document_id>/", views.document_download, name="document_download"),
    path(A + "documents/<int:document_id>/delete/", views.document_delete, name="document_delete"),
    path(A + "proxy/", views.proxy_give, name="proxy_give"),
    path(A + "proxies/", views.proxies, name="proxies"),
    path(A + "proxies/paper/", views.proxy_record_paper, name="proxy_record_paper"),
    path(A + "proxy/revoke/", views.proxy_revoke, name="proxy_revoke"),
    path(
        A + "proxies/<int:proxy_id>/revoke/",
        views.proxy_revoke_for_member,
        name="proxy_revoke_for_member",
    ),
]

# The CNIL risk wizard of an assembly's online vote, under consultations/cnil/.
cnil_urlpatterns = [
    path("<int:assembly_id>/", views.cnil_wizard, name="cnil_wizard"),
]
