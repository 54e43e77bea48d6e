"""The account security pages: the code after the password, setting up an authenticator app, recovery
codes, and the administrators' reset. The rules are ``web.account.factor``; these read the request,
call one of them and render. Pages that show a secret are never cached."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from web.access import paginate, requires
from web.account import factor
from web.account.forms import CodeForm, ResetForm
from web.network.forms import add_service_errors

SHOW_ONCE_KEY = "perisai_recovery_codes_to_show"


def _next_url(request):
    """Where to go once the factor is settled: ``next`` if it stays on this site, else the home page."""
    url = request.POST.get("next") or request.GET.get("next") or ""
    if url and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return url
    return reverse("home")


def _with_next(name, next_url):
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _wait_message(seconds):
    return ngettext(
        "Too many wrong codes. Try again in %(seconds)d second.",
        "Too many wrong codes. Try again in %(seconds)d seconds.",
        seconds,
    ) % {"seconds": seconds}


@never_cache
@requires()
def verify(request):
    """The second step of signing in: a code from the app, or a recovery code."""
    user, next_url = request.user, _next_url(request)
    if user.is_verified():
        return redirect(next_url)
    if not factor.has_factor(user):
        factor.note_factor(request, False)
        return redirect(_with_next("account:enrol", next_url) if factor.required_by_role(user) else next_url)
    form = CodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        attempt = factor.second_factor_verify(user=user, code=form.cleaned_data["code"])
        if attempt.accepted:
            factor.sign_in_second_step(request, attempt.device)
            if attempt.recovery_codes_left is not None:
                messages.warning(
                    request,
                    ngettext(
                        "You signed in with a recovery code; %(count)d is left. Make new ones on Account security.",
                        "You signed in with a recovery code; %(count)d are left. Make new ones on Account security.",
                        attempt.recovery_codes_left,
                    )
                    % {"count": attempt.recovery_codes_left},
                )
            return redirect(next_url)
        form.add_error("code", _wait_message(attempt.wait) if attempt.wait else _("That code is not right."))
    return render(request, "account/verify.html", {"form": form, "next": next_url, "second_factor_pending": True})


@never_cache
@requires()
def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code. The first
    time, right after the password; later, to move to a new phone (with the session verified)."""
    user, next_url = request.user, _next_url(request)
    replacing = factor.has_factor(user)
    if replacing and not user.is_verified():
        return redirect(_with_next("account:verify", next_url))
    device = factor.pending_app(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        attempt = factor.second_factor_enrol(device=device, code=factor.normalise_code(form.cleaned_data["code"]))
        if attempt.accepted:
            factor.sign_in_second_step(request, attempt.device)
            request.session[SHOW_ONCE_KEY] = list(attempt.new_recovery_codes)
            messages.success(request, _("Your authenticator app is set up."))
            return redirect(_with_next("account:recovery_codes", next_url))
        form.add_error(
            "code",
            _wait_message(attempt.wait) if attempt.wait else _("That code is not right. Check the time on your phone."),
        )
    context = {
        "form": form,
        "next": next_url,
        "replacing": replacing,
        "qr_code": factor.qr_code_data_uri(device),
        "secret": factor.secret_for_typing(device),
        "second_factor_pending": not user.is_verified(),
    }
    return render(request, "account/enrol.html", context)


@never_cache
@requires()
def recovery_codes(request):
    """GET shows the recovery codes just made, once (a reload shows them no more); POST makes a new set."""
    user = request.user
    if request.method == "POST":
        if not factor.has_factor(user):
            return redirect("account:security")
        if not user.is_verified():
            return redirect(_with_next("account:verify", reverse("account:security")))
        request.session[SHOW_ONCE_KEY] = factor.recovery_codes_renew(user=user)
        messages.success(request, _("New recovery codes are made; the old ones no longer work."))
        return redirect("account:recovery_codes")
    codes = request.session.pop(SHOW_ONCE_KEY, None)
    if not codes:
        return redirect("account:security")
    return render(request, "account/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


@never_cache
@requires()
def security(request):
    """The person's own account security: their app, their recovery codes, turning it off where allowed."""
    user = request.user
    app = TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()
    context = {
        "app": app,
        "codes_left": factor.recovery_codes_left(user) if app else 0,
        "required": factor.required_by_role(user),
        "may_reset_others": factor.may_reset_second_factors(user),
    }
    return render(request, "account/security.html", context)


@require_POST
@requires()
def turn_off(request):
    """An agent who opted in turns the factor off (with the session verified)."""
    user = request.user
    if not user.is_verified():
        return redirect(_with_next("account:verify", reverse("account:security")))
    try:
        factor.second_factor_turn_off(user=user)
    except ValidationError as error:
        raise PermissionDenied(" ".join(error.messages)) from None
    factor.note_factor(request, False)
    messages.success(request, _("The second factor is turned off."))
    return redirect("account:security")


@requires(factor.may_reset_second_factors, hidden=True)
def user_list(request):
    """The accounts an administrator may reset, with who has a factor and how many recovery codes."""
    search = request.GET.get("q", "").strip()
    page = paginate(request, factor.accounts_for(request.user, search))
    return render(request, "account/user_list.html", {"page": page, "search": search})


@requires(factor.may_reset_second_factors, hidden=True)
def reset(request, pk):
    """An administrator removes someone's lost factor, saying why; the account sets up a new one at its
    next sign-in. Another branch's account is a 404, like every other row."""
    account = get_object_or_404(factor.accounts_for(request.user), pk=pk)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            factor.second_factor_reset(user=account, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("The second factor of %(user)s is reset; they set up a new one when they next sign in.")
                % {"user": account.get_username()},
            )
            return redirect("account:user_list")
    context = {
        "account": account,
        "form": form,
        "records": factor.reset_records(account),
        "own_account": account.pk == request.user.pk,
    }
    return render(request, "account/reset.html", context)
