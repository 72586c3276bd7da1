"""Certificate pages: a cohort's certificates (eligibility, overrides, issuing, ZIP), its policy, one
certificate (history, revoke, reissue, render again), the download, and public verification."""

from typing import Any

from django import forms
from django.contrib import messages
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.requests import acting_user
from audit.services import audit_read
from certificates import codes, selectors, services
from certificates.forms import OverrideForm, PolicyForm, ReissueForm, RevokeForm, VerifyForm
from certificates.models import Certificate, EligibilityOverride
from certificates.throttling import verification_allowed
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from jobs.models import Job
from participants.models import Participant
from trainings.models import Cohort


def job_url(job: Job) -> str:
    return reverse("jobs:job_detail", args=[job.pk])


def _form_error(form: forms.BaseForm, error: ApplicationError) -> None:
    for key, errors in error.field_errors.items():
        for message in errors:
            form.add_error(key if key in form.fields else None, message)
    if error.message:
        form.add_error(None, error.message)


def _cohort_url(cohort: Cohort) -> str:
    return reverse("certificates:cohort_certificates", kwargs={"slug": cohort.slug})


class _CohortView(ObjectPermissionMixin, View):
    lookup_field = "slug"
    lookup_url_kwarg = "slug"
    permission_required = "certificates.manage_certificates"
    object: Cohort

    def get_permission_queryset(self) -> QuerySet[Cohort]:
        return Cohort.objects.visible_to(self.request.user).select_related("course")


class CohortCertificatesView(_CohortView):
    """Who is eligible and why not, overrides, certificates and their jobs. Facilitators read only."""

    permission_required = "certificates.view_cohort_certificates"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        cohort = self.object
        policy = selectors.certificate_policy_for(cohort=cohort)
        rows = selectors.cohort_eligibility(cohort=cohort, policy=policy)
        jobs = [(job, job_url(job)) for job in selectors.cohort_certificate_jobs(cohort=cohort)]
        context = {
            "cohort": cohort,
            "policy": policy,
            "rows": rows,
            "eligible_count": sum(1 for row in rows if row.eligible),
            "can_manage": request.user.has_perm("certificates.manage_certificates", cohort),
            "jobs": jobs,
        }
        return render(request, "certificates/cohort_certificates.html", context)


class CohortIssueView(_CohortView):
    """POST: issue for every eligible person, or (``participant``) for one."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        cohort = self.object
        participants = None
        if request.POST.get("participant"):
            participant_id = _int(request.POST["participant"])
            participant = Participant.objects.filter(pk=participant_id).first() if participant_id else None
            if participant is None:
                raise Http404
            participants = [participant]
        try:
            _job, created = services.certificate_issue(
                cohort=cohort, participants=participants, by=acting_user(request)
            )
        except ApplicationError as error:
            messages.error(request, error.message or "; ".join(m for ms in error.field_errors.values() for m in ms))
        else:
            messages.success(
                request, _("Issuing has started.") if created else _("The same issuing job is already running.")
            )
        return HttpResponseRedirect(_cohort_url(cohort))


class CohortZipView(_CohortView):
    """POST: build the cohort's ready certificates into one ZIP (a job)."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        _job, created = services.certificate_zip_request(cohort=self.object, by=acting_user(request))
        messages.success(request, _("The ZIP is being built.") if created else _("The ZIP is already being built."))
        return HttpResponseRedirect(_cohort_url(self.object))


class PolicyEditView(_CohortView):
    def _form(self, data: Any = None) -> PolicyForm:
        policy = selectors.certificate_policy_for(cohort=self.object)
        return PolicyForm(data, instance=policy, cohort=self.object)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                services.certificate_policy_update(
                    cohort=self.object, by=acting_user(request), data=dict(form.cleaned_data)
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The certificate rules are saved."))
                return HttpResponseRedirect(_cohort_url(self.object))
        return self._page(form, status=400)

    def _page(self, form: PolicyForm, status: int = 200) -> HttpResponse:
        return render(
            self.request, "certificates/policy_form.html", {"cohort": self.object, "form": form}, status=status
        )


class OverrideView(_CohortView):
    """Set a rule aside for one person, with a reason."""

    def _participant(self) -> Participant:
        rows = selectors.cohort_eligibility(cohort=self.object, participant_ids=[self.kwargs["participant_pk"]])
        if not rows:
            raise Http404
        return rows[0].participant

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._page(OverrideForm())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = OverrideForm(request.POST)
        if form.is_valid():
            try:
                services.eligibility_override_grant(
                    cohort=self.object,
                    participant=self._participant(),
                    rule=form.cleaned_data["rule"],
                    reason=form.cleaned_data["reason"],
                    by=acting_user(request),
                )
            except ApplicationError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("The override is recorded."))
                return HttpResponseRedirect(_cohort_url(self.object))
        return self._page(form, status=400)

    def _page(self, form: OverrideForm, status: int = 200) -> HttpResponse:
        participant = self._participant()
        overrides = EligibilityOverride.objects.filter(cohort=self.object, participant=participant)
        context = {"cohort": self.object, "participant": participant, "form": form, "overrides": overrides}
        return render(self.request, "certificates/override_form.html", context, status=status)


class OverrideDeleteView(ObjectPermissionMixin, View):
    permission_required = "certificates.delete_eligibilityoverride"
    http_method_names = ["post"]
    object: EligibilityOverride

    def get_permission_queryset(self) -> QuerySet[EligibilityOverride]:
        return EligibilityOverride.objects.visible_to(self.request.user).select_related("cohort")

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        cohort = self.object.cohort
        services.eligibility_override_remove(override=self.object, by=acting_user(request))
        messages.success(request, _("The override is removed."))
        return HttpResponseRedirect(_cohort_url(cohort))


class _CertificateView(ObjectPermissionMixin, View):
    permission_required = "certificates.change_certificate"
    object: Certificate

    def get_permission_queryset(self) -> QuerySet[Certificate]:
        return selectors.certificate_queryset(user=self.request.user)


class CertificateDetailView(_CertificateView):
    """One certificate with its history, for the cohort's staff; actions for those who manage it."""

    permission_required = "certificates.view_cohort_certificates"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        certificate = self.object
        context = {
            "certificate": certificate,
            "cohort": certificate.cohort,
            "events": certificate.events.select_related("by"),
            "can_manage": request.user.has_perm("certificates.change_certificate", certificate),
            "can_download": certificate.is_downloadable
            and request.user.has_perm("certificates.download_certificate", certificate),
        }
        audit_read(action="certificate.view", target=certificate, subject_id=certificate.participant.user_id)
        return render(request, "certificates/certificate_detail.html", context)


class CertificateDownloadView(_CertificateView):
    permission_required = "certificates.download_certificate"

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponseBase:
        certificate = self.object
        if not certificate.is_downloadable:
            raise Http404
        audit_read(action="certificate.download", target=certificate, subject_id=certificate.participant.user_id)
        return FileResponse(
            certificate.pdf.open("rb"),
            as_attachment=True,
            filename=f"certificate-{certificate.code}.pdf",
            content_type="application/pdf",
        )


class _CertificateFormView(_CertificateView):
    """A form about one certificate (revoke, reissue): the page's title and button are the subclass's."""

    form_class: type[forms.Form]
    title: Any
    submit_label: Any

    def _form(self, data: Any = None) -> forms.Form:
        return self.form_class(data)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self._page(self._form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self._form(request.POST)
        if form.is_valid():
            try:
                self.act(form.cleaned_data)
            except ApplicationError as error:
                _form_error(form, error)
            else:
                return HttpResponseRedirect(self.object.get_absolute_url())
        return self._page(form, status=400)

    def act(self, data: dict[str, Any]) -> None:
        raise NotImplementedError

    def _page(self, form: forms.Form, status: int = 200) -> HttpResponse:
        context = {
            "certificate": self.object,
            "cohort": self.object.cohort,
            "form": form,
            "title": self.title,
            "submit_label": self.submit_label,
        }
        return render(self.request, "certificates/certificate_action.html", context, status=status)


class CertificateRevokeView(_CertificateFormView):
    form_class = RevokeForm
    title = gettext_lazy("Revoke the certificate")
    submit_label = gettext_lazy("Revoke")

    def act(self, data: dict[str, Any]) -> None:
        services.certificate_revoke(certificate=self.object, by=acting_user(self.request), reason=data["reason"])
        messages.success(self.request, _("The certificate is revoked."))


class CertificateReissueView(_CertificateFormView):
    form_class = ReissueForm
    title = gettext_lazy("Correct the name and reissue")
    submit_label = gettext_lazy("Reissue with the same code")

    def _form(self, data: Any = None) -> forms.Form:
        return ReissueForm(data, certificate=self.object)

    def act(self, data: dict[str, Any]) -> None:
        services.certificate_reissue(
            certificate=self.object, by=acting_user(self.request), holder_name=data["holder_name"], note=data["note"]
        )
        messages.success(self.request, _("The certificate is being reissued with the same code."))


class CertificateRenderView(_CertificateView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        try:
            services.certificate_render_again(certificate=self.object, by=acting_user(request))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The certificate is being rendered again."))
        return HttpResponseRedirect(self.object.get_absolute_url())


# --- public verification -------------------------------------------------------------------------------


def _public(response: HttpResponse) -> HttpResponse:
    """Verification pages: never indexed, never telling the next site where the visitor came from."""
    response["Referrer-Policy"] = "no-referrer"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _throttled(request: HttpRequest) -> HttpResponse | None:
    allowed, wait = verification_allowed(request)
    if allowed:
        return None
    response = render(request, "certificates/verify_throttled.html", status=429)
    if wait:
        response["Retry-After"] = str(wait)
    return _public(response)


@never_cache
@require_GET
def verify_form(request: HttpRequest) -> HttpResponse:
    """Type a code (for people without a QR scanner); sends on to the certificate's verify page."""
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        code = codes.normalise_code(form.cleaned_data["code"])
        if code is None:
            form.add_error("code", _("This is not a verification code: it has 16 letters and digits."))
        else:
            return HttpResponseRedirect(reverse("certificates:verify", kwargs={"code": code}))
    return _public(render(request, "certificates/verify_form.html", {"form": form}, status=400 if form.errors else 200))


@never_cache
@require_GET
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """Valid or revoked, the course, the cohort's dates and the holder's name: nothing else. Public."""
    refused = _throttled(request)
    if refused is not None:
        return refused
    certificate = selectors.certificate_for_verification(code=codes.normalise_code(code))
    context = {"certificate": certificate, "code": code[:64]}
    return _public(render(request, "certificates/verify.html", context, status=200 if certificate else 404))


def _int(value: str) -> int | None:
    return int(value) if value.isascii() and value.isdigit() else None
