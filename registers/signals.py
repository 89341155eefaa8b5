"""Cache invalidation only (STYLE.md): a changed matrix, band or category clears its organisation's cached matrix."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from registers.models import MatrixBand, RiskCategory, RiskMatrix


@receiver([post_save, post_delete], sender=RiskMatrix)
@receiver([post_save, post_delete], sender=MatrixBand)
@receiver([post_save, post_delete], sender=RiskCategory)
def forget_cached_matrix(sender, instance, **kwargs):
    organisation_id = instance.organisation_id if sender is RiskMatrix else (
        RiskMatrix.objects.filter(pk=instance.matrix_id).values_list("organisation_id", flat=True).first())
    if organisation_id is not None:
        cache.delete(RiskMatrix.cache_key(organisation_id))
