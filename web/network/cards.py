"""The agent's ID card (kartu identitas Agen Perisai) as a PDF download, from the agent's staff page.

Guarded like the letter of assignment (``web.recruitment.views.agent_letter``): ``agents.view_agent``
(branch staff, the branch head, administrators; an agent gets a 404, the page does not exist for them),
and the agent fetched from ``agents.selectors.agents_for``, so another branch's agent is a 404. An agent
who left is refused on their page with a message. The card carries no NIK, so nothing is logged.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from agents.cards import agent_card_pdf
from agents.selectors import agents_for
from web.access import requires


@requires("agents.view_agent", hidden=True)
@require_GET
@never_cache
def agent_card(request, pk):
    """The card, front and back on one A4 sheet; its QR code opens this agent's staff page."""
    agent = get_object_or_404(agents_for(user=request.user), pk=pk)
    url = request.build_absolute_uri(reverse("agents:agent_detail", args=[agent.pk]))
    try:
        pdf = agent_card_pdf(agent=agent, url=url)
    except ValueError as refusal:
        messages.error(request, str(refusal))
        return redirect("agents:agent_detail", pk=agent.pk)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kartu-agen-{agent.code}.pdf"'
    return response
