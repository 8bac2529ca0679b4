"""The benchmarks are a Django app that production does not install (issue #12)."""

from django.core.management import get_commands

import amp_platform.settings as production

BENCH_COMMANDS = [
    "bench",
    "bench_dashboard",
    "bench_reports",
    "bench_api",
    "bench_alerts",
    "bench_import",
]


def test_production_settings_do_not_install_the_bench():
    assert not [app for app in production.INSTALLED_APPS if "bench" in app]


def test_the_bench_settings_and_the_tests_install_it():
    import tools.bench.settings as bench_settings

    assert "tools.bench" in bench_settings.INSTALLED_APPS
    commands = get_commands()
    assert {name: commands.get(name) for name in BENCH_COMMANDS} == dict.fromkeys(
        BENCH_COMMANDS, "tools.bench"
    )
