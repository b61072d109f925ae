from django.http import HttpRequest


def linli(request: HttpRequest) -> dict[str, object]:
    """Role flags for layouts; cheap (roles are cached on the user object)."""
    user = getattr(request, "user", None)
    roles = user.role_set() if user is not None and user.is_authenticated else frozenset()
    return {"user_roles": roles}
