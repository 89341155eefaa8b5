"""A refused request is logged once, in one line; a server error keeps its traceback."""

import logging
import logging.config

from django.conf import settings


def _configured_handler():
    logging.config.dictConfig(settings.LOGGING)
    return logging.getLogger("django.request")


def test_a_403_is_logged_once_without_a_traceback_and_a_500_with_one(client, login, officer_b, org_a, capsys):
    logger = _configured_handler()
    try:
        raise PermissionError("refused")
    except PermissionError:
        logger.warning("Forbidden (Permission denied): /x/", exc_info=True, extra={"status_code": 403})
    try:
        raise ValueError("broken")
    except ValueError:
        logger.error("Internal Server Error: /y/", exc_info=True, extra={"status_code": 500})
    err = capsys.readouterr().err
    assert err.count("Forbidden (Permission denied): /x/") == 1
    assert "PermissionError" not in err
    assert err.count("Internal Server Error: /y/") == 1 and "ValueError: broken" in err
