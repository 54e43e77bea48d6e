"""An upload handler that drops a file as soon as it passes a size, for the pages that take spreadsheets.

Django writes an upload of any size to a temporary file before a form can look at it. A page that sets
``UploadSizeLimit`` before anything reads the request body stops reading the file at ``limit`` bytes and
notes ``request.upload_too_large``, so the form says the file is too large instead of "no file". Setting
upload handlers needs the view to run the CSRF check itself (Django's documented pattern).
"""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


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


def limit_uploads(request, limit):
    """Put ``UploadSizeLimit`` first among ``request``'s upload handlers."""
    request.upload_handlers.insert(0, UploadSizeLimit(request, limit=limit))
