from core.roles import user_roles


def navigation(request):
    """Role flags for the base layout's navigation."""
    roles = user_roles(getattr(request, "user", None))
    return {"bmip_roles": roles}
