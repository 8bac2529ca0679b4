"""Django REST framework without its translation catalogue.

DRF's Swedish catalogue translates some of Django's own messages differently ("This field is
required." → "Det här fältet är obligatoriskt." instead of Django's "Detta fält måste fyllas
i."), and an app's catalogue outranks Django's, so installing DRF would change the words of every
form on every page. Pointing the app at a folder without `locale/` (this one; DRF's templates
and static files are not used: the API renders JSON only) keeps Django's words; the API's own
messages are in our catalogues.
"""

from pathlib import Path

from rest_framework.apps import RestFrameworkConfig


class RestFrameworkWithoutCatalogue(RestFrameworkConfig):
    path = str(Path(__file__).resolve().parent)
