"""The outbox: the reminders ``send_reminders`` queued and what became of them, read-only.

Reading needs ``followup.view_outboxmessage`` (branch staff, the branch head, administrators); an agent
gets 404. Each user sees their own branch's messages (a national administrator every branch's), newest
first, with phone numbers masked for the roles that must not see them (``followup.outbox``).
"""

from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from followup.models import OutboxMessage
from followup.outbox import OutboxRow, outbox_counts, outbox_for
from followup.sending import get_backend
from perisai.months import month_start
from web.access import paginate, picks_branch, requires

READ = "followup.view_outboxmessage"
PER_PAGE = 50


def _backend():
    """The backend in use, or ``None`` when the setting names one that cannot be built."""
    try:
        return get_backend()
    except ImproperlyConfigured:
        return None


@requires(READ, hidden=True)
@require_GET
def outbox(request):
    status = request.GET.get("status", "")
    if status not in OutboxMessage.Status.values:
        status = ""
    page = paginate(request, outbox_for(request.user, status=status), per_page=PER_PAGE)
    month = month_start(timezone.localdate())
    return render(
        request,
        "followup/outbox.html",
        {
            "page": page,
            "rows": [OutboxRow.of(message, request.user) for message in page],
            "status": status,
            "statuses": OutboxMessage.Status.choices,
            "query": f"status={status}" if status else "",
            "month": month,
            "counts": outbox_counts(request.user, month=month),
            "backend": _backend(),
            "national": picks_branch(request.user),  # the branch of each message is named
        },
    )
