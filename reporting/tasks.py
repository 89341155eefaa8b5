"""Celery tasks of reporting: thin wrappers that call the one function."""

from celery import shared_task

from reporting import packs
from reporting.models import BoardPack


@shared_task(soft_time_limit=600, time_limit=660)
def build_board_pack_task(pack_id: int) -> str:
    """Build one board pack; a failure is recorded on the pack (and can be retried from its page)."""
    pack = BoardPack.objects.filter(pk=pack_id).first()
    if pack is None:
        return "missing"
    return packs.build_pack(pack=pack).status
