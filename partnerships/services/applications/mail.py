"""E-mail about an application's timeline: who is told (the applicants, the reviewers), queued
in the outbox in the transition's transaction and sent once it commits (places/outbox.py)."""

import threading
from contextlib import contextmanager

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from places.links import absolute_url
from places.outbox import Mail, outbox_add

from ...models import ApplicationEvent
from .permissions import can_edit, is_reviewer
from .states import EVENT_LABELS


def applicant_recipients(application) -> list:
    """The applying side: the creator, invited editors and users of the lead organisation."""
    users = get_user_model().objects.filter(
        Q(pk=application.created_by_id)
        | Q(applications_collaborating=application)
        | Q(organisation_id=application.lead_organisation_id),
        is_active=True,
    )
    return list(users.distinct())


def reviewer_recipients(application) -> list:
    """The assigned reviewer, or every reviewer while nobody is assigned."""
    if application.assigned_reviewer_id:
        return [application.assigned_reviewer]
    users = get_user_model().objects.filter(
        Q(groups__permissions__codename="review_application")
        | Q(user_permissions__codename="review_application"),
        is_active=True,
    )
    return list(users.distinct())


_quiet = threading.local()


@contextmanager
def mail_muted():
    """No e-mail for transitions made inside (demo data: the demo users are not real)."""
    _quiet.active = True
    try:
        yield
    finally:
        _quiet.active = False


def notify(event, recipients, base_url: str | None):
    """Mail everyone concerned (except the one who acted): queued in the outbox in the
    transition's transaction, sent once it commits (places/outbox.py).

    The transitions take `base_url` from the view (the request's scheme and host), so the link
    opens on the host the reviewer or applicant is using; without it, SITE_URL.
    """
    if getattr(_quiet, "active", False):
        return
    ids = sorted({user.pk for user in recipients if user.pk != event.actor_id and user.email})
    if ids:
        event_mail_queue(event_id=event.pk, user_ids=ids, base_url=base_url)


def event_mail_queue(*, event_id: int, user_ids: list[int], base_url: str | None = None) -> int:
    """Queue the timeline event for each user in their own language. Returns mails queued.

    Links start with `base_url`, else SITE_URL. The outbox key is the event and the person, so
    nobody is told of one event twice; a mail server that fails delays the mail, never loses it.
    """
    event = ApplicationEvent.objects.select_related(
        "application", "application__lead_organisation", "actor"
    ).get(pk=event_id)
    application = event.application
    mails = []
    for user in get_user_model().objects.filter(pk__in=user_ids):
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            path = reverse("partnerships:application_detail", args=[application.pk])
            if event.action == "co_applicant_requested":
                # The asked organisation cannot open the application yet: it answers on its
                # applications page.
                path = reverse("partnerships:application_list")
            elif is_reviewer(user) and not can_edit(user, application):
                path = reverse("partnerships:application_review", args=[application.pk])
            label = EVENT_LABELS.get(event.action, event.action)
            subject = f"{application.reference}: {label}"
            body = render_to_string(
                "partnerships/applications/email/event.txt",
                {
                    "application": application,
                    "event": event,
                    "label": label,
                    "user": user,
                    "url": absolute_url(path, base_url=base_url),
                },
            )
        mails.append(
            Mail(
                to=user.email,
                subject=f"{settings.ACCOUNT_EMAIL_SUBJECT_PREFIX}{subject}",
                body=body,
                user=user,
            )
        )
    outbox_add(kind="application_event", object_key=str(event.pk), mails=mails)
    return len(mails)
