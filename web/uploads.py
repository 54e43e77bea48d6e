"""Uploading a spreadsheet: the handler that drops a file as soon as it passes a size, and the form that
checks what came.

Django writes an upload of any size to a temporary file before a form can look at it. A page that sets
``UploadSizeLimit`` before anything reads the request body stops reading the file at ``limit`` bytes and
notes ``request.upload_too_large``, so the form says the file is too large instead of "no file". Setting
upload handlers needs the view to run the CSRF check itself (Django's documented pattern): ``takes_upload``.
"""

from functools import wraps
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect

from enrollment.importing.reader import megabytes

ACCEPTED_SUFFIXES = (".xlsx", ".csv")


class UploadSizeLimit(FileUploadHandler):
    """Drop an uploaded file as soon as it passes ``limit`` bytes and note it on the request."""

    def __init__(self, request, *, limit):
        super().__init__(request)
        self.limit = limit

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def takes_upload(limit):
    """A view decorator: ``UploadSizeLimit`` at ``limit`` bytes is put first among the request's upload
    handlers before anything reads the body, and only then is the CSRF token checked (reading the token
    reads the body), which is Django's documented pattern for changing upload handlers in a view."""

    def decorator(view):
        protected = csrf_protect(view)

        @csrf_exempt
        @wraps(view)
        def with_limit(request, *args, **kwargs):
            request.upload_handlers.insert(0, UploadSizeLimit(request, limit=limit))
            return protected(request, *args, **kwargs)

        return with_limit

    return decorator


class SpreadsheetUploadForm(forms.Form):
    """A form that takes one .xlsx or .csv within ``limits`` (``enrollment.importing.limits.Limits``).

    ``too_large`` says the upload handler dropped the file for its size: the form then says so, rather
    than that no file was sent. Subclasses set ``limits`` and may set ``file_label``.
    """

    limits = None
    file_label = _("File (.xlsx or .csv)")

    file = forms.FileField(widget=forms.ClearableFileInput(attrs={"accept": ",".join(ACCEPTED_SUFFIXES)}))

    def __init__(self, *args, too_large=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.too_large = too_large
        self.fields["file"].label = self.file_label
        self.fields["file"].help_text = _("At most %(size)s MB and %(rows)s rows.") % {
            "size": megabytes(self.limits.upload_bytes),
            "rows": number_format(self.limits.rows, use_l10n=True, force_grouping=True),
        }

    def full_clean(self):
        """A file dropped while uploading for its size is reported as too large, not as missing."""
        super().full_clean()
        if self.too_large and self.is_bound:  # an unbound form (nothing posted but the dropped file) has no data
            self._errors["file"] = self.error_class([self._too_large_message()])
            self.cleaned_data.pop("file", None)

    def _too_large_message(self):
        return _("The file is larger than %(limit)s MB. Split it into smaller files.") % {
            "limit": megabytes(self.limits.upload_bytes)
        }

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.limits.upload_bytes:
            raise ValidationError(self._too_large_message())
        if PurePath(upload.name).suffix.lower() not in ACCEPTED_SUFFIXES:
            raise ValidationError(_("Upload an Excel workbook (.xlsx) or a CSV file (.csv)."))
        return upload
