from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

# The Django permission that makes someone a reviewer of applications (architecture §4). Spelled out
# as a string: accounts must not import partnerships.
REVIEW_PERMISSION = "partnerships.review_application"


class AccountAdapter(DefaultAccountAdapter):
    """Our allauth adapter: remembers the language and the name a person signs up with, and
    sends reviewers to their work after login."""

    def save_user(self, request, user, form, commit=True):
        language = getattr(request, "LANGUAGE_CODE", "sv")
        if language in ("sv", "en"):
            user.preferred_language = language
        full_name = getattr(form, "cleaned_data", {}).get("full_name")
        if full_name:
            user.full_name = full_name
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        """A reviewer starts on the review queue (an explicit `next` still wins). Platform
        admins have every permission but start on their places as before."""
        user = request.user
        if not user.is_superuser and user.has_perm(REVIEW_PERMISSION):
            return reverse("partnerships:application_queue")
        return super().get_login_redirect_url(request)
