"""The project's URLs plus a bare view: the baseline every page is measured against."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as project_urlpatterns


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


urlpatterns = [path("__bare__/", bare, name="bench_bare"), *project_urlpatterns]
