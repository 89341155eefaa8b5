"""docker-compose.yml describes the production stack the README promises."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_compose_has_the_whole_stack_with_healthchecks_and_volumes():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "postgres", "redis"}
    for name, service in services.items():
        assert "healthcheck" in service, name
    assert "gunicorn" in services["web"]["command"]
    assert "worker" in services["worker"]["command"] and "beat" in services["beat"]["command"]
    assert {"pgdata", "media"} <= set(compose["volumes"])
    assert "media:/app/media" in services["web"]["volumes"]
    assert services["web"]["environment"]["DATABASE_URL"].startswith("postgres://")
    assert services["worker"]["environment"]["CELERY_BROKER_URL"].startswith("redis://")


def test_env_example_names_every_variable_the_settings_read():
    import re

    settings_source = (ROOT / "govtrack" / "settings.py").read_text()
    read = set(
        re.findall(r'env(?:_bool|_int|_list|\.str|\.db_url|\.email_url|\.cache_url)\(\s*"([A-Z_]+)"', settings_source)
    )
    example = (ROOT / ".env.example").read_text()
    missing = sorted(name for name in read if f"{name}=" not in example)
    assert not missing, f".env.example does not mention {missing}"
