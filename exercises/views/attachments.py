"""An inject's attachments: the authoring page that lists, uploads and removes them, and the staff
download. Uploads follow the platform's rules (``exercises.services.attachments``); files are never
served from the media folder."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from accounts.requests import acting_user
from core.exceptions import ApplicationError
from core.forms import add_service_errors
from core.views import ObjectPermissionMixin
from exercises import selectors
from exercises.forms.attachments import InjectAttachmentForm
from exercises.models import Exercise, Inject, InjectAttachment
from exercises.services.attachments import inject_attachment_add, inject_attachment_delete
from exercises.views.handouts import protected_file_response


class InjectAttachmentsView(ObjectPermissionMixin, TemplateView):
    """``/exercises/<slug>/injects/<number>/attachments/``: for those who may change the exercise."""

    template_name = "exercises/inject_attachments.html"
    extra_context = {"section": "exercises"}
    permission_required = "exercises.change_exercise"
    lookup_field = lookup_url_kwarg = "slug"
    object: Exercise

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return selectors.exercise_guide_queryset(user=self.request.user)

    def _inject(self) -> Inject:
        return get_object_or_404(Inject.objects.filter(exercise=self.object), number=self.kwargs["number"])

    def _render(self, inject: Inject, form: InjectAttachmentForm) -> HttpResponse:
        attachments = list(inject.attachments.all())
        context = self.get_context_data(exercise=self.object, inject=inject, attachments=attachments, form=form)
        context["max_kb"] = settings.CONCORD_MAX_UPLOAD_BYTES // 1024
        return self.render_to_response(context)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return self._render(self._inject(), InjectAttachmentForm())

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        inject = self._inject()
        if "delete" in request.POST:
            attachment = inject.attachments.filter(pk=request.POST.get("delete") or 0).first()
            if attachment is None:
                raise Http404
            inject_attachment_delete(attachment=attachment, by=acting_user(request))
            messages.success(request, _("“%(name)s” was removed.") % {"name": attachment})
            return HttpResponseRedirect(request.path)
        form = InjectAttachmentForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(inject, form)
        upload = form.cleaned_data["file"]
        try:
            attachment = inject_attachment_add(
                inject=inject,
                name=upload.name,
                content=upload.read(settings.CONCORD_MAX_UPLOAD_BYTES + 1),
                size=upload.size,
                title=form.cleaned_data["title"],
                by=acting_user(request),
            )
        except ApplicationError as error:
            add_service_errors(form, error)
            return self._render(inject, form)
        messages.success(request, _("“%(name)s” is attached to the inject.") % {"name": attachment})
        return HttpResponseRedirect(request.path)


class AttachmentDownloadView(ObjectPermissionMixin, View):
    """``/exercises/<slug>/attachments/<pk>/``: for those who may open the exercise's guide, as handouts."""

    permission_required = "exercises.view_exercise"
    lookup_field = lookup_url_kwarg = "slug"
    object: Exercise

    def get_permission_queryset(self) -> QuerySet[Exercise]:
        return Exercise.objects.visible_to(self.request.user)

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> FileResponse:
        attachment = InjectAttachment.objects.filter(inject__exercise=self.object, pk=kwargs["pk"]).first()
        if attachment is None:
            raise Http404
        return protected_file_response(attachment.file, filename=Path(attachment.file.name).name)
