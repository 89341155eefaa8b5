"""CSV/XLSX import and export of risks, through govtrack's shared import layer.

A council's own register (for example Fenland's published corporate register) imports
through a column mapping. Each row is one risk; owners who are not govtrack users are kept
as text; actions listed in one cell (separated by ";" or new lines) become the risk's
actions; a score column, when present, must equal likelihood x impact.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields

from govtrack import cells
from govtrack.dbfunctions import JoinTexts
from govtrack.imports import GovtrackResource, register_importer
from govtrack.people import members_of
from registers.models import Register, Risk, RiskAction, RiskCategory, RiskMatrix


def _text(value) -> str:
    return "" if value is None else str(value).strip()


class RiskResource(GovtrackResource):
    kind = "risks"
    url_options = ("register",)
    aliases = {
        "reference": ["ref", "Risk ref", "Risk reference", "Risk number", "Risk no", "ID"],
        "title": ["risk", "Risk", "Risk title", "Risk description", "Description"],
        "effect": ["effects", "Consequences", "Consequence", "Impact description"],
        "existing_controls": ["Controls", "Existing controls", "Mitigating factors", "Mitigation"],
        "progress": ["comments_progress", "Comments", "Progress", "Progress comments", "Update"],
        "officer": ["risk_owner", "Owner", "Risk owner", "Officer owner", "Lead officer"],
        "member_owner": ["Member owner", "Cabinet member", "Portfolio holder"],
        "actions": ["actions_to_manage_risk", "Actions", "Future actions", "Further actions"],
        "inherent_likelihood": ["Inherent L", "Gross likelihood"],
        "inherent_impact": ["Inherent I", "Gross impact"],
        "current_likelihood": ["Current L", "Residual likelihood", "Net likelihood"],
        "current_impact": ["Current I", "Residual impact", "Net impact"],
        "inherent_score": ["Inherent risk score", "Gross score"],
        "current_score": ["Residual score", "Net score", "Current risk score"],
        "category_name": ["category", "Risk category", "Category"],
        "register_slug": ["register", "Register"],
    }

    register_slug = fields.Field(column_name="register_slug")
    category_name = fields.Field(column_name="category_name")
    officer = fields.Field(column_name="officer")
    actions = fields.Field(column_name="actions")
    inherent_score = fields.Field(column_name="inherent_score")
    current_score = fields.Field(column_name="current_score")

    class Meta:
        model = Risk
        fields = ["reference", "title", "cause", "event", "effect", "register_slug", "category_name", "officer",
                  "member_owner", "inherent_likelihood", "inherent_impact", "inherent_score", "current_likelihood",
                  "current_impact", "current_score", "target_likelihood", "target_impact", "existing_controls",
                  "actions", "progress", "review_date", "status"]
        import_id_fields = ["reference"]
        skip_unchanged = True
        report_skipped = True

    # -- export ------------------------------------------------------------------------------------
    def get_queryset(self):
        actions = (RiskAction.objects.filter(risk=OuterRef("pk")).order_by().values("risk_id")
                   .annotate(text=JoinTexts("description")).values("text"))
        # The actions joined in the database: no prefetch, so an export is one query however long.
        return (super().get_queryset().select_related("register", "category", "officer_owner")
                .annotate(actions_text=Subquery(actions[:1])))

    def filter_export(self, queryset, **kwargs):
        """With a register named, its risks as its page shows them: its own and those escalated to it."""
        slug = self.options.get("register")
        if not slug:
            return queryset
        register = Register.objects.active().for_organisation(self.organisation).filter(slug=slug).first()
        return queryset.on_register(register) if register else queryset.none()

    def dehydrate_register_slug(self, risk: Risk) -> str:
        return risk.register.slug

    def dehydrate_category_name(self, risk: Risk) -> str:
        return risk.category.name if risk.category_id else ""

    def dehydrate_officer(self, risk: Risk) -> str:
        return risk.officer_owner.username if risk.officer_owner_id else risk.owner_name

    def dehydrate_actions(self, risk: Risk) -> str:
        if hasattr(risk, "actions_text"):
            return risk.actions_text or ""
        return "; ".join(a.description for a in risk.actions.all())

    def dehydrate_inherent_score(self, risk: Risk) -> int | None:
        return risk.inherent_score

    def dehydrate_current_score(self, risk: Risk) -> int | None:
        return risk.current_score

    # -- import ------------------------------------------------------------------------------------
    def _default_register(self) -> Register | None:
        if not hasattr(self, "_default"):
            registers = Register.objects.active().for_organisation(self.organisation)
            slug = self.options.get("register")
            self._default = (registers.filter(slug=slug).first() if slug
                             else registers.filter(level=Register.Level.CORPORATE).order_by("pk").first())
        return self._default

    def _register_for(self, row) -> Register | None:
        slug = _text(row.get("register_slug"))
        if not slug:
            return self._default_register()
        if not hasattr(self, "_registers"):
            self._registers = {r.slug: r for r in Register.objects.active().for_organisation(self.organisation)}
        return self._registers.get(slug)

    @classmethod
    def generated_columns(cls, options: dict) -> set[str]:
        """With ``generate_references``, a register published without IDs imports: references are made up."""
        return {"reference"} if options.get("generate_references") else set()

    def get_instance(self, instance_loader, row):
        """A risk is identified by its reference within its register (by its title, when references are made up)."""
        register = self._register_for(row)
        reference = _text(row.get("reference"))
        if register is None:
            return None
        if not reference and self.options.get("generate_references"):
            title = _text(row.get("title"))
            match = self.get_queryset().filter(register=register, title__iexact=title).first() if title else None
            row["reference"] = match.reference if match else self._next_reference(register)
            return match
        if not reference:
            return None
        return self.get_queryset().filter(register=register, reference=reference).first()

    def _next_reference(self, register: Register) -> str:
        """The register's next free reference, e.g. CORPORATE-007, counting those made up in this file too."""
        prefix = register.slug.upper()[:20] + "-"
        taken = getattr(self, "_taken", None)
        if taken is None:
            taken = self._taken = set(Risk.objects.filter(register__organisation=self.organisation)
                                      .values_list("reference", flat=True))
        number = 1
        while f"{prefix}{number:03d}" in taken:
            number += 1
        reference = f"{prefix}{number:03d}"
        taken.add(reference)
        return reference

    def _matrix(self) -> RiskMatrix:
        if not hasattr(self, "_matrix_cache"):
            self._matrix_cache = RiskMatrix.for_organisation(self.organisation)
        return self._matrix_cache

    def _person(self, text: str):
        if not hasattr(self, "_people"):
            self._people = list(members_of(self.organisation))
        wanted = text.lower()
        for person in self._people:
            if wanted in {person.username.lower(), (person.email or "").lower(), person.get_full_name().lower()}:
                return person
        return None

    SCORE_COLUMNS = tuple(f"{p}_{a}" for p in ("inherent", "current", "target") for a in ("likelihood", "impact"))

    def _read_scores(self, row) -> dict[str, list[str]]:
        """Each score cell as a whole number on the matrix's scale, or a plain error: never rounded."""
        matrix = self._matrix()
        errors = {}
        for name in self.SCORE_COLUMNS:
            if name not in row:
                continue
            high = matrix.likelihood_levels if name.endswith("likelihood") else matrix.impact_levels
            try:
                row[name] = cells.whole_number(row[name], low=1, high=high)
            except cells.CellError as exc:
                errors[name] = [str(exc)]
                row[name] = None
        for name in ("inherent_score", "current_score"):
            if _text(row.get(name)):
                try:
                    row[name] = cells.whole_number(row[name], low=1, high=matrix.max_score)
                except cells.CellError as exc:
                    errors[name] = [str(exc)]
                    row[name] = None
        return errors

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        score_errors = self._read_scores(row)
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as exc:
            errors.update(exc.message_dict)
        errors.update(score_errors)
        register = self._register_for(row)
        if register is None:
            slug = _text(row.get("register_slug")) or self.options.get("register")
            errors["register"] = [_("No active register called %(slug)s.") % {"slug": slug} if slug else
                                  _("No corporate register to import into: create it, or give a register column.")]
        else:
            instance.register = register
        category = _text(row.get("category_name"))
        if category:
            instance.category = RiskCategory.objects.filter(matrix=self._matrix(), name__iexact=category).first()
            if instance.category is None:
                errors["category_name"] = [_("No category called %(name)s in the risk matrix.") % {"name": category}]
        owner = _text(row.get("officer"))
        if "officer" in row:
            person = self._person(owner) if owner else None
            instance.officer_owner, instance.owner_name = person, "" if person else owner
        for prefix in ("inherent", "current"):
            given = row.get(f"{prefix}_score")
            likelihood, impact = getattr(instance, f"{prefix}_likelihood"), getattr(instance, f"{prefix}_impact")
            if isinstance(given, int) and likelihood and impact and given != likelihood * impact:
                errors[f"{prefix}_score"] = [_("The score %(given)s is not likelihood x impact (%(l)s x %(i)s).")
                                             % {"given": given, "l": likelihood, "i": impact}]
        if errors:
            raise ValidationError(errors)

    def after_save_instance(self, instance, row, **kwargs):
        """Each action in the actions cell becomes one of the risk's actions, once."""
        super().after_save_instance(instance, row, **kwargs)
        cell = _text(row.get("actions"))
        if not cell:
            return
        existing = set(RiskAction.objects.filter(risk=instance).values_list("description", flat=True))
        for description in (part.strip() for part in re.split(r";\s+|;$|\n", cell)):
            if description and description not in existing:
                RiskAction.objects.create(risk=instance, description=description)
                existing.add(description)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if original is not None and _text(row.get("actions")):
            wanted = {p.strip() for p in re.split(r";\s+|;$|\n", _text(row["actions"])) if p.strip()}
            have = set(original.actions.values_list("description", flat=True)) if original.pk else set()
            if not wanted <= have:
                return False
        return super().skip_row(instance, original, row, import_validation_errors)


register_importer(RiskResource, label=gettext_lazy("Risks"), list_url_name="registers:register_list")
