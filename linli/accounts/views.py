"""Login (SMS code for everyone, password for staff), logout, and the per-role home redirect."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from linli.accounts import selectors, services
from linli.accounts.errors import AccountsErrorCode
from linli.accounts.models import Role, User
from linli.core.errors import LinliError


class SmsLoginForm(forms.Form):
    phone = forms.CharField(label=_("Phone number"), max_length=20)
    code = forms.CharField(label=_("Verification code"), max_length=6, required=False)


class PasswordLoginForm(forms.Form):
    username = forms.CharField(label=_("Phone or username"), max_length=150)
    password = forms.CharField(label=_("Password"), widget=forms.PasswordInput)


def _safe_next(request: HttpRequest) -> str | None:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next") or request.GET.get("next")
    if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
        return nxt
    return None


def login_view(request: HttpRequest) -> HttpResponse:
    sms_form = SmsLoginForm(request.POST or None, prefix="sms")
    pw_form = PasswordLoginForm(request.POST or None, prefix="pw")
    mode = request.POST.get("mode", request.GET.get("mode", "sms"))
    status = 200
    if request.method == "POST":
        try:
            if mode == "password" and pw_form.is_valid():
                user = authenticate(
                    request,
                    username=pw_form.cleaned_data["username"],
                    password=pw_form.cleaned_data["password"],
                )
                if user is None:
                    raise LinliError(AccountsErrorCode.BAD_CREDENTIALS)
                login(request, user)
                return redirect(_safe_next(request) or "home")
            if mode == "sms" and sms_form.is_valid():
                phone = sms_form.cleaned_data["phone"]
                if request.POST.get("action") == "send":
                    services.sms_code_send(phone=phone)
                    messages.success(request, _("A code was sent to your phone."))
                else:
                    user = services.sms_login(phone=phone, code=sms_form.cleaned_data["code"])
                    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
                    return redirect(_safe_next(request) or "home")
        except LinliError as e:
            messages.error(request, e.message())
            status = e.status
    return render(
        request,
        "accounts/login.html",
        {"sms_form": sms_form, "pw_form": pw_form, "mode": mode, "next": _safe_next(request)},
        status=status,
    )


@require_POST
def logout_view(request: HttpRequest) -> HttpResponse:
    logout(request)
    return redirect("accounts:login")


def home(request: HttpRequest) -> HttpResponse:
    """Signed in: the home of one's role. Otherwise the public welcome page with the login."""
    user = request.user
    if user.is_authenticated:
        return redirect(selectors.user_home_url_name(user=user))  # type: ignore[arg-type]
    return render(request, "accounts/welcome.html")


@login_required
def home_admin(request: HttpRequest) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    if not user.has_role(Role.PLATFORM_ADMIN):
        return redirect("home")
    from linli.accounts.models import RoleGrant

    counts = {role.label: RoleGrant.objects.filter(role=role.value).count() for role in Role}
    return render(request, "accounts/home_admin.html", {"role_counts": counts})
