"""Demo data, core part: places, organisations, people and their roles.

`python manage.py seed_demo` runs `seed_core` first, then each area's `seed(ctx)` (see the
command). Everything is idempotent: identities are looked up by natural keys, and the volume
data of each area is created only when that area has none yet.
"""

import datetime as dt
import random
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import Group
from django.utils import timezone
from stdnum import luhn
from stdnum.se import orgnr

from accounts.models import Organisation, User
from partnerships.models import Membership
from places.models import Place, PlaceRole


def org_number(base9: str) -> str:
    """Complete nine digits with the Luhn check digit: a valid organisationsnummer."""
    return orgnr.format(base9 + luhn.calc_check_digit(base9))


def _ring(lon, lat, dlon, dlat):
    return [
        [lon - dlon, lat - dlat],
        [lon + dlon, lat - dlat],
        [lon + dlon, lat + dlat],
        [lon - dlon, lat + dlat],
        [lon - dlon, lat - dlat],
    ]


PLACES = [
    {
        "slug": "mollevangstorget",
        "name": "Möllevångstorget",
        "kind": Place.Kind.SQUARE,
        "municipality": "Malmö",
        "centre": (55.5907, 13.0106),
        "size": (0.0018, 0.0009),
        "description": (
            "Torget och kvarteren runt omkring. Fastighetsägare, handlare, Malmö stad och polisen "
            "samverkar för en trygg, ren och levande plats – dag som kväll."
        ),
    },
    {
        "slug": "drottninggatan",
        "name": "Drottninggatan",
        "kind": Place.Kind.STREET,
        "municipality": "Stockholm",
        "centre": (59.3353, 18.0620),
        "size": (0.0012, 0.0040),
        "description": (
            "Citygatan från Gamla stan till Observatorielunden. Citysamverkan med fastighetsägare, "
            "handel, staden och polisen."
        ),
    },
    {
        "slug": "husby-centrum",
        "name": "Husby centrum",
        "kind": Place.Kind.CENTRE,
        "municipality": "Stockholm",
        "centre": (59.4102, 17.9266),
        "size": (0.0022, 0.0011),
        "description": (
            "Centrumanläggningen med torg, tunnelbaneuppgång och gångstråk. Bostadsbolag, "
            "handlare, föreningar och staden arbetar tillsammans."
        ),
    },
]

# key: (name, organisationsnummer, kind)
ORGANISATIONS = {
    "malmo_stad": ("Malmö stad", "2120001124", Organisation.Kind.MUNICIPALITY),
    "stockholms_stad": ("Stockholms stad", "2120000142", Organisation.Kind.MUNICIPALITY),
    "polisen": ("Polismyndigheten", "2021000076", Organisation.Kind.POLICE),
    "mollan_fastigheter": ("Fastighets AB Möllan", org_number("556701234"), "property_owner"),
    "torghuset": ("Torghuset i Malmö AB", org_number("556812345"), "property_owner"),
    "drottninghuset": ("Drottninghuset Fastigheter AB", org_number("556923456"), "property_owner"),
    "husby_hem": ("Bostads AB Husby Hem", org_number("556034567"), "housing_company"),
    "mollans_livs": ("Möllans Livs & Frukt AB", org_number("559145678"), "business"),
    "citybutiken": ("Citybutiken Drottninggatan AB", org_number("559256789"), "business"),
    "husby_apotek": ("Husby Centrumapotek AB", org_number("559367890"), "business"),
    "trygg_stad": ("Väktarbolaget Trygg Stad AB", org_number("556478901"), "security_company"),
    "regiontrafik": ("Regiontrafiken Syd AB", org_number("556589012"), "public_transport"),
    "mollans_vanner": ("Föreningen Möllevångens Vänner", org_number("802012345"), "association"),
    "husby_foretagare": ("Husby Företagarförening", org_number("802123456"), "association"),
    "citysamverkan": ("Citysamverkan Stockholm", org_number("802234567"), "association"),
    "studieforbundet": ("Studieförbundet Grannskap", org_number("802345678"), "other"),
}

# slug: [(organisation key, membership role)]
MEMBERSHIPS = {
    "mollevangstorget": [
        ("malmo_stad", "funder"),
        ("polisen", "member"),
        ("mollan_fastigheter", "board"),
        ("torghuset", "board"),
        ("mollans_livs", "member"),
        ("trygg_stad", "member"),
        ("regiontrafik", "member"),
        ("mollans_vanner", "member"),
    ],
    "drottninggatan": [
        ("stockholms_stad", "funder"),
        ("polisen", "member"),
        ("drottninghuset", "board"),
        ("citybutiken", "member"),
        ("citysamverkan", "board"),
        ("trygg_stad", "member"),
    ],
    "husby-centrum": [
        ("stockholms_stad", "funder"),
        ("polisen", "member"),
        ("husby_hem", "board"),
        ("husby_apotek", "member"),
        ("husby_foretagare", "board"),
        ("studieforbundet", "member"),
    ],
}

# key: (email, full name, organisation key, staff, [(place slug, role)])
PEOPLE = {
    "admin": ("admin@example.org", "Alva Admin", None, True, []),
    "manager": (
        "manager@example.org",
        "Maja Lindqvist",
        "mollan_fastigheter",
        False,
        [("mollevangstorget", "manager")],
    ),
    "reporter": (
        "reporter@example.org",
        "Rami Haddad",
        "trygg_stad",
        False,
        [("mollevangstorget", "reporter")],
    ),
    "member": (
        "member@example.org",
        "Mona Persson",
        "mollans_livs",
        False,
        [("mollevangstorget", "reader")],
    ),
    "outsider": (
        "outsider@example.org",
        "Olle Berg",
        "citybutiken",
        False,
        [("drottninggatan", "reader")],
    ),
    # City officials read the places where the city is a member through a reader role.
    "reviewer": (
        "reviewer@example.org",
        "Rebecka Sjöberg",
        "malmo_stad",
        False,
        [("mollevangstorget", "reader")],
    ),
    "applicant": ("applicant@example.org", "Amir Karimi", "husby_foretagare", False, []),
    "police": (
        "police@example.org",
        "Peter Nilsson",
        "polisen",
        False,
        [("mollevangstorget", "reader"), ("drottninggatan", "reader")],
    ),
    "city": (
        "city@example.org",
        "Cecilia Holm",
        "malmo_stad",
        False,
        [("mollevangstorget", "reader")],
    ),
    "manager_stockholm": (
        "manager.stockholm@example.org",
        "Sara Ek",
        "citysamverkan",
        False,
        [("drottninggatan", "manager"), ("husby-centrum", "manager")],
    ),
    "owner": (
        "owner@example.org",
        "Lars Torg",
        "torghuset",
        False,
        [("mollevangstorget", "reader")],
    ),
}


@dataclass
class DemoContext:
    places: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    now: dt.datetime = field(default_factory=timezone.now)
    log: list = field(default_factory=list)

    def say(self, message: str):
        self.log.append(message)


def seed_core(ctx: DemoContext) -> None:
    for key, (name, number, kind) in ORGANISATIONS.items():
        org, _ = Organisation.objects.get_or_create(
            org_number=orgnr.format(number), defaults={"name": name, "kind": kind}
        )
        ctx.orgs[key] = org
    for spec in PLACES:
        lat, lon = spec["centre"]
        dlat, dlon = spec["size"]
        place, _ = Place.objects.get_or_create(
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "kind": spec["kind"],
                "municipality": spec["municipality"],
                "description": spec["description"],
                "boundary": {"type": "Polygon", "coordinates": [_ring(lon, lat, dlon, dlat)]},
                "centre_lat": lat,
                "centre_lon": lon,
            },
        )
        ctx.places[spec["slug"]] = place
    for slug, members in MEMBERSHIPS.items():
        for org_key, role in members:
            Membership.objects.get_or_create(
                organisation=ctx.orgs[org_key],
                place=ctx.places[slug],
                until=None,
                defaults={"role": role, "since": dt.date(2024, 1, 1)},
            )
    reviewers = Group.objects.get(name="Reviewers")
    for key, (email, full_name, org_key, is_staff, roles) in PEOPLE.items():
        user = User.objects.filter(email=email).first()
        if user is None:
            user = User.objects.create_user(
                email=email,
                password=settings.DEMO_PASSWORD,
                full_name=full_name,
                organisation=ctx.orgs.get(org_key),
                is_staff=is_staff,
                is_superuser=is_staff,
            )
        from allauth.account.models import EmailAddress

        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        for slug, role in roles:
            PlaceRole.objects.get_or_create(
                user=user,
                place=ctx.places[slug],
                defaults={"role": role, "organisation": ctx.orgs.get(org_key)},
            )
        if key == "reviewer":
            user.groups.add(reviewers)
        ctx.users[key] = user
    ctx.say(f"{len(ctx.places)} places, {len(ctx.orgs)} organisations, {len(ctx.users)} demo users")
