from django.http import HttpResponse


def upload(request, association_slug):  # replaced by the import module
    return HttpResponse("")
