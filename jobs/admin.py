"""The queue's own table (``django_tasks_db``'s task results) stays out of the admin: it holds only job ids,
and a job is read on its owner's "My downloads" page; operators read the queue with ``manage.py`` and SQL."""

from django.contrib import admin
from django_tasks_db.models import DBTaskResult

if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
