from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from reports.queries import acquisitions_per_year


@login_required
def home(request):
    """The landing page: acquisitions per year in the user's scope."""
    return render(request, "reports/home.html", {"years": acquisitions_per_year(user=request.user)})
