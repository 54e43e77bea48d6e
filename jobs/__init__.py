"""Background jobs: long work run by a worker instead of a request, with progress its starter can watch
and a result file kept for a while under "my downloads" (README, "Background jobs").

The queue is Django's tasks API (the ``django-tasks`` backport): a database-backed queue by default, so
the embedded install needs no broker, or Redis (RQ) when ``PERISAI_TASKS_REDIS_URL`` is set, so workers
on other machines share the work. ``Job`` is the user's view of one piece of work (who started it, how far
it is, its file or why it failed); the queue only carries the job's id.

This package sits just above ``agents`` (it needs the user) and knows no domain: the work itself is a
handler named by its dotted path when the job is made (``web.jobs.kinds``), given the job and a progress
callback. Domains report progress through a plain callable argument, never by importing this package.
"""
