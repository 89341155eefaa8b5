"""Demo catalogue: Monmouthshire's ~80 applications, and a few of its partners' systems.

Facts from the seeds: Flo (adult services) and Plant (children's services) were designed by
CMC2, whose board curtailed software development on 23 March 2015; SRS took over their
maintenance; the Wales Community Care Information System (WCCIS) may replace them; the
Connected Worker is the Operations work-management application built in house; the council
has around 80 applications, from large corporate finance and information systems to small
bespoke ones, many with common elements (customer databases, workflow, case management).
The rest is plausible: some systems shared with partners, some contracts ending within months,
some records incomplete. Dates are relative to the day of loading. Idempotent through ``ensure``.

The trail reads as the catalogue's story: a system is recorded when its earliest dated fact
happened (CMC2's work on Flo in 2012) or when the catalogue began, its contracts when awarded,
owners' comments when written and reviews when done, by the people the demo names.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.text import slugify

from govtrack.demo import STORY_START, ensure, happened
from govtrack.models import Directorate, Organisation
from govtrack.people import members_of
from systems_catalogue.models import (
    DEFAULT_REQUIRED_FIELDS,
    Capability,
    CatalogueSettings,
    Contract,
    Integration,
    OwnerComment,
    Supplier,
    System,
)

CAPABILITIES = [
    "Case management",
    "Customer database",
    "Workflow",
    "Document management",
    "Finance",
    "Payroll and HR",
    "Mapping (GIS)",
    "Asset management",
    "Payments",
    "Reporting and analytics",
    "Scheduling",
    "Mobile working",
    "Website and content",
    "Collaboration",
    "Identity and access",
    "Revenues and benefits",
    "Education management",
    "Library management",
    "Planning and building control",
    "Licensing",
    "Electoral registration",
    "Waste management",
    "Highways",
    "Contact centre and telephony",
    "Procurement",
    "Backup and recovery",
]

# Directorate slugs: ceu (Chief Executive's Unit), cyp, ent, ops, res, sch (Social Care and Health).
DIRECTORATE_SLUGS = {
    "ceu": "chief-executives-unit",
    "cyp": "children-and-young-people",
    "ent": "enterprise",
    "ops": "operations",
    "res": "resources",
    "sch": "social-care-and-health",
}
HOSTING = {
    "op": System.Hosting.ON_PREMISES,
    "dc": System.Hosting.PROVIDER_DATA_CENTRE,
    "sa": System.Hosting.CLOUD,
    "": "",
}
CRITICALITY = {"c": "critical", "h": "high", "m": "medium", "l": "low", "": ""}
PERSONAL = {"n": "none", "p": "personal", "s": "special", "": ""}
LIFECYCLE = {"L": "live", "R": "being_replaced", "P": "planned", "X": "retired"}

# name, directorate, supplier, product, hosting, criticality, personal data, capabilities (;),
# lifecycle, owner (username or ""), partners using the same product (;), contract:
# (months until it ends, or None for no contract; annual licence; annual support; notice days), purpose
# fmt: off
SYSTEMS = [
    ("Flo", "sch", "SRS", "Flo", "dc", "c", "s", "Case management;Workflow;Mobile working", "R", "risk.officer", "",
     None, "Adult social care case management, designed by CMC2 with practitioners."),
    ("Plant", "sch", "SRS", "Flo", "dc", "c", "s", "Case management;Workflow", "R", "risk.officer", "",
     None, "Children's services case management: the children's version of Flo."),
    ("WCCIS", "sch", "Careworks", "WCCIS", "sa", "c", "s", "Case management;Workflow;Mobile working", "P",
     "risk.officer", "blaenau-gwent;newport;torfaen", None,
     "Wales Community Care Information System: the national option SRS is monitoring to replace Flo."),
    ("Paris Care Finance", "sch", "Civica", "Paris", "dc", "h", "s", "Payments;Finance", "L", "risk.officer", "",
     (9, Decimal("21000"), Decimal("6000"), 90), "Charging and payments to care providers."),
    ("Telecare monitoring", "sch", "Tunstall", "PNC8", "sa", "c", "s", "Contact centre and telephony;Case management",
     "L", "", "torfaen", (14, Decimal("18500"), None, 90), "Alarm monitoring for people living at home."),
    ("Care home placements", "sch", "", "", "", "m", "s", "Case management", "L", "", "", None, ""),
    ("Direct payments portal", "sch", "Civica", "Payments portal", "sa", "m", "s", "Payments", "L", "risk.officer",
     "", (26, Decimal("7200"), Decimal("1500"), 60), "Online account for people receiving direct payments."),
    ("Occupational therapy equipment", "sch", "Elms Solutions", "Elms", "sa", "m", "p", "Asset management", "L", "",
     "", (3, Decimal("4100"), None, 30), "Equipment loans for occupational therapy."),
    ("Connected Worker", "ops", "SRS", "Connected Worker", "dc", "h", "p", "Scheduling;Workflow;Mobile working", "L",
     "digital.manager", "", None,
     "Operations work management, built in house; potential for commercialisation with nearby councils."),
    ("Bartec Collective", "ops", "Bartec Municipal Technologies", "Collective", "sa", "h", "p",
     "Customer database;Mobile working;Waste management", "L", "digital.manager", "newport",
     (5, Decimal("26000"), Decimal("4000"), 90), "Waste and recycling collections, in-cab devices and crews."),
    ("Highways asset register", "ops", "Yotta", "Alloy", "sa", "h", "n", "Asset management;Mapping (GIS);Highways",
     "L", "", "", (20, Decimal("31000"), None, 90), "Roads, structures, street lighting and inspections."),
    ("Street lighting CMS", "ops", "Telensa", "PLANet", "sa", "m", "n", "Asset management;Highways", "L", "", "",
     (31, Decimal("9000"), None, 90), "Central management of dimmable street lights."),
    ("Fleet management", "ops", "Jaama", "Key2", "sa", "m", "p", "Asset management;Scheduling", "L", "", "",
     (11, Decimal("6500"), None, 60), "Vehicle maintenance, licences and MOTs."),
    ("Grounds maintenance scheduling", "ops", "", "", "op", "l", "n", "Scheduling", "L", "", "", None,
     "Spreadsheet-based rota to be replaced by Connected Worker."),
    ("Passenger transport", "ops", "Trapeze", "Trapeze Novus", "dc", "h", "p", "Case management;Scheduling", "L", "",
     "torfaen", (7, Decimal("14000"), Decimal("3000"), 90), "School and social care transport planning."),
    ("Cemeteries register", "ops", "Gower Consultants", "Epitaph", "op", "l", "p", "Customer database", "L", "", "",
     (38, Decimal("1800"), None, 30), "Burials and grave ownership."),
    ("Car parking enforcement", "ops", "NSL", "Civil enforcement", "sa", "m", "p", "Payments;Mobile working", "L", "",
     "", (2, Decimal("12000"), None, 90), "Penalty charge notices and permits."),
    ("Agresso financials", "res", "Unit4", "Agresso", "dc", "c", "p", "Procurement;Reporting and analytics;Finance",
     "L", "digital.manager", "", (16, Decimal("98000"), Decimal("22000"), 180),
     "General ledger, purchasing and accounts payable for the council."),
    ("iTrent payroll and HR", "res", "MHR", "iTrent", "sa", "c", "s", "Payroll and HR", "L", "digital.manager",
     "newport;torfaen", (10, Decimal("64000"), Decimal("9000"), 180), "Payroll, HR records and self-service."),
    ("Revenues and benefits", "res", "Northgate Public Services", "Revenues & Benefits", "dc", "c", "s",
     "Revenues and benefits;Customer database;Document management", "L", "digital.manager", "blaenau-gwent;torfaen",
     (5, Decimal("112000"), Decimal("18000"), 180),
     "Council tax, business rates, housing benefit and council tax reduction."),
    ("Document management (revenues)", "res", "Northgate Public Services", "Information@Work", "dc", "h", "s",
     "Workflow;Document management", "L", "", "", (5, Decimal("15000"), None, 180),
     "Scanning and workflow for revenues and benefits."),
    ("Income management", "res", "Civica", "ICON", "dc", "c", "p", "Payments;Finance", "L", "digital.manager",
     "blaenau-gwent", (8, Decimal("23000"), Decimal("4000"), 90), "Cash receipting and card payments."),
    ("Payment card gateway", "res", "Capita", "Pay360", "sa", "h", "p", "Payments", "L", "", "",
     (13, Decimal("8800"), None, 90), "Online and telephone card payments."),
    ("Procurement portal", "res", "Proactis", "Etenderwales", "sa", "m", "n", "Procurement", "L", "", "", None,
     "Tenders through the national Etenderwales service."),
    ("Contracts register", "res", "", "", "op", "m", "n", "Procurement;Document management", "L", "org.admin", "",
     None, "Spreadsheet of contracts, being replaced by this catalogue."),
    ("Microsoft 365", "res", "Microsoft", "Microsoft 365", "sa", "c", "p",
     "Document management;Collaboration;Identity and access", "L", "digital.manager",
     "blaenau-gwent;newport;torfaen;gwent-police", (17, Decimal("245000"), None, 90),
     "Email, Teams, SharePoint and Office for all staff (licences through the SRS agreement)."),
    ("Active Directory", "res", "SRS", "Active Directory", "dc", "c", "p", "Identity and access", "L",
     "digital.manager", "blaenau-gwent;newport;torfaen", None, "Accounts and sign-in, run by SRS."),
    ("Backup service", "res", "SRS", "Veeam", "dc", "c", "s", "Backup and recovery", "L", "digital.manager",
     "newport;torfaen", (22, Decimal("16000"), None, 90), "Backups of council servers in the SRS data centre."),
    ("Performance management", "ceu", "Ideagen", "Pentana", "sa", "m", "n", "Reporting and analytics", "L",
     "org.admin", "", (6, Decimal("9500"), None, 90), "Service plans, indicators and risks."),
    ("Committee management", "ceu", "Civica", "Modern.gov", "sa", "m", "p", "Document management;Website and content",
     "L", "org.admin", "blaenau-gwent;newport;torfaen", (12, Decimal("7800"), None, 90),
     "Agendas, minutes and decisions published online."),
    ("Electoral registration", "ceu", "Xpress Software Solutions", "Xpress", "dc", "c", "s", "Electoral registration",
     "L", "", "", (19, Decimal("14500"), Decimal("2500"), 90), "The electoral register and elections."),
    ("Corporate website", "ceu", "Jadu", "Jadu CXM", "sa", "h", "p", "Customer database;Workflow;Website and content",
     "L", "org.admin", "", (9, Decimal("28000"), None, 90), "monmouthshire.gov.uk and online forms."),
    ("My Monmouthshire app", "ceu", "Granicus", "Firmstep", "sa", "h", "p",
     "Customer database;Workflow;Mobile working", "L", "org.admin", "", (4, Decimal("19000"), None, 90),
     "Customer accounts, reporting and requests."),
    ("Contact centre telephony", "ceu", "Mitel", "MiContact Center", "dc", "c", "p", "Contact centre and telephony",
     "L", "", "newport", (27, Decimal("21000"), Decimal("5000"), 90), "Hub and contact centre calls."),
    ("Customer relationship management", "ceu", "Microsoft", "Dynamics 365", "sa", "h", "p",
     "Case management;Customer database;Workflow", "P", "org.admin", "", None, "Planned single customer record."),
    ("Freedom of information tracker", "ceu", "iCasework", "iCasework", "sa", "m", "p", "Case management;Workflow",
     "L", "", "", (2, Decimal("5200"), None, 30), "Requests for information, complaints and compliments."),
    ("Intranet", "ceu", "SRS", "SharePoint", "dc", "m", "n", "Website and content;Collaboration", "L", "", "", None,
     "The Hub intranet."),
    ("Land charges", "ent", "Idox", "Uniform", "dc", "h", "p", "Planning and building control;Mapping (GIS)", "L", "",
     "newport", (15, Decimal("11000"), None, 90), "Local land charges searches."),
    ("Planning and building control", "ent", "Idox", "Uniform", "dc", "c", "p",
     "Workflow;Planning and building control;Document management;Mapping (GIS)", "L", "", "newport;torfaen",
     (15, Decimal("46000"), Decimal("8000"), 90), "Planning applications, building regulations and enforcement."),
    ("Planning public access", "ent", "Idox", "Public Access", "dc", "m", "p", "Website and content", "L", "", "",
     (15, Decimal("6000"), None, 90), "Online planning register."),
    ("Corporate GIS", "ent", "Esri UK", "ArcGIS", "dc", "h", "n", "Mapping (GIS)", "L", "", "blaenau-gwent",
     (10, Decimal("17000"), None, 60), "Mapping for every service; PSMA data from Ordnance Survey."),
    ("Local land and property gazetteer", "ent", "Idox", "GGP", "dc", "h", "n", "Customer database;Mapping (GIS)",
     "L", "", "", (15, Decimal("5500"), None, 90), "Addresses for every council system."),
    ("Licensing", "ent", "Idox", "Uniform", "dc", "m", "p", "Case management;Licensing", "L", "", "", None,
     "Taxi, alcohol and entertainment licences."),
    ("Environmental health", "ent", "Idox", "Uniform", "dc", "h", "p", "Case management;Mobile working", "L", "", "",
     None, "Food safety, pollution and public health."),
    ("Trading standards", "ent", "Idox", "Uniform", "dc", "m", "p", "Case management", "L", "", "", None,
     "Complaints, investigations and inspections."),
    ("Tourism website", "ent", "NewMind", "Destination CMS", "sa", "l", "n", "Website and content", "L", "", "",
     (3, Decimal("6800"), None, 30), "Visit Monmouthshire."),
    ("Leisure bookings", "ent", "Gladstone", "Plus2", "dc", "m", "p", "Payments;Customer database;Scheduling", "L",
     "", "", (7, Decimal("13000"), Decimal("2000"), 90), "MonLife leisure centres memberships and bookings."),
    ("Museums collections", "ent", "Axiell", "Modes", "op", "l", "n", "Asset management", "L", "", "",
     (40, Decimal("1200"), None, 30), "Collections of the county's museums."),
    ("Library management", "ent", "Civica", "Spydus", "sa", "m", "p", "Library management;Customer database", "L", "",
     "blaenau-gwent;newport;torfaen", (21, Decimal("16500"), None, 90),
     "Library catalogue and membership, on the all-Wales consortium."),
    ("Markets", "ent", "", "", "op", "l", "p", "Payments", "L", "", "", None, ""),
    ("Economic development CRM", "ent", "Evolutive", "Evolutive", "sa", "l", "p", "Customer database", "L", "", "",
     (1, Decimal("3400"), None, 30), "Business support enquiries."),
    ("Rural development grants", "ent", "", "", "", "", "", "", "L", "", "", None, ""),
    ("Education management (SIMS)", "cyp", "Capita", "SIMS", "dc", "c", "s", "Education management;Customer database",
     "R", "", "blaenau-gwent;newport;torfaen", (6, Decimal("52000"), Decimal("9000"), 180),
     "School management information for all schools; moving to a cloud product."),
    ("Education management (cloud)", "cyp", "ESS", "SIMS Next Gen", "sa", "c", "s", "Education management", "P", "",
     "", None, "Planned replacement for on-premises SIMS."),
    ("Admissions and transport", "cyp", "Capita", "One", "dc", "h", "s", "Education management;Case management", "L",
     "", "", (6, Decimal("27000"), None, 180), "School admissions, free school meals and transport."),
    ("Additional learning needs", "cyp", "Capita", "One", "dc", "h", "s", "Case management", "L", "", "", None,
     "Individual development plans."),
    ("Youth service records", "cyp", "", "", "", "m", "s", "Case management", "L", "", "", None, ""),
    ("Schools broadband", "cyp", "SRS", "Hwb network", "dc", "h", "n", "", "L", "", "blaenau-gwent;newport;torfaen",
     None, "Connectivity for schools through the Hwb programme."),
    ("Hwb learning platform", "cyp", "Welsh Government", "Hwb", "sa", "h", "p", "Education management;Collaboration",
     "L", "", "blaenau-gwent;newport;torfaen", None, "National digital learning platform."),
    ("School meals payments", "cyp", "ParentPay", "ParentPay", "sa", "m", "p", "Payments", "L", "", "",
     (8, Decimal("9800"), None, 60), "Cashless catering and trips."),
    ("Early years funding", "cyp", "", "", "op", "l", "p", "Finance", "L", "", "", None, "Childcare offer claims."),
    ("Housing register", "ent", "Abritas", "Abritas", "sa", "h", "s", "Case management;Customer database", "L", "",
     "", (11, Decimal("12500"), None, 90), "Common housing register with housing associations."),
    ("Homelessness case management", "ent", "Jigsaw", "Jigsaw", "sa", "h", "s", "Case management", "L", "", "",
     (3, Decimal("8900"), None, 90), "Homelessness prevention and duty cases."),
    ("Disabled facilities grants", "ent", "", "", "op", "m", "s", "Case management;Workflow", "L", "", "", None, ""),
    ("Registrars", "ceu", "General Register Office", "RON", "sa", "h", "s", "Customer database", "L", "", "", None,
     "Births, deaths and marriages (national system)."),
    ("Coroner liaison", "ceu", "", "", "", "l", "s", "", "L", "", "", None, ""),
    ("Insurance claims", "res", "Figtree Systems", "Figtree", "sa", "m", "p", "Case management", "L", "", "",
     (12, Decimal("7000"), None, 90), "Claims against the council."),
    ("Legal case management", "ceu", "Iken", "Iken", "dc", "m", "s", "Case management;Document management", "L", "",
     "torfaen", (23, Decimal("10500"), None, 90), "Legal services matters and time recording."),
    ("Print management", "res", "Ricoh", "Streamline NX", "dc", "l", "n", "", "L", "", "",
     (5, Decimal("4800"), None, 90), "Follow-me printing."),
    ("Mobile device management", "res", "Microsoft", "Intune", "sa", "h", "p", "Mobile working;Identity and access",
     "L", "digital.manager", "newport;torfaen", None, "Council phones and tablets."),
    ("Service desk", "res", "SRS", "Hornbill", "sa", "h", "p", "Case management;Workflow", "L", "digital.manager",
     "blaenau-gwent;newport;torfaen;gwent-police", None, "SRS service desk for all partners."),
    ("Business intelligence", "res", "Microsoft", "Power BI", "sa", "m", "p", "Reporting and analytics", "L",
     "digital.manager", "", None, "Dashboards over finance, HR and service data."),
    ("Time recording", "res", "", "", "op", "l", "p", "Payroll and HR", "X", "", "", None,
     "Flexitime clocking, retired when iTrent self-service went live."),
    ("Lotus Notes applications", "res", "IBM", "Notes", "op", "m", "p", "Workflow;Document management", "R", "", "",
     None, "Legacy workflow databases still to migrate to SharePoint."),
    ("Old financials archive", "res", "", "", "op", "l", "p", "Finance", "R", "", "", None,
     "Read-only ledger archive from before Agresso."),
    ("CCTV", "ops", "Synectics", "Synergy", "op", "m", "p", "", "L", "", "", (2, Decimal("6000"), None, 30),
     "Town centre cameras."),
    ("Building management", "res", "Trend Controls", "963", "op", "m", "n", "Asset management", "L", "", "",
     (28, Decimal("4400"), None, 90), "Heating and energy controls in council buildings."),
    ("Property asset management", "res", "Technology Forge", "Tf Cloud", "sa", "m", "n", "Asset management", "L", "",
     "", (9, Decimal("11000"), None, 90), "Estates, leases and condition surveys."),
    ("Energy monitoring", "res", "Stark", "Stark", "sa", "l", "n", "Reporting and analytics", "L", "", "",
     (4, Decimal("2600"), None, 30), "Meter readings and carbon reporting."),
]
# fmt: on

DEFAULT_OWNERS = {"sch": "risk.officer", "res": "digital.manager", "ops": "digital.manager"}

# end of support dates (months ago) for systems past it. Flo and Plant are not: SRS supports them now.
PAST_SUPPORT = {
    "Lotus Notes applications": 30,
    "Old financials archive": 60,
    "Education management (SIMS)": 2,
}

#: Systems developed by someone other than who supports them now (the seeds: CMC2 designed Flo and Plant).
DEVELOPERS = {"Flo": "CMC2", "Plant": "CMC2", "Connected Worker": "SRS"}

#: How systems without a supplier contract are sourced (the rest come from a supplier under contract).
SOURCING = {
    **dict.fromkeys(["Flo", "Plant", "Connected Worker", "Active Directory", "Backup service", "Intranet",
                     "Service desk", "Schools broadband"], System.Sourcing.SHARED_SERVICE),
    **dict.fromkeys(["Hwb learning platform", "Registrars", "Procurement portal"], System.Sourcing.NATIONAL),
    **dict.fromkeys(["Grounds maintenance scheduling", "Contracts register", "Markets", "Early years funding",
                     "Disabled facilities grants", "Youth service records", "Coroner liaison",
                     "Rural development grants", "Care home placements"], System.Sourcing.IN_HOUSE),
}

#: CMC2's development of Flo and Plant, ended when its board curtailed software development on 23 March 2015.
CMC2_STARTED = date(2012, 4, 1)
CMC2_ENDED = date(2015, 3, 23)
#: SRS's support of Flo and Plant since CMC2 stopped.
SRS_SUPPORT_STARTED = date(2015, 6, 1)
#: The catalogue began after the 2016 follow-up review asked for a complete database of systems (P4).
CATALOGUE_START = date(2016, 9, 1)

PARTNER_SYSTEMS = {
    "newport": [
        ("Revenues and benefits", "Northgate Public Services", "Revenues & Benefits"),
        ("Planning", "Idox", "Uniform"),
        ("Social services", "Careworks", "WCCIS"),
        ("Payroll", "MHR", "iTrent"),
    ],
    "torfaen": [
        ("Council tax", "Northgate Public Services", "Revenues & Benefits"),
        ("Adult and children's social care", "Careworks", "WCCIS"),
        ("HR and payroll", "MHR", "iTrent"),
    ],
}

COMMENTS = [
    (
        "Flo",
        560,
        "risk.officer",
        "CMC2's board curtailed software development on 23 March 2015. SRS has taken over maintenance and a "
        "former CMC2 developer is contracted to SRS for three months to hand the system over.",
    ),
    (
        "Flo",
        200,
        "risk.officer",
        "Users like Flo, but care plan report formats still look unprofessional and Health practitioners create "
        "duplicate records. We are assessing WCCIS as the long-term option.",
    ),
    ("Plant", 200, "risk.officer", "Same support arrangement as Flo through SRS. Any WCCIS decision covers both."),
    (
        "Revenues and benefits",
        90,
        "digital.manager",
        "Contract ends soon; Torfaen and Blaenau Gwent use the same product through SRS, so a joint procurement is "
        "being explored.",
    ),
    ("Agresso financials", 40, "digital.manager", "Upgrade to the cloud version planned with the renewal."),
]

INTEGRATIONS = [
    ("Flo", "Plant", "Shared client index"),
    ("Flo", "Paris Care Finance", "Care packages for charging"),
    ("Paris Care Finance", "Agresso financials", "Provider payments"),
    ("Revenues and benefits", "Document management (revenues)", "Scanned correspondence"),
    ("Income management", "Agresso financials", "Daily cash postings"),
    ("iTrent payroll and HR", "Agresso financials", "Payroll journal"),
    ("My Monmouthshire app", "Bartec Collective", "Missed bin reports"),
    ("Connected Worker", "Highways asset register", "Jobs and inspections"),
    ("Local land and property gazetteer", "Planning and building control", "Addresses"),
]


def _months(today: date, months: int) -> date:
    return today + relativedelta(months=months)


def _reviewed(system: System, on: date | None) -> None:
    """The owner's last review, recorded as a change on the day of the review."""
    if on is None or system.last_reviewed_on == on:
        return
    with happened(on, by=system.owner):
        system.last_reviewed_on = on
        system.save()


def _recorded_on(name: str, contract_awarded: date | None, today: date) -> date:
    """When a system entered the catalogue: its earliest dated fact, or the catalogue's start."""
    facts = [CATALOGUE_START, contract_awarded or CATALOGUE_START]
    if name in ("Flo", "Plant"):
        facts.append(CMC2_STARTED)
    facts += [today - timedelta(days=days) for system, days, _a, _t in COMMENTS if system == name]
    return min(facts)


def load() -> list[str]:
    today = timezone.localdate()
    org = Organisation.objects.filter(slug="monmouthshire").first()
    people = {u.username: u for u in members_of(org)} if org is not None else {}
    keeper = people.get("digital.manager")  # Head of Digital and Technology: keeps the catalogue
    capabilities = {name: ensure(Capability, slug=slugify(name), defaults={"name": name}, on=STORY_START, by=keeper)
                    for name in CAPABILITIES}
    if org is None:
        return []
    ensure(CatalogueSettings, organisation=org, defaults={"required_fields": list(DEFAULT_REQUIRED_FIELDS)},
           on=CATALOGUE_START, by=keeper)
    directorates = {d.slug: d for d in Directorate.objects.filter(organisation=org)}
    partners = {o.slug: o for o in Organisation.objects.all()}
    systems = {}
    recorded: dict[str, date] = {}
    ending_soon = 0
    for (
        name,
        dslug,
        supplier_name,
        product,
        hosting,
        crit,
        personal,
        caps,
        life,
        owner,
        shared,
        contract,
        purpose,
    ) in SYSTEMS:
        awarded = None
        if contract:
            awarded = _months(today, contract[0]) - relativedelta(years=3) - timedelta(days=45)
        on = recorded[name] = _recorded_on(name, awarded, today)
        supplier = ensure(Supplier, organisation=org, name=supplier_name, on=on, by=keeper) if supplier_name else None
        # Systems with a purpose and a supplier have an owner (their directorate's lead when none is named);
        # the rest are the gaps the catalogue exists to close.
        if not owner and purpose and supplier_name:
            owner = DEFAULT_OWNERS.get(dslug, "org.admin")
        complete = bool(owner)
        # Most owned systems were reviewed this year; every seventh is overdue, as Flo and Plant are.
        overdue = name in ("Flo", "Plant") or len(systems) % 7 == 3
        system = ensure(
            System,
            organisation=org,
            name=name,
            on=on,
            by=keeper,
            defaults={
                "purpose": purpose,
                "directorate": directorates.get(DIRECTORATE_SLUGS[dslug]),
                "owner": people.get(owner),
                "supplier": supplier,
                "product": product,
                "hosting": HOSTING[hosting],
                "criticality": CRITICALITY[crit],
                "personal_data": PERSONAL[personal],
                "lifecycle": LIFECYCLE[life],
                "sourcing": SOURCING.get(name, System.Sourcing.SUPPLIER),
                "developer": ensure(Supplier, organisation=org, name=DEVELOPERS[name], on=on, by=keeper)
                if name in DEVELOPERS else None,
                "end_of_support_on": _months(today, -PAST_SUPPORT[name]) if name in PAST_SUPPORT else None,
            },
        )
        # Recorded with its capabilities and partners (in the row of its creation, when it is new).
        system.capabilities.set([capabilities[c] for c in caps.split(";") if c])
        system.shared_with.set([partners[s] for s in shared.split(";") if s])
        _reviewed(system, (today - timedelta(days=400 if overdue else 120)) if complete else None)
        systems[name] = system
        if contract:
            months, licence, support, notice = contract
            end = _months(today, months)
            start = end - relativedelta(years=3)
            annual = (licence or 0) + (support or 0)
            ensure(
                Contract,
                system=system,
                reference=f"MCC-ICT-{len(systems):03d}",
                on=start - timedelta(days=45),
                by=keeper,
                defaults={
                    "supplier": supplier,
                    "start_on": start,
                    "end_on": end,
                    "awarded_on": start - timedelta(days=45),
                    "notice_period_days": notice,
                    "annual_licence_cost": licence,
                    "annual_support_cost": support,
                    "one_off_cost": Decimal("0.00") if complete else None,
                    "total_value": Decimal(annual * 3).quantize(Decimal("0.01")),
                    "procurement_route": Contract.ProcurementRoute.FRAMEWORK if annual > 20000 else "",
                    "renewal_terms": "Option to extend by up to two further years." if annual > 20000 else "",
                },
            )
            ending_soon += months <= 6
    # CMC2 developed Flo and Plant until 2015 (ended contracts, kept as history); SRS supports them since.
    srs = ensure(Supplier, organisation=org, name="SRS", on=CMC2_STARTED, by=keeper)
    cmc2 = ensure(Supplier, organisation=org, name="CMC2", on=CMC2_STARTED, by=keeper)
    for name in ("Flo", "Plant"):
        ensure(
            Contract,
            system=systems[name],
            reference=f"CMC2-DEV-{name.upper()}",
            on=CMC2_STARTED,
            by=keeper,
            defaults={
                "title": f"{name} design and development",
                "supplier": cmc2,
                "start_on": CMC2_STARTED,
                "end_on": CMC2_ENDED,
                "procurement_route": Contract.ProcurementRoute.DIRECT_AWARD,
                "renewal_terms": "Ended: CMC2's board curtailed software development on 23 March 2015.",
            },
        )
        ensure(
            Contract,
            system=systems[name],
            reference=f"SRS-SUPPORT-{name.upper()}",
            on=SRS_SUPPORT_STARTED,
            by=keeper,
            defaults={
                "title": f"{name} maintenance and technical support",
                "supplier": srs,
                "start_on": SRS_SUPPORT_STARTED,
                "end_on": _months(today, 4),
                "notice_period_days": 90,
                "annual_support_cost": Decimal("45000") if name == "Flo" else Decimal("20000"),
                "procurement_route": Contract.ProcurementRoute.COLLABORATIVE,
                "renewal_terms": "Rolls forward each year within the SRS partnership agreement.",
            },
        )
    for name, days_ago, author, text in COMMENTS:
        written = today - timedelta(days=days_ago)
        ensure(
            OwnerComment,
            system=systems[name],
            author=people[author],
            text=text,
            defaults={"written_on": written},
            on=written,
            by=people[author],
        )
    for source, target, what in INTEGRATIONS:
        ensure(Integration, source=systems[source], target=systems[target], defaults={"description": what},
               on=max(recorded[source], recorded[target]), by=keeper)
    partner_count = 0
    for slug, rows in PARTNER_SYSTEMS.items():
        partner = partners.get(slug)
        if partner is None:
            continue
        for name, supplier_name, product in rows:
            supplier = ensure(Supplier, organisation=partner, name=supplier_name, on=CATALOGUE_START)
            ensure(
                System,
                organisation=partner,
                name=name,
                defaults={"supplier": supplier, "product": product, "lifecycle": System.Lifecycle.LIVE},
                on=CATALOGUE_START,
            )
            partner_count += 1
    incomplete = System.objects.filter(organisation=org).with_completeness().filter(cmp_missing__gt=0).count()
    return [
        f"Systems catalogue: {len(SYSTEMS)} Monmouthshire systems ({incomplete} incomplete, {ending_soon} contracts "
        f"ending within 6 months), {partner_count} partner systems, {len(CAPABILITIES)} capabilities.",
    ]
