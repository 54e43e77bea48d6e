"""The JSON Schema of a form's fields, for the OpenAPI document: the API validates with the page forms
(``web.field.forms``), so the schema is read off them instead of being written a second time."""

from django import forms

from web.field.forms import ClientKeyField, RupiahField


def _field_schema(field):
    if isinstance(field, forms.BooleanField):
        schema = {"type": "boolean"}
    elif isinstance(field, RupiahField):
        schema = {"type": "integer", "description": "Whole Rupiah."}
    elif isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
    elif isinstance(field, forms.DateField):
        schema = {"type": "string", "format": "date"}
    elif isinstance(field, forms.ChoiceField):
        values = [str(value) for value, _label in field.choices if value != ""]
        schema = {"type": "string", **({"enum": values} if values else {})}
    else:
        schema = {"type": "string"}
        if getattr(field, "max_length", None):
            schema["maxLength"] = field.max_length
        if getattr(field, "min_length", None):
            schema["minLength"] = field.min_length
    if field.label:
        schema["title"] = str(field.label)
    if field.help_text:
        schema["description"] = " ".join(filter(None, [schema.get("description"), str(field.help_text)]))
    return schema


def form_schema(form_class, **overrides):
    """``{"type": "object", "properties": ..., "required": [...]}`` for ``form_class``'s fields (not the
    hidden client key: the API sends it as the ``Idempotency-Key`` header); ``overrides`` adds to a field's
    schema (a pattern for a choice whose values the form fills in per request)."""
    properties, required = {}, []
    for name, field in form_class.base_fields.items():
        if isinstance(field, ClientKeyField):
            continue
        properties[name] = {**_field_schema(field), **overrides.get(name, {})}
        if field.required:
            required.append(name)
    return {"type": "object", "properties": properties, "required": required}
