"""The pages a public-sector service must have: accessibility statement, privacy notice, help.

They are public (no sign-in), in both languages, and name the body that runs this govtrack and
how to reach it, from the GOVTRACK_OPERATOR and GOVTRACK_CONTACT_EMAIL settings.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

# Plain-English meanings of the words govtrack's pages use, in the order a newcomer meets them.
GLOSSARY = [
    (_("Register"),
     _("A list of risks kept by one part of the organisation. Project registers sit under directorate "
       "registers, which sit under the corporate register.")),
    (_("Likelihood"),
     _("How probable it is that the risk happens, on a scale of 1 (rare) to 5 (almost certain).")),
    (_("Impact"),
     _("How bad it would be if the risk happened, on a scale of 1 (minor) to 5 (severe).")),
    (_("Score"),
     _("Likelihood multiplied by impact, from 1 to 25. The higher the score, the more serious the risk.")),
    (_("Inherent score"),
     _("How serious the risk would be with no controls in place.")),
    (_("Residual (current) score"),
     _("How serious the risk is now, with the controls that are in place. This is the score most pages show.")),
    (_("Target score"),
     _("How serious the risk should be once the planned actions are done.")),
    (_("Band"),
     _("The colour and name a score falls in on the organisation's risk matrix, such as low, medium, high or"
       " very high.")),
    (_("Appetite"),
     _("The highest score the organisation is willing to accept for a kind of risk. A risk above appetite "
       "needs an action to bring it down.")),
    (_("Threshold"),
     _("The score at which a risk on a register must be considered by the register above it.")),
    (_("Escalation"),
     _("Passing a risk up to the register above, for its owner to accept or reject. An accepted risk shows "
       "on both registers as the same risk.")),
    (_("Heat map"),
     _("A grid of likelihood against impact showing how many risks sit in each cell.")),
    (_("Review date"),
     _("The date by which the owner should look at a record again. After that date it is overdue.")),
    (_("Overdue"),
     _("Past its due date and not finished. A date due today is due today, not overdue.")),
    (_("RAG"),
     _("Red, amber or green: a quick rating of whether something is on track (green), at risk (amber) or off"
       " track (red).")),
    (_("SLA"),
     _("A service level agreement: what the shared service or a supplier promises to deliver to a partner, "
       "and how that is measured.")),
    (_("Service line"),
     _("One promise in an SLA, with its measure and target, for example 99.5% availability each month.")),
    (_("Measurement"),
     _("The figure actually achieved by a service line in one month or quarter.")),
    (_("Breach"),
     _("A measurement that missed its target. Repeated breaches are escalated.")),
    (_("Proposal"),
     _("Something an auditor, a scrutiny review or a business plan asked the organisation to do.")),
    (_("Action"),
     _("A step the organisation will take, with an owner and a due date, towards a proposal or to reduce a "
       "risk.")),
    (_("Evidence"),
     _("A file or link that shows an action was done.")),
    (_("Board pack"),
     _("The PDF report prepared for a board meeting from govtrack's figures.")),
    (_("Governance gap"),
     _("Something missing that good governance needs: a directorate without a register, a critical system "
       "with no risk recorded, an overdue review.")),
    (_("Notice date"),
     _("The last day to tell a supplier that a contract will not be renewed.")),
    (_("End of support"),
     _("The date after which the supplier no longer fixes or updates a system.")),
    (_("Archived"),
     _("Kept for the record but no longer in use. Archived records can be restored.")),
]


def _contact():
    email = settings.GOVTRACK_CONTACT_EMAIL
    if email:
        return format_html('<a class="govuk-link" href="mailto:{0}">{0}</a>', email)
    return gettext("your organisation's govtrack administrator")


def _page(request, template, **extra):
    operator = settings.GOVTRACK_OPERATOR or gettext("the organisation that provides this service")
    context = {"operator": operator, "operator_title": operator[:1].upper() + operator[1:],
               "contact": _contact(), **extra}
    return render(request, f"govtrack/information/{template}.html", context)


def accessibility(request):
    return _page(request, "accessibility", tested_on=settings.GOVTRACK_ACCESSIBILITY_TESTED_ON)


def privacy(request):
    return _page(request, "privacy")


def help_page(request):
    return _page(request, "help", glossary=GLOSSARY)
