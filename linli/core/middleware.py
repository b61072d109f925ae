"""Pages answer a LinliError with the same bilingual message the API gives, never a 500."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from linli.core.errors import LinliError


class LinliErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        if not isinstance(exc, LinliError):
            return None
        if request.headers.get("HX-Request") or request.path.startswith("/api/"):
            return JsonResponse(exc.as_dict(), status=exc.status)
        return render(
            request, "error.html", {"error": exc.as_dict(), "status": exc.status}, status=exc.status
        )
