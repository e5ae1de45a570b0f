from django.urls import include, path

app_name = "governance"
urlpatterns = [
    path("", include("maillon.governance.assembly_urls")),
    path("polls/", include("maillon.governance.poll_urls")),
    path("consultations/", include("maillon.governance.consultation_urls")),
]
