"""The reader's language, for records that carry their own Swedish and English names.

The product is Swedish first: a category, an activity kind or a figures row has `name_sv` and
`name_en`, and a reader sees the English one only when they read English. Readers of the public
pages in Arabic or Somali see the Swedish name (the place's own word, as on its signs). This is
the one definition; models, charts, figures dicts and templates ask here."""

from django.utils.translation import get_language


def reads_english() -> bool:
    return (get_language() or "sv").startswith("en")


def name_key(sv: str = "name_sv", en: str = "name_en") -> str:
    """Which of the two names the reader reads: asked once for a list of many rows."""
    return en if reads_english() else sv


def localised_name(item, sv: str = "name_sv", en: str = "name_en") -> str:
    """`item`'s name in the reader's language; `item` is a dict (figures rows) or a record."""
    key = name_key(sv, en)
    return item[key] if isinstance(item, dict) else getattr(item, key)
