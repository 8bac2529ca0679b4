"""Samverkansplan and larm (issue #13): the plan's versions and confirmations, alerts, their
fan-out, answers and escalation.

Exactly once per recipient and channel:
- `AlertDelivery` has a unique key (alert, recipient, channel): fan-out and escalation write
  their rows with `bulk_create(ignore_conflicts=True)`, so a second run writes nothing.
- A delivery is claimed with one conditional UPDATE (pending → sending, with the run's token);
  a second task, a redelivered message or a double dispatch finds nothing left to claim.
- E-mail goes through the outbox in the same transaction that marks the rows sent; push and
  SMS are marked sent right after the service accepts them. A worker killed mid-send leaves
  rows "sending"; the sweeper puts them back after `CLAIM_TIMEOUT` (as the outbox does:
  the few milliseconds between a provider's "accepted" and our UPDATE are at-least-once).
- Escalation advances `Alert.escalation_level` with a conditional UPDATE on the level it read,
  in the transaction that writes the next link's deliveries: however many sweepers run, and
  whenever a worker dies, each link is alerted once.
"""

import datetime as dt
import logging
import statistics
import uuid

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from amp_platform import raw_sql
from places.links import absolute_url
from places.models import NotificationSetting, PlaceRole, PushSubscription
from places.services.notifications import (
    PushFailed,
    notify,
    push_enabled,
    push_to_user,
)

from ..models import (
    Alert,
    AlertAnswer,
    AlertDelivery,
    ContactLink,
    PlanConfirmation,
    PlanVersion,
    Scenario,
    SituationPlan,
)
from ..sms import SmsError, send_sms

logger = logging.getLogger(__name__)

CLAIM_TIMEOUT = dt.timedelta(minutes=10)
# An alert not fanned out this long after it was sent lost its task: the sweeper fans it out.
FAN_OUT_GRACE = dt.timedelta(seconds=30)
MAX_ATTEMPTS = 5
RECONFIRM_AFTER = dt.timedelta(days=365)
Status = AlertDelivery.Status
Channel = AlertDelivery.Channel

# The seeded scenarios (seed 002: "en koordinerad plan, som alla känner till"); managers edit
# them. Swedish: the plan is written by and for the partnership.
SEED_SCENARIOS = [
    {
        "title": "Störande grupp vid torget",
        "signs": "Högljudd grupp som stannar länge, hot eller trakasserier mot förbipasserande, "
        "flaskor eller skräp som kastas.",
        "steps": "Håll avstånd och observera.\nLarma via appen med plats.\n"
        "Väktare går dit, två och två.\nRing polisen på 114 14, vid fara 112.",
        "minutes": 10,
    },
    {
        "title": "Brand och utrymning",
        "signs": "Rök, brandlukt, brandlarm som ljuder.",
        "steps": "Ring 112.\nLarma via appen.\nUtrym enligt byggnadens plan.\n"
        "Möt räddningstjänsten vid angreppsvägen.",
        "minutes": 5,
    },
    {
        "title": "Hot mot personal",
        "signs": "Hotfullt beteende mot personal i butik, kollektivtrafik eller fastighet.",
        "steps": "Sätt dig i säkerhet.\nRing 112 vid fara.\nLarma via appen.\n"
        "Dokumentera händelsen, aldrig personen.",
        "minutes": 5,
    },
    {
        "title": "Våg av skadegörelse",
        "signs": "Flera skador på kort tid: krossade rutor, klotter, trasig belysning.",
        "steps": "Logga varje händelse.\nLarma fastighetsägarna.\n"
        "Beställ sanering inom 24 timmar.\nTa upp i nästa samverkansmöte.",
        "minutes": 30,
    },
    {
        "title": "Stort evenemang",
        "signs": "Evenemang med många besökare, trängsel vid in- och utgångar.",
        "steps": "Stäm av med arrangören i förväg.\nExtra väktare vid entréerna.\n"
        "Larma vid trängsel.\nGemensam uppföljning efteråt.",
        "minutes": 15,
    },
]


class AlertError(ValueError):
    pass


# --- The plan -------------------------------------------------------------------------------


def plan_for(place) -> SituationPlan:
    """The place's plan, created with the seeded scenarios the first time it is opened."""
    plan = SituationPlan.objects.filter(place=place).first()
    if plan is not None:
        return plan
    try:
        with transaction.atomic():
            plan = SituationPlan.objects.create(place=place)
            Scenario.objects.bulk_create(
                Scenario(
                    plan=plan,
                    title=seed["title"],
                    signs=seed["signs"],
                    steps=seed["steps"],
                    escalation_minutes=seed["minutes"],
                    order=n * 10,
                )
                for n, seed in enumerate(SEED_SCENARIOS)
            )
    except IntegrityError:  # two first visits at once
        plan = SituationPlan.objects.get(place=place)
    return plan


def plan_scenarios(plan):
    return plan.scenarios.prefetch_related("links__organisation")


def _snapshot(plan) -> dict:
    return {
        "scenarios": [
            {
                "id": scenario.pk,
                "title": scenario.title,
                "signs": scenario.signs,
                "steps": scenario.step_list(),
                "minutes": scenario.escalation_minutes,
                "links": [
                    {
                        "position": link.position,
                        "organisation": link.organisation.name,
                        "organisation_id": link.organisation_id,
                        "task": link.task,
                        "phone": link.phone,
                    }
                    for link in scenario.links.all()
                ],
            }
            for scenario in plan_scenarios(plan)
        ]
    }


def place_people(place, organisation_ids=None):
    """Everyone with a role at the place (of the given organisations), active accounts."""
    roles = PlaceRole.objects.filter(place=place, user__is_active=True)
    if organisation_ids:
        roles = roles.filter(organisation_id__in=organisation_ids)
    return User.objects.filter(pk__in=roles.values("user_id"))


def plan_publish(*, place, actor, note: str = "") -> PlanVersion:
    """Freeze the scenarios as the next version and ask everyone at the place to confirm."""
    plan = plan_for(place)
    with transaction.atomic():
        SituationPlan.objects.select_for_update().filter(pk=plan.pk).first()
        number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
        version = PlanVersion.objects.create(
            plan=plan,
            number=number,
            content=_snapshot(plan),
            note=note,
            published_at=timezone.now(),
            published_by=actor,
        )
        _ask_to_confirm(place, version, place_people(place).exclude(pk=actor.pk))
    return version


def _ask_to_confirm(place, version, users, *, key_suffix=""):
    from django.urls import reverse

    url = reverse("safety:plan", kwargs={"place_slug": place.slug})
    with translation.override(settings.LANGUAGE_CODE):
        title = _("New version %(number)s of the coordinated plan: read and confirm") % {
            "number": version.number
        }
    notify(
        users=users,
        kind="plan_confirm",
        object_key=f"planversion:{version.pk}{key_suffix}",
        title=title,
        url=url,
        place=place,
    )


def plan_confirm(*, version, actor, organisation_id) -> PlanConfirmation:
    confirmation, _created = PlanConfirmation.objects.get_or_create(
        version=version,
        user=actor,
        defaults={"organisation_id": organisation_id, "confirmed_at": timezone.now()},
    )
    return confirmation


def confirmation_board(place, version) -> list[dict]:
    """Per organisation represented at the place: its people and who confirmed `version`.
    Two queries, whatever the number of people."""
    roles = (
        PlaceRole.objects.filter(place=place, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__email")
    )
    confirmed = {}
    if version is not None:
        confirmed = dict(
            PlanConfirmation.objects.filter(version=version).values_list("user_id", "confirmed_at")
        )
    groups: dict = {}
    for role in roles:
        key = role.organisation_id or 0
        group = groups.setdefault(
            key,
            {"organisation": role.organisation, "people": [], "confirmed": 0},
        )
        when = confirmed.get(role.user_id)
        group["people"].append({"user": role.user, "confirmed_at": when})
        group["confirmed"] += 1 if when else 0
    return list(groups.values())


def plan_coverage(place) -> dict:
    """ "12 of 14 organisations have confirmed v3": the partnership's member organisations
    today, and those of which someone confirmed the current version. Two queries."""
    from partnerships.models import Membership

    # Written as SQL (issue #20), as the ORM built it: the figures core asks this on every cold
    # dashboard and lägesbild.
    rows = raw_sql.read(
        PlanVersion,
        f"SELECT v.id, v.number FROM {PlanVersion._meta.db_table} v "
        f"JOIN {SituationPlan._meta.db_table} p ON p.id = v.plan_id "
        "WHERE p.place_id = %s ORDER BY v.number DESC LIMIT 1",
        [place.pk],
    )
    version_id, number = rows[0] if rows else (None, None)
    today = raw_sql.param(Membership, timezone.localdate())
    confirmed = "c.version_id = %s" if version_id is not None else "c.version_id IS NULL"
    [(organisations, confirmations)] = raw_sql.read(
        Membership,
        "SELECT COUNT(DISTINCT m.organisation_id), "
        f"COUNT(DISTINCT m.organisation_id) FILTER (WHERE {confirmed}) "
        f"FROM {Membership._meta.db_table} m "
        f"LEFT JOIN {PlanConfirmation._meta.db_table} c ON c.organisation_id = m.organisation_id "
        "WHERE m.place_id = %s AND m.since <= %s AND (m.until IS NULL OR m.until >= %s)",
        [*([version_id] if version_id is not None else []), place.pk, today, today],
    )
    return {
        "version": number,
        "organisations": organisations,
        "confirmed": confirmations if version_id is not None else 0,
    }


def plan_reconfirmation(*, now=None) -> int:
    """Yearly: ask everyone whose last confirmation of the current version is over a year old
    (or who never confirmed a version over a year old) to confirm again. Once per year per
    version (the notification key carries the year)."""
    now = now or timezone.now()
    asked = 0
    latest = PlanVersion.objects.values("plan_id").annotate(number=Max("number"))
    for row in latest:
        version = PlanVersion.objects.select_related("plan__place").get(
            plan_id=row["plan_id"], number=row["number"]
        )
        if version.published_at > now - RECONFIRM_AFTER:
            continue
        place = version.plan.place
        fresh = PlanConfirmation.objects.filter(
            version=version, confirmed_at__gt=now - RECONFIRM_AFTER
        ).values("user_id")
        users = place_people(place).exclude(pk__in=fresh)
        _ask_to_confirm(place, version, users, key_suffix=f":{now.year}")
        asked += users.count()
    return asked


def ask_new_member(role: PlaceRole) -> None:
    """A person given a role at a place with a published plan is asked to confirm it."""
    version = PlanVersion.objects.filter(plan__place_id=role.place_id).order_by("-number").first()
    if version is not None:
        _ask_to_confirm(role.place, version, [role.user])


# --- Alerts ---------------------------------------------------------------------------------


def _first_link(scenario):
    return scenario.links.order_by("position").first() if scenario else None


def _deliveries_for(alert, users, *, level: int, link=None) -> list[AlertDelivery]:
    """E-mail and push rows for `users` as their settings say, an SMS for the link's number."""
    users = users.exclude(pk=alert.sent_by_id) if alert.sent_by_id else users
    settings_off = NotificationSetting.objects.filter(user__in=users)
    no_email = set(settings_off.filter(email=False).values_list("user_id", flat=True))
    no_push = set(settings_off.filter(push=False).values_list("user_id", flat=True))
    with_device = set(
        PushSubscription.objects.filter(user__in=users).values_list("user_id", flat=True)
    )
    rows = []
    for user_id in users.values_list("pk", flat=True):
        key = f"user:{user_id}"
        if user_id not in no_email:
            rows.append(
                AlertDelivery(
                    alert=alert, channel=Channel.EMAIL, recipient=key, user_id=user_id, level=level
                )
            )
        if push_enabled() and user_id in with_device and user_id not in no_push:
            rows.append(
                AlertDelivery(
                    alert=alert, channel=Channel.PUSH, recipient=key, user_id=user_id, level=level
                )
            )
    if link is not None and link.phone:
        rows.append(
            AlertDelivery(
                alert=alert,
                channel=Channel.SMS,
                recipient=f"link:{link.pk}",
                link=link,
                level=level,
            )
        )
    return rows


def _alert_title(alert) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return _("Alert at %(place)s: %(text)s") % {"place": alert.place.name, "text": alert.text}


def _fan_out(alert, users, *, level: int, link=None) -> int:
    """Write the deliveries and notifications for `users` (call inside a transaction) and
    deliver them once it commits."""
    rows = _deliveries_for(alert, users, level=level, link=link)
    AlertDelivery.objects.bulk_create(rows, ignore_conflicts=True, batch_size=1000)
    notify(
        users=users.exclude(pk=alert.sent_by_id) if alert.sent_by_id else users,
        kind="alert",
        object_key=f"alert:{alert.pk}",
        title=_alert_title(alert),
        url=alert.get_absolute_url(),
        place=alert.place,
    )
    from amp_platform.celery import enqueue_on_commit

    from ..tasks import deliver_alert

    enqueue_on_commit(deliver_alert, alert_id=alert.pk)
    return len(rows)


def fan_out(*, alert_id: int) -> int:
    """The first fan-out of a new alert: one delivery per recipient and channel, the in-app
    notifications, and the first link's SMS. Exactly once: `fanned_out_at` is set with a
    conditional update in the same transaction (a second run writes nothing). Returns the
    rows written."""
    with transaction.atomic():
        claimed = Alert.objects.filter(pk=alert_id, fanned_out_at__isnull=True).update(
            fanned_out_at=timezone.now()
        )
        if not claimed:
            return 0
        alert = Alert.objects.select_related("place", "scenario").get(pk=alert_id)
        first = _first_link(alert.scenario)
        org_ids = list(alert.organisations.values_list("pk", flat=True))
        if org_ids and first is not None and first.organisation_id not in org_ids:
            org_ids.append(first.organisation_id)
        return _fan_out(alert, place_people(alert.place, org_ids or None), level=1, link=first)


def alert_send(*, place, actor, data: dict, form_key=None) -> Alert:
    """Save the alert and queue its deliveries (sent by a task once this commits)."""
    scenario = data.get("scenario")
    if scenario is not None and scenario.plan.place_id != place.pk:
        raise AlertError(_("Choose a scenario of this place."))
    from places.form_keys import AlreadySaved

    organisations = list(data.get("organisations") or [])
    now = timezone.now()
    if form_key and (existing := Alert.objects.filter(form_key=form_key).first()):
        raise AlreadySaved(existing)
    try:
        return _alert_save(place, actor, data, scenario, organisations, now, form_key)
    except IntegrityError:
        existing = Alert.objects.filter(form_key=form_key).first() if form_key else None
        if existing is None:
            raise
        raise AlreadySaved(existing) from None


def _alert_save(place, actor, data, scenario, organisations, now, form_key) -> Alert:
    with transaction.atomic():
        alert = Alert.objects.create(
            place=place,
            scenario=scenario,
            text=data["text"],
            severity=data.get("severity") or Alert.Severity.HIGH,
            lat=data.get("lat"),
            lon=data.get("lon"),
            sent_by=actor,
            created_at=now,
            form_key=form_key,
        )
        if organisations:
            alert.organisations.set(organisations)
        from ..webhook_events import emit_alert_created

        emit_alert_created(alert)
        first = _first_link(scenario)
        if first is not None and scenario.links.filter(position__gt=first.position).exists():
            alert.next_escalation_at = now + dt.timedelta(minutes=scenario.escalation_minutes)
            alert.save(update_fields=["next_escalation_at"])
        # The deliveries are written by a task: 500 people's rows would hold the sender's
        # phone for half a second. The sweeper fans out what a lost task left.
        from amp_platform.celery import enqueue_on_commit

        from ..tasks import fan_out_alert

        enqueue_on_commit(fan_out_alert, alert_id=alert.pk)
    return alert


def alert_answer(*, alert, actor, answer: str, organisation_id=None) -> AlertAnswer:
    if answer not in AlertAnswer.Answer.values:
        raise AlertError(_("Choose an answer."))
    now = timezone.now()
    with transaction.atomic():
        row, created = AlertAnswer.objects.get_or_create(
            alert=alert,
            user=actor,
            defaults={"answer": answer, "answered_at": now, "organisation_id": organisation_id},
        )
        if not created and row.answer != answer:
            row.answer = answer
            row.save(update_fields=["answer", "updated_at"])
    return row


def alert_close(*, alert, actor, outcome: str) -> bool:
    if outcome not in Alert.Outcome.values:
        raise AlertError(_("Choose an outcome."))
    return bool(
        Alert.objects.filter(pk=alert.pk, closed_at__isnull=True).update(
            closed_at=timezone.now(), closed_by=actor, outcome=outcome, next_escalation_at=None
        )
    )


def answer_board(alert) -> dict:
    """Answers and delivery counts for the live board: three queries."""
    answers = list(alert.answers.select_related("user", "organisation").order_by("answered_at"))
    counts = {
        row["answer"]: row["n"] for row in alert.answers.values("answer").annotate(n=Count("pk"))
    }
    deliveries = {
        (row["channel"], row["status"]): row["n"]
        for row in alert.deliveries.values("channel", "status").annotate(n=Count("pk"))
    }
    return {
        "answers": answers,
        "counts": [
            (choice, label, counts.get(choice, 0)) for choice, label in AlertAnswer.Answer.choices
        ],
        "deliveries": [
            {
                "channel": label,
                "sent": deliveries.get((code, Status.SENT), 0),
                "waiting": deliveries.get((code, Status.PENDING), 0)
                + deliveries.get((code, Status.SENDING), 0),
                "failed": deliveries.get((code, Status.FAILED), 0),
            }
            for code, label in Channel.choices
            if any(key[0] == code for key in deliveries)
        ],
    }


# --- Delivery -------------------------------------------------------------------------------


def _claim(alert_id, channel) -> tuple[str, list[AlertDelivery]]:
    token = uuid.uuid4().hex
    AlertDelivery.objects.filter(alert_id=alert_id, channel=channel, status=Status.PENDING).update(
        status=Status.SENDING, claim=token, claimed_at=timezone.now(), attempts=F("attempts") + 1
    )
    rows = list(
        AlertDelivery.objects.filter(claim=token, status=Status.SENDING).select_related(
            "user", "link"
        )
    )
    return token, rows


def _mark(pk, token, **values):
    AlertDelivery.objects.filter(pk=pk, claim=token, status=Status.SENDING).update(**values)


def _failed_or_pending(row, error) -> dict:
    final = row.attempts >= MAX_ATTEMPTS
    return {
        "status": Status.FAILED if final else Status.PENDING,
        "error": str(error)[:500],
        "claim": "",
    }


def _email_alert(alert, rows, token) -> None:
    from places.outbox import Mail, outbox_add

    url = absolute_url(alert.get_absolute_url())
    mails = []
    for row in rows:
        user = row.user
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {"alert": alert, "place": alert.place, "url": url, "user": user}
            subject = render_to_string("safety/email/alert_subject.txt", context)
            body = render_to_string("safety/email/alert_body.txt", context)
        mails.append(Mail(to=user.email, subject=subject, body=body, user=user))
    with transaction.atomic():
        outbox_add(kind="alert", object_key=str(alert.pk), mails=mails)
        AlertDelivery.objects.filter(pk__in=[r.pk for r in rows], claim=token).update(
            status=Status.SENT, sent_at=timezone.now(), error=""
        )


def deliver(*, alert_id: int) -> int:
    """Send every pending delivery of the alert once. Returns how many were sent."""
    alert = Alert.objects.select_related("place", "scenario").filter(pk=alert_id).first()
    if alert is None:
        return 0
    sent = 0
    token, rows = _claim(alert_id, Channel.EMAIL)
    if rows:
        _email_alert(alert, rows, token)
        sent += len(rows)
    token, rows = _claim(alert_id, Channel.PUSH)
    payload = {
        "title": _alert_title(alert),
        "body": alert.scenario.title if alert.scenario else "",
        "url": alert.get_absolute_url(),
        "tag": f"alert-{alert.pk}",
    }
    for row in rows:
        try:
            push_to_user(row.user, payload)
        except PushFailed as error:
            _mark(row.pk, token, **_failed_or_pending(row, error))
            continue
        _mark(row.pk, token, status=Status.SENT, sent_at=timezone.now(), error="")
        sent += 1
    token, rows = _claim(alert_id, Channel.SMS)
    text = f"{_alert_title(alert)} {absolute_url(alert.get_absolute_url())}"
    for row in rows:
        if row.link is None or not row.link.phone:
            _mark(row.pk, token, status=Status.FAILED, error="no number", claim="")
            continue
        try:
            send_sms(row.link.phone, text)
        except SmsError as error:
            _mark(row.pk, token, **_failed_or_pending(row, error))
            continue
        _mark(row.pk, token, status=Status.SENT, sent_at=timezone.now(), error="")
        sent += 1
    return sent


# --- Escalation and sweeping ----------------------------------------------------------------


def _answered_by_chain(alert, level: int) -> bool:
    """Whether someone of the first `level` links' organisations has seen or acts on it."""
    orgs = ContactLink.objects.filter(
        scenario_id=alert.scenario_id, position__lte=_position_of(alert, level)
    ).values("organisation_id")
    return alert.answers.filter(
        answer__in=[AlertAnswer.Answer.SEEN, AlertAnswer.Answer.ACTING],
        organisation_id__in=orgs,
    ).exists()


def _links(alert):
    return list(ContactLink.objects.filter(scenario_id=alert.scenario_id).order_by("position"))


def _position_of(alert, level: int) -> int:
    links = _links(alert)
    return links[min(level, len(links)) - 1].position if links else 0


def escalate(*, alert_id: int, now=None) -> bool:
    """Alert the next link of the chain if the alerted ones have not answered in time.
    Exactly once per link: the level moves with a conditional UPDATE."""
    now = now or timezone.now()
    alert = Alert.objects.select_related("place", "scenario").filter(pk=alert_id).first()
    if (
        alert is None
        or alert.closed_at is not None
        or alert.next_escalation_at is None
        or alert.next_escalation_at > now
    ):
        return False
    level = alert.escalation_level
    links = _links(alert)
    if _answered_by_chain(alert, level) or level >= len(links):
        Alert.objects.filter(pk=alert.pk, escalation_level=level).update(next_escalation_at=None)
        return False
    link = links[level]
    minutes = alert.scenario.escalation_minutes if alert.scenario else 10
    with transaction.atomic():
        moved = Alert.objects.filter(
            pk=alert.pk, escalation_level=level, closed_at__isnull=True
        ).update(
            escalation_level=level + 1,
            next_escalation_at=(now + dt.timedelta(minutes=minutes))
            if level + 1 < len(links)
            else None,
        )
        if not moved:
            return False
        _fan_out(
            alert, place_people(alert.place, [link.organisation_id]), level=level + 1, link=link
        )
    logger.info("Alert %s escalated to link %s", alert.pk, link.position)
    return True


def sweep(*, now=None) -> dict:
    """Beat, every minute: escalate what is due, put back deliveries a dead worker left in
    "sending", and enqueue delivery of alerts with pending rows."""
    now = now or timezone.now()
    escalated = sum(
        escalate(alert_id=pk, now=now)
        for pk in Alert.objects.filter(
            closed_at__isnull=True, next_escalation_at__lte=now
        ).values_list("pk", flat=True)[:200]
    )
    unsent = list(
        Alert.objects.filter(
            fanned_out_at__isnull=True, created_at__lt=now - FAN_OUT_GRACE
        ).values_list("pk", flat=True)[:200]
    )
    released = AlertDelivery.objects.filter(
        status=Status.SENDING, claimed_at__lt=now - CLAIM_TIMEOUT
    ).update(status=Status.PENDING, claim="")
    pending = list(
        AlertDelivery.objects.filter(status=Status.PENDING)
        .values_list("alert_id", flat=True)
        .distinct()[:200]
    )
    if pending or unsent:
        from amp_platform.celery import publish

        from ..tasks import deliver_alert, fan_out_alert

        for alert_id in unsent:
            publish(fan_out_alert, alert_id=alert_id)
        for alert_id in pending:
            publish(deliver_alert, alert_id=alert_id)
    return {
        "escalated": escalated,
        "released": released,
        "fanned_out": len(unsent),
        "pending_alerts": len(pending),
    }


# --- Figures --------------------------------------------------------------------------------


def alert_figures(place, start_at, end_at) -> dict:
    """Alerts per scenario, median minutes to the first answer, confirmation coverage of the
    current plan. Four queries, whatever the number of alerts (the medians' input is one
    number per answered alert)."""
    # Written as SQL (issue #20), the statements the ORM built: it cost more than the database.
    alerts = Alert._meta.db_table
    within = [raw_sql.param(Alert, start_at), raw_sql.param(Alert, end_at), place.pk]
    where = "a.created_at >= %s AND a.created_at < %s AND a.place_id = %s"
    rows = raw_sql.read(
        Alert,
        "SELECT s.title, COUNT(a.id), COUNT(a.id) FILTER (WHERE a.escalation_level > %s) "
        f"FROM {alerts} a LEFT JOIN {Scenario._meta.db_table} s ON s.id = a.scenario_id "
        f"WHERE {where} GROUP BY 1 ORDER BY 2 DESC, 1 ASC",
        [1, *within],
    )
    by_scenario = [{"scenario": title or "", "count": n} for title, n, _escalated in rows]
    moment = raw_sql.converter(Alert._meta.get_field("created_at"), model=Alert)
    minutes = [
        (moment(first) - moment(created)).total_seconds() / 60
        for created, first in raw_sql.read(
            Alert,
            "SELECT a.created_at, MIN(r.answered_at) "
            f"FROM {alerts} a LEFT JOIN {AlertAnswer._meta.db_table} r ON r.alert_id = a.id "
            f"WHERE {where} GROUP BY a.id HAVING MIN(r.answered_at) IS NOT NULL",
            within,
        )
    ]
    return {
        "total": sum(row["count"] for row in by_scenario),
        "by_scenario": by_scenario,
        "escalated": sum(escalated for _title, _n, escalated in rows),
        "answered": len(minutes),
        "median_first_answer_minutes": round(statistics.median(minutes), 1) if minutes else None,
        "coverage": plan_coverage(place),
    }


def home_alert_actions(user, roles) -> list:
    """The home's quick action per place with open alerts (issue #16): "Larm (n)"."""
    from django.db.models import Count
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from places.home import QuickAction

    from ..models import Alert

    place_ids = [role.place_id for role in roles]
    if not place_ids:
        return []
    counts = dict(
        Alert.objects.visible_to(user)
        .filter(place_id__in=place_ids, closed_at__isnull=True)
        .values_list("place_id")
        .annotate(n=Count("pk"))
        .values_list("place_id", "n")
    )
    return [
        QuickAction(
            _("Open alerts"),
            reverse("safety:alert_list", kwargs={"place_slug": role.place.slug}),
            count=counts[role.place_id],
            place_id=role.place_id,
            urgent=True,
        )
        for role in roles
        if counts.get(role.place_id)
    ]
