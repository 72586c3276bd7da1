"""A team's room and the run's cell room: injects as they are released, messages between the sides of a
run, and the cheap poll that keeps both pages live (htmx, every second; without script a reload works).

The poll (``…/live/?v=<token>``) answers 204 with nothing when the run's ``live_version`` (and the
minute, for the clock) is what the page holds: one query besides the session and the user. Otherwise
it answers the room's live part, which carries the new token.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from accounts.languages import reader_language
from accounts.requests import acting_user
from conduct import services
from conduct.models import InjectDelivery, Message
from conduct.selectors import rooms
from core.exceptions import ApplicationError
from core.views import ObjectPermissionMixin
from exercises.models import CellRole, ExerciseRun, RunTeam

# --- forms -------------------------------------------------------------------------------------------


class MessageForm(forms.Form):
    """A message to other teams and cell roles of the run; the service checks every choice again."""

    sender_cell_role = forms.ModelChoiceField(
        queryset=CellRole.objects.none(),
        required=False,
        label=gettext_lazy("Send as"),
        empty_label=gettext_lazy("Exercise control"),
    )
    recipient_teams = forms.ModelMultipleChoiceField(
        queryset=RunTeam.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("To teams"),
    )
    recipient_cell_roles = forms.ModelMultipleChoiceField(
        queryset=CellRole.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("To cell roles"),
    )
    subject = forms.CharField(required=False, max_length=200, label=gettext_lazy("Subject"))
    body = forms.CharField(
        max_length=services.MESSAGE_MAX_LENGTH,
        label=gettext_lazy("Message"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self,
        *args: Any,
        run: ExerciseRun,
        team: RunTeam | None = None,
        sender_roles: list[CellRole] | None = None,
        control: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        teams = RunTeam.objects.filter(run=run).select_related("team_role").order_by("team_role__number")
        fields["recipient_teams"].queryset = teams.exclude(pk=team.pk) if team is not None else teams
        fields["recipient_cell_roles"].queryset = CellRole.objects.filter(exercise_id=run.exercise_id).order_by("name")
        if sender_roles is None:
            del fields["sender_cell_role"]  # a team sends as itself
        else:
            fields["sender_cell_role"].queryset = CellRole.objects.filter(pk__in=[r.pk for r in sender_roles])
            fields["sender_cell_role"].required = not control
            if not control:
                fields["sender_cell_role"].empty_label = None


def _send(request: HttpRequest, form: MessageForm, **kwargs: Any) -> bool:
    """Validate ``form`` and send; the errors land on the form and nothing is saved."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    sender_cell_role = data.get("sender_cell_role")
    try:
        services.message_send(
            by=acting_user(request),
            body=data["body"],
            subject=data["subject"],
            recipient_teams=data["recipient_teams"],
            recipient_cell_roles=data["recipient_cell_roles"],
            **({"sender_cell_role": sender_cell_role} if sender_cell_role else {}),
            **kwargs,
        )
    except ApplicationError as error:
        form.add_error(None, error)
        return False
    messages.success(request, _("Message sent."))
    return True


def _no_store(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- a team's room -----------------------------------------------------------------------------------


class _TeamMixin(ObjectPermissionMixin):
    """The team among those whose run the user sees (404), if ``conduct.view_team_room`` allows it (403)."""

    permission_required = "conduct.view_team_room"
    lookup_url_kwarg = "team_pk"
    object: RunTeam

    def get_permission_queryset(self) -> QuerySet[RunTeam]:
        return rooms.team_room_queryset(user=self.request.user).filter(run_id=self.kwargs["pk"])

    def room_url(self) -> str:
        return reverse("conduct:team_room", kwargs={"pk": self.object.run_id, "team_pk": self.object.pk})

    def message_form(self, *args: Any, **kwargs: Any) -> MessageForm:
        return MessageForm(*args, run=self.object.run, team=self._sending_team(), **kwargs)

    def _sending_team(self) -> RunTeam | None:
        """The team when its member writes; None when the staff write here, as exercise control."""
        return self.object if self.request.user.has_perm("conduct.play_in_team", self.object) else None

    def send_as(self) -> dict[str, Any]:
        team = self._sending_team()
        return {"run": self.object.run, "sender_team": team} if team else {"run": self.object.run}


class TeamRoomView(_TeamMixin, View):
    """GET the room; POST ``action=acknowledge`` (``delivery``) or ``action=send`` (a message)."""

    def get(self, request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
        return self._page(self.message_form())

    def _page(self, form: MessageForm, status: int = 200) -> HttpResponse:
        team = self.object
        context = {
            "room": rooms.team_room(team=team, now=timezone.now(), language=reader_language(self.request)),
            "form": form,
            "plays": request_plays(self.request, team),
        }
        return _no_store(render(self.request, "conduct/team_room.html", context, status=status))

    def post(self, request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
        action = request.POST.get("action")
        if action == "acknowledge":
            self._acknowledge(request)
            return HttpResponseRedirect(self.room_url())
        if action == "send":
            form = self.message_form(request.POST)
            if _send(request, form, **self.send_as()):
                return HttpResponseRedirect(self.room_url())
            return self._page(form, status=400)
        messages.error(request, _("Unknown action."))
        return HttpResponseRedirect(self.room_url())

    def _acknowledge(self, request: HttpRequest) -> None:
        delivery = InjectDelivery.objects.filter(pk=_int(request.POST.get("delivery")), team=self.object).first()
        if delivery is None:
            raise Http404
        try:
            delivery, done = services.delivery_acknowledge(delivery=delivery, by=acting_user(request))
        except ApplicationError as error:
            for message in error.messages:
                messages.error(request, message)
            return
        if done:
            messages.success(request, _("Acknowledged."))
        else:
            messages.info(
                request,
                _("Already acknowledged by %(person)s at %(time)s.")
                % {
                    "person": delivery.acknowledged_by or "–",
                    "time": timezone.localtime(delivery.acknowledged_at).strftime("%H:%M"),
                },
            )


class TeamHandoutView(_TeamMixin, View):
    """The team's one-page handout to print: briefing, tasks, members and the exercise's materials.

    Whoever may enter the team's room may print it (the same rule, the same 404 and 403)."""

    def get(self, request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
        context = {"handout": rooms.team_handout(team=self.object), "room_url": self.room_url()}
        return _no_store(render(request, "conduct/team_handout.html", context))


def request_plays(request: HttpRequest, team: RunTeam) -> bool:
    return request.user.has_perm("conduct.play_in_team", team)


def _refused(request: HttpRequest, access: str) -> HttpResponse | None:
    if not request.user.is_authenticated:
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"  # the page reloads and sends the person to sign in
            return response
        return redirect_to_login(request.get_full_path())
    if access == rooms.MISSING:
        raise Http404
    if access == rooms.FORBIDDEN:
        raise PermissionDenied
    return None


class TeamRoomLiveView(View):
    """The room's poll: 204 while nothing changed, else the live part of the room (the same rule)."""

    def get(self, request: HttpRequest, pk: int, team_pk: int) -> HttpResponse:
        access, version = rooms.team_room_poll(run_id=pk, team_id=team_pk, user=request.user)
        refused = _refused(request, access)
        if refused is not None:
            return refused
        now = timezone.now()
        if request.GET.get("v") == rooms.live_token(version=version, now=now):
            return _no_store(HttpResponse(status=204))
        team = rooms.team_room_queryset(user=request.user).get(pk=team_pk, run_id=pk)
        context = {"room": rooms.team_room(team=team, now=now), "plays": request_plays(request, team)}
        return _no_store(render(request, "conduct/_team_room_live.html", context))


class TeamMessageView(_TeamMixin, View):
    """A message with its thread, as the team sees it; its members' opening it is the team's first read.
    POST answers it (to its sender unless other recipients are chosen)."""

    def _message(self) -> Message:
        message = (
            Message.objects.filter(run_id=self.object.run_id, pk=self.kwargs["message_pk"])
            .filter(pk__in=[m.pk for m in rooms.side_messages(run=self.object.run, team=self.object)])
            .first()
        )
        if message is None:
            raise Http404
        return message

    def get(self, request: HttpRequest, pk: int, team_pk: int, message_pk: int) -> HttpResponse:
        message = self._message()
        thread_messages = rooms.side_messages(run=self.object.run, team=self.object)
        thread = rooms.thread_of(message=message, messages=thread_messages)
        if thread is not None:
            for read in thread.messages:
                if any(r.team_id == self.object.pk and r.first_read_at is None for r in read.recipients.all()):
                    services.message_read(message=read, by=acting_user(request))
        return self._page(message, _reply_form(self, message, own=message.sender_team_id == self.object.pk))

    def post(self, request: HttpRequest, pk: int, team_pk: int, message_pk: int) -> HttpResponse:
        message = self._message()
        form = self.message_form(request.POST)
        if _send(request, form, reply_to=message, **self.send_as()):
            return HttpResponseRedirect(self.room_url())
        return self._page(message, form, status=400)

    def _page(self, message: Message, form: MessageForm, status: int = 200) -> HttpResponse:
        thread = rooms.thread_of(message=message, messages=rooms.side_messages(run=self.object.run, team=self.object))
        context = {
            "run": self.object.run,
            "team": self.object,
            "thread": thread,
            "message": message,
            "form": form,
            "back": self.room_url(),
            "action": self.request.path,
        }
        return _no_store(render(self.request, "conduct/room_message.html", context, status=status))


def _reply_form(view: Any, message: Message, *, own: bool = False) -> MessageForm:
    """The reply form, addressed to the message's sender; to its recipients when it is one's own message."""
    initial: dict[str, Any] = {"subject": _reply_subject(message)}
    if own:
        initial["recipient_teams"] = [r.team_id for r in message.recipients.all() if r.team_id]
        initial["recipient_cell_roles"] = [r.cell_role_id for r in message.recipients.all() if r.cell_role_id]
    else:
        initial["recipient_teams"] = [message.sender_team_id] if message.sender_team_id else []
        initial["recipient_cell_roles"] = [message.sender_cell_role_id] if message.sender_cell_role_id else []
    return view.message_form(initial=initial)


def _reply_subject(message: Message) -> str:
    subject = message.subject or ""
    prefix = _("Re:")
    return subject if not subject or subject.startswith(prefix) else f"{prefix} {subject}"[:200]


class TeamAttachmentView(_TeamMixin, View):
    """An inject's file, for a team that the inject has reached (404 before its release, or for other teams)."""

    def get(self, request: HttpRequest, pk: int, team_pk: int, attachment_pk: int) -> FileResponse:
        attachment = rooms.team_attachment(team=self.object, attachment_pk=attachment_pk)
        if attachment is None or not attachment.file:
            raise Http404
        try:
            stream = attachment.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(stream, as_attachment=True, filename=attachment.file.name.rsplit("/", 1)[-1])
        response["X-Content-Type-Options"] = "nosniff"
        patch_cache_control(response, private=True, no_store=True)
        return response


# --- the cell room -----------------------------------------------------------------------------------


class _CellMixin(ObjectPermissionMixin):
    """The run among those the user sees or whose cell they are in (404), if ``exercises.play_in_cell`` (403)."""

    permission_required = "exercises.play_in_cell"
    object: ExerciseRun

    def get_permission_queryset(self) -> QuerySet[ExerciseRun]:
        return rooms.cell_room_queryset(user=self.request.user)

    def room_url(self) -> str:
        return reverse("conduct:cell_room", kwargs={"pk": self.object.pk})

    def message_form(self, *args: Any, **kwargs: Any) -> MessageForm:
        run, user = self.object, self.request.user
        return MessageForm(
            *args,
            run=run,
            sender_roles=rooms.cell_roles_for(run=run, user=user),
            control=user.has_perm("conduct.run_clock", run),
            **kwargs,
        )

    def send_as(self) -> dict[str, Any]:
        return {"run": self.object}


class CellRoomView(_CellMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self._page(self.message_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = self.message_form(request.POST)
        if _send(request, form, **self.send_as()):
            return HttpResponseRedirect(self.room_url())
        return self._page(form, status=400)

    def _page(self, form: MessageForm, status: int = 200) -> HttpResponse:
        context = {"room": rooms.cell_room(run=self.object, user=self.request.user, now=timezone.now()), "form": form}
        return _no_store(render(self.request, "conduct/cell_room.html", context, status=status))


class CellRoomLiveView(View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        access, version = rooms.cell_room_poll(run_id=pk, user=request.user)
        refused = _refused(request, access)
        if refused is not None:
            return refused
        now = timezone.now()
        if request.GET.get("v") == rooms.live_token(version=version, now=now):
            return _no_store(HttpResponse(status=204))
        run = rooms.cell_room_queryset(user=request.user).get(pk=pk)
        context = {"room": rooms.cell_room(run=run, user=request.user, now=now)}
        return _no_store(render(request, "conduct/_cell_room_live.html", context))


class CellMessageView(_CellMixin, View):
    """A message to or from the roles this person plays (every role for the staff), with its thread.
    Opening it is the first read of the roles the person plays; POST answers in a chosen role."""

    def _messages(self) -> list[Message]:
        roles = [r.pk for r in rooms.cell_roles_for(run=self.object, user=self.request.user)]
        return rooms.side_messages(run=self.object, cell_roles=roles)

    def _message(self, visible: list[Message]) -> Message:
        message = next((m for m in visible if m.pk == self.kwargs["message_pk"]), None)
        if message is None:
            raise Http404
        return message

    def get(self, request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
        visible = self._messages()
        message = self._message(visible)
        thread = rooms.thread_of(message=message, messages=visible)
        for read in thread.messages if thread else [message]:
            services.message_read(message=read, by=acting_user(request))
        return self._page(message, _reply_form_cell(self, message))

    def post(self, request: HttpRequest, pk: int, message_pk: int) -> HttpResponse:
        message = self._message(self._messages())
        form = self.message_form(request.POST)
        if _send(request, form, reply_to=message, **self.send_as()):
            return HttpResponseRedirect(self.room_url())
        return self._page(message, form, status=400)

    def _page(self, message: Message, form: MessageForm, status: int = 200) -> HttpResponse:
        context = {
            "run": self.object,
            "thread": rooms.thread_of(message=message, messages=self._messages()),
            "message": message,
            "form": form,
            "back": self.room_url(),
            "action": self.request.path,
        }
        return _no_store(render(self.request, "conduct/room_message.html", context, status=status))


def _reply_form_cell(view: _CellMixin, message: Message) -> MessageForm:
    """Answer in the role the message went to, back to its sender (or, for one's own, to its recipients)."""
    played = {r.pk for r in rooms.cell_roles_for(run=view.object, user=view.request.user)}
    own = message.sender_cell_role_id in played
    form = _reply_form(view, message, own=own)
    addressed = [r.cell_role_id for r in message.recipients.all() if r.cell_role_id in played]
    if own:
        form.initial["sender_cell_role"] = message.sender_cell_role_id
        form.initial["recipient_cell_roles"] = [r for r in form.initial["recipient_cell_roles"] if r not in played]
    elif addressed:
        form.initial["sender_cell_role"] = addressed[0]
    return form


def _int(value: str | None) -> int:
    try:
        return int(value or "")
    except ValueError:
        return 0
