from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from perisai.postgresql.base import connect_at_once


@never_cache
@require_safe
def health(request):
    """For the load balancer and monitoring: 200 when the database answers, 503 when it does not.

    Answered by ``web.middleware.HealthCheckMiddleware`` before the session is read, so a probe that
    carries a session cookie gets the same answer. It does not wait for the database to come back
    (``connect_at_once``; pages do): the load balancer is to hear now that it is away."""
    try:
        with connect_at_once(), connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})
