from django.utils.functional import SimpleLazyObject


def notifications(request):
    """The bell's unread count, counted only when a page shows it."""
    from .notifications import unread_count

    user = getattr(request, "user", None)
    return {
        "unread_notifications": SimpleLazyObject(
            lambda: unread_count(user) if user is not None else 0
        )
    }
