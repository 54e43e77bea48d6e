"""Reading an admin form page back as the data its Save button would post."""

import datetime


def _posted(value):
    if isinstance(value, bool):
        return "on" if value else None
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        return [str(item) for item in value]
    return str(value)


def posted_back(page):
    """What the admin add or change ``page`` (a test client response) posts when saved as it stands:
    the form's values, and each inline's management form and rows."""
    forms = [page.context["adminform"].form]
    for inline in page.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None:
                continue
            posted = _posted(value)
            if posted is not None:
                data[form.add_prefix(name)] = posted
    return data
