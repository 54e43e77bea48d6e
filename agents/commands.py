"""What the management commands share about the agent network: naming a branch on the command line.

Commands run as the server's operator, not as a signed-in user, so they name the branch by its code;
a code that names none is a ``CommandError`` listing the codes there are.
"""

from django.core.management import CommandError

from agents.models import Branch


def branch_by_code(code):
    """The branch with ``code``, or ``CommandError`` saying which codes exist."""
    branch = Branch.objects.filter(code=code).first()
    if branch is None:
        known = ", ".join(Branch.objects.order_by("code").values_list("code", flat=True)) or "none"
        raise CommandError(f"Unknown branch {code!r}. Branch codes: {known}.")
    return branch
