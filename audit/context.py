"""Who is acting, and from where, for the entries written during one request or job (a context variable).

A request is held as it is and read when an entry is written: DRF authenticates a token inside the view,
after the middleware ran, and sets the person on the same request then.
"""

import contextlib
import functools
import ipaddress
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class AuditContext:
    actor_id: int | None = None
    ip: str = ""
    user_agent: str = ""


_current: ContextVar[Any] = ContextVar("audit_context", default=None)


def audit_context() -> AuditContext:
    held = _current.get()
    if held is None:
        return AuditContext()
    if isinstance(held, AuditContext):
        return held
    return _from_request(held)


@contextlib.contextmanager
def acting_request(request: Any) -> Iterator[None]:
    token = _current.set(request)
    try:
        yield
    finally:
        _current.reset(token)


@contextlib.contextmanager
def acting(*, actor_id: int | None, ip: str = "", user_agent: str = "") -> Iterator[None]:
    """Entries written inside name this actor (a job's requester, a management command's operator)."""
    held = AuditContext(actor_id=actor_id, ip=minimise_ip(ip), user_agent=minimise_user_agent(user_agent))
    token = _current.set(held)
    try:
        yield
    finally:
        _current.reset(token)


def _from_request(request: Any) -> AuditContext:
    user = getattr(request, "user", None)
    ip, user_agent = _network(request)
    return AuditContext(
        actor_id=user.pk if user is not None and user.is_authenticated else None, ip=ip, user_agent=user_agent
    )


# Where a request comes from does not change while it is served (its person may: DRF signs a token in late).
_NETWORK = "_audit_network"


def _network(request: Any) -> tuple[str, str]:
    """The request's minimised address and client family, worked out once per request."""
    held = getattr(request, _NETWORK, None)
    if held is None:
        from allauth.account import app_settings

        try:
            ip = _adapter_class(app_settings.ADAPTER)(request).get_client_ip(request) or ""
        except Exception:  # noqa: BLE001 (a malformed forwarded header must not stop the work being recorded)
            ip = ""
        held = (minimise_ip(ip), minimise_user_agent(request.META.get("HTTP_USER_AGENT", "")))
        with contextlib.suppress(AttributeError):  # a request that takes no attributes is read each time
            setattr(request, _NETWORK, held)
    return held


@functools.lru_cache(maxsize=8)
def _adapter_class(path: str) -> Any:
    """allauth's ``get_adapter`` imports the class by its dotted path on every call; once is enough."""
    from django.utils.module_loading import import_string

    return import_string(path)


_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = re.compile(rf"{_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}", re.ASCII)


def minimise_ip(address: str) -> str:
    """The network, not the host: IPv4 to /24, IPv6 to /48."""
    address = address.strip()
    # The common case without ``ipaddress`` (a twentieth of its cost): four decimal octets, no leading zeros,
    # which is exactly what ``ipaddress`` accepts as IPv4.
    if match := _IPV4.fullmatch(address):
        return f"{match[1]}.{match[2]}.{match[3]}.0/24"
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return ""
    prefix = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


_FAMILIES = re.compile(r"(Edg|OPR|Firefox|HeadlessChrome|Chrome|Chromium|Safari|curl|python-requests|okhttp)/(\d+)")
_PREFERENCE = ("Edg", "OPR", "Firefox", "HeadlessChrome", "Chrome", "Chromium", "curl", "python-requests", "okhttp")


@functools.lru_cache(maxsize=256)  # a few browsers' strings make up most requests
def minimise_user_agent(user_agent: str) -> str:
    """The client's family and major version ("Firefox 128"), nothing that singles a device out."""
    names = dict(_FAMILIES.findall(user_agent or ""))
    for family in (*_PREFERENCE, "Safari"):
        if family in names:
            return f"{family} {names[family]}"
    return (user_agent or "").split("/")[0].strip()[:32]
