from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """Our allauth adapter: remembers the language a person signs up in."""

    def save_user(self, request, user, form, commit=True):
        language = getattr(request, "LANGUAGE_CODE", "sv")
        if language in ("sv", "en"):
            user.preferred_language = language
        return super().save_user(request, user, form, commit=commit)
