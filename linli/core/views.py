from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from linli.core.errors import CoreError, CoreErrorCode


def _answer(request: HttpRequest, err: CoreError) -> HttpResponse:
    if request.path.startswith("/api/") or request.headers.get("HX-Request"):
        return JsonResponse(err.as_dict(), status=err.status)
    return render(
        request, "error.html", {"error": err.as_dict(), "status": err.status}, status=err.status
    )


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return _answer(request, CoreError(CoreErrorCode.NOT_FOUND))


def server_error(request: HttpRequest) -> HttpResponse:
    return _answer(request, CoreError(CoreErrorCode.SERVER_ERROR))
