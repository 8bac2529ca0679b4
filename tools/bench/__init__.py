"""The benchmarks (issue #12, #20): a Django app that production does not install.

Its management commands (`bench`, `bench_dashboard`, `bench_reports`, `bench_api`,
`bench_alerts`, `bench_import`) run under `DJANGO_SETTINGS_MODULE=tools.bench.settings`, which is
the real settings plus this app; the tests install it too. Like the rest of `tools/`, it may
import any app and no app imports it.
"""
