"""The demo: realistic data for every app, seeded by `manage.py seed_demo` (`make run`).

It sits above every domain app (it imports them all, none imports it) and refuses to run with
DEBUG=0, because it creates accounts with a known password."""
