"""What a report page shows: the period and scope chosen with GET parameters, within the user's reach.

Parameters: ``through=YYYY-MM`` (the year follows from it), ``year=YYYY`` (that year, through
December, or through the latest month with acquisitions when it is the latest year), ``office=<code>``,
``agent=<code>``; national administrators and regional users also ``branch=<code>`` (one of the branches
they reach), national administrators also ``region=<code>`` (a regional office: every branch in it).

Bad input never fails the page: a malformed or impossible period, or an office, agent or branch the
user may not see, becomes a message on the page, and the page shows the default instead (the user's
whole scope; January through the month of the latest acquisition in it). Nothing outside the user's
reach is ever counted, because ``scope_for`` decides every scope.
"""

from dataclasses import dataclass, field
from functools import cached_property
from urllib.parse import urlencode

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agents.models import Agent, Branch, PerisaiOffice
from agents.scoping import for_user, scope_for
from perisai.forms import QuickSelect
from reports.acquisitions import latest_period
from reports.periods import Period
from web.access import picks_branch


class SelectionForm(forms.Form):
    """Only draws the selectors; ``select`` decides what they mean."""

    through = forms.CharField(
        label=gettext_lazy("Through month"), required=False, widget=forms.TextInput(attrs={"type": "month"})
    )
    # QuickSelect: the options written without a template each (a national administrator's 125 branches, a
    # branch's hundred agents cost the dashboard more than its cached figures did).
    region = forms.ChoiceField(label=gettext_lazy("Regional office"), required=False, widget=QuickSelect)
    branch = forms.ChoiceField(label=gettext_lazy("Branch"), required=False, widget=QuickSelect)
    office = forms.ChoiceField(label=gettext_lazy("Perisai office"), required=False, widget=QuickSelect)
    agent = forms.ChoiceField(label=gettext_lazy("Agent"), required=False, widget=QuickSelect)

    def __init__(self, *args, user, scope, **kwargs):
        super().__init__(*args, **kwargs)
        branch = scope.branch
        if picks_branch(user):
            # The branches the user reaches (``for_user``) with their regions, in one query: national
            # administrators pick among the regions that have branches, then among the region's branches.
            reachable = list(for_user(Branch.objects.select_related("region"), user, branch_path=None))
            region = scope.region or next((each.region for each in reachable if each == branch), None)
            if user.is_national:
                regions = sorted({each.region for each in reachable if each.region}, key=lambda each: each.name)
                self.fields["region"].choices = [
                    ("", _("All regional offices")),
                    *((each.code, each.name) for each in regions),
                ]
                self.initial["region"] = region.code if region else ""
            listed = [each for each in reachable if region is None or each.region_id == region.pk]
            self.fields["branch"].choices = [("", _("All branches")), *((each.code, each.name) for each in listed)]
        else:
            del self.fields["branch"]
        if not user.is_national:
            del self.fields["region"]
        offices = (
            PerisaiOffice.objects.filter(branch=branch).order_by("code") if branch else PerisaiOffice.objects.none()
        )
        agents = Agent.objects.filter(branch=branch) if branch else Agent.objects.none()
        self.fields["office"].choices = [("", _("All offices")), *offices.values_list("code", "name")]
        self.fields["agent"].choices = [
            ("", _("All agents")),
            *(
                (code, f"{name} ({code})")
                for code, name in agents.order_by("full_name").values_list("code", "full_name")
            ),
        ]


@dataclass
class Selection:
    user: object
    scope: object
    period: object
    errors: list = field(default_factory=list)

    @cached_property
    def form(self):
        """The selectors, showing what is selected; built only for pages that draw them."""
        initial = {
            "through": self.period.through,
            "region": self.scope.region.code if self.scope.region else "",
            "branch": self.scope.branch.code if self.scope.branch else "",
            "office": self.scope.office.code if self.scope.office else "",
            "agent": self.scope.agent.code if self.scope.agent else "",
        }
        return SelectionForm(initial=initial, user=self.user, scope=self.scope)

    @property
    def params(self):
        """The GET parameters that select this period and scope again."""
        params = {"through": self.period.through}
        if self.scope.agent:
            params["agent"] = self.scope.agent.code
        elif self.scope.office:
            params["office"] = self.scope.office.code
        elif self.scope.branch and picks_branch(self.user):
            params["branch"] = self.scope.branch.code
        elif self.scope.region and self.user.is_national:
            params["region"] = self.scope.region.code
        return params

    @property
    def query(self):
        return urlencode(self.params)


def select(user, data):
    """The ``Selection`` for ``user`` from request parameters ``data`` (a ``QueryDict`` or dict)."""
    errors = []
    try:
        scope = scope_for(
            user,
            region_code=data.get("region") or None,
            branch_code=data.get("branch") or None,
            office_code=data.get("office") or None,
            agent_code=data.get("agent") or None,
        )
    except PermissionDenied as denied:
        errors.append(_("%(reason)s Showing everything you may see instead.") % {"reason": denied})
        scope = scope_for(user)
    default = latest_period(scope=scope)
    try:
        period = _period(data.get("year") or "", data.get("through") or "", default)
    except ValidationError as invalid:
        errors.append(
            _("%(reason)s Showing %(period)s instead.")
            % {"reason": " ".join(invalid.messages), "period": default.label}
        )
        period = default
    return Selection(user=user, scope=scope, period=period, errors=errors)


def _period(year, through, default):
    year, through = year.strip(), through.strip()
    if through:
        return Period.parse(year or through.split("-", 1)[0], through)
    if year:
        period = Period.parse(year)
        return default if period.year == default.year else period
    return default
