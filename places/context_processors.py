from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The bell's unread count, counted only when a page shows it."""
    from .services.notifications import unread_count

    user = getattr(request, "user", None)
    known = getattr(request, "unread_notifications", None)
    if known is not None:  # read by the view already, with its own cache keys
        return {"unread_notifications": known}
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(user) if user is not None else 0
        )
    }
