"""The demo data set loaded by `flask --app portal seed-demo`: fictional firms, brands, investors and staff.

Every name, person and number here is invented. The data is planned first from a fixed random seed
(pure Python, no database), then written in one transaction, skipping firms and accounts that exist:
so a second run finds everything and creates nothing.
"""

import random
import re
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from sqlalchemy import func

from portal.accounts.models import Role, User
from portal.accounts.passwords import hash_password
from portal.extensions import db
from portal.suppliers.models import (
    Capability,
    Certificate,
    Firm,
    FirmMember,
    ListingStatus,
    MemberRole,
    ReviewStatus,
)
from portal.suppliers.service import create_firm
from portal.taxonomy import PROVINCES, category_rows, sync_taxonomy
from portal.taxonomy.models import CertificationType, Process
from portal.timeutil import today, utcnow
from portal.transactions import one_act

DEMO_PASSWORD = "demo-portal-2026"
SEED = 2026

# One account per role, for trying the portal: (email, role, full name, organisation).
DEMO_ACCOUNTS = [
    ("supplier@demo.edb.example", Role.SUPPLIER, "Sadia Rehman", "Indus Circuitworks (Pvt) Ltd"),
    ("brand@demo.edb.example", Role.BRAND, "Emma Thornbury", "Crescent Mobile Ltd"),
    ("investor@demo.edb.example", Role.INVESTOR, "Omar Farooq Baig", "Karakoram Growth Partners"),
    ("staff@demo.edb.example", Role.STAFF, "Asma Durrani", "Engineering Development Board"),
]

# More sourcing managers and investors, so lists and matches look lived-in.
EXTRA_ACCOUNTS = [
    ("j.ekberg@nordlys.example", Role.BRAND, "Jonas Ekberg", "Nordlys Devices AS"),
    ("sourcing@orchidmobile.example", Role.BRAND, "Mei Ling Tan", "Orchid Mobile Sdn Bhd"),
    ("procurement@zephyrion.example", Role.BRAND, "Katrin Vogelsang", "Zephyrion Handsets GmbH"),
    ("a.diallo@sahelconnect.example", Role.BRAND, "Aminata Diallo", "Sahel Connect Ltd"),
    ("partners@saltorocapital.example", Role.INVESTOR, "Hira Qadeer", "Saltoro Capital"),
    ("deals@deosaifund.example", Role.INVESTOR, "Faisal Hamdani", "Deosai Impact Fund"),
    ("r.alnuaimi@gulfmeridian.example", Role.INVESTOR, "Rashid Al-Nuaimi", "Gulf Meridian Investments"),
]

# The demo supplier's firm, fixed so the account always shows the same verified listing.
FLAGSHIP = {
    "prefix": "Indus",
    "noun": "Circuitworks",
    "legal_form": " (Pvt) Ltd",
    "trade_name": "Indus Circuitworks",
    "category": "pcba",
    "extra": ["charger"],
    "province": "Punjab",
    "city": "Lahore",
    # (certification, days until expiry): one expires soon so reminders have something to show.
    "certificates": [("iso-9001", 420), ("ipc-a-610", 610), ("rohs", 21)],
}

# Invented first words of firm names: rivers, passes, peaks and Urdu words; paired with a noun per category.
NAME_PREFIXES = (
    "Indus", "Ravi", "Chenab", "Jhelum", "Sutlej", "Margalla", "Karakoram", "Hunza", "Potohar", "Thar",
    "Kirthar", "Makran", "Bolan", "Hingol", "Keenjhar", "Soan", "Kunhar", "Gomal", "Zhob", "Ziarat",
    "Neelum", "Kaghan", "Deosai", "Shandur", "Tirich", "Rakaposhi", "Saltoro", "Khunjerab", "Lowari",
    "Babusar", "Sabz", "Roshan", "Zarnab", "Tarang", "Falak", "Sitara", "Kiran", "Mehtab", "Qamar",
    "Parwaz", "Nayab", "Chinar", "Kohsar", "Badban", "Taban", "Ujala", "Zarrin", "Azraq", "Sarsabz",
    "Dastak", "Sehar", "Shafaq", "Noorbagh", "Kalash", "Hanna", "Ormara", "Sonmiani", "Haleji", "Manchar",
    "Satpara", "Attabad", "Passu", "Gulmit", "Naltar", "Malam", "Shogran", "Banjosa", "Rawal", "Simly",
)  # fmt: skip

# Legal forms with weights: most firms are private limited companies.
LEGAL_FORMS = ((" (Pvt) Ltd", 55), (" (Private) Limited", 15), (" (SMC-Pvt) Ltd", 8), ("", 17), (" Ltd", 5))

FIRST_NAMES = (
    "Adeel", "Amna", "Asad", "Bushra", "Danish", "Farah", "Fahad", "Hina", "Haris", "Iqra", "Junaid",
    "Kashif", "Lubna", "Mahnoor", "Nabeel", "Naveed", "Rabia", "Rizwan", "Saad", "Saima", "Shahzad",
    "Tahira", "Usman", "Waqas", "Zainab", "Zeeshan", "Sobia", "Owais", "Mehwish", "Tariq",
)  # fmt: skip
LAST_NAMES = (
    "Abbasi", "Awan", "Baig", "Bhatti", "Butt", "Chaudhry", "Dar", "Gondal", "Hashmi", "Jamali", "Kazmi",
    "Khattak", "Lodhi", "Memon", "Mirza", "Niazi", "Paracha", "Qazi", "Rana", "Shaikh", "Soomro", "Tareen",
    "Warraich", "Zaidi", "Kakar", "Baloch", "Durrani", "Siddiqui",
)  # fmt: skip


class City(NamedTuple):
    name: str
    weight: int
    area_code: str
    localities: tuple[str, ...]


CITIES = {
    "Punjab": (
        City("Lahore", 30, "42", ("Sundar Industrial Estate, Raiwind Road", "Quaid-e-Azam Industrial Estate, Kot Lakhpat",
                                  "Multan Road", "Main Ferozepur Road")),
        City("Faisalabad", 10, "41", ("M-3 Industrial City, Sahianwala", "Sargodha Road", "Jhang Road")),
        City("Gujranwala", 8, "55", ("Gujranwala Industrial Estate, G.T. Road", "Sialkot Road")),
        City("Sialkot", 8, "52", ("Small Industrial Estate, Shahab Pura Road", "Daska Road")),
        City("Rawalpindi", 8, "51", ("Chaklala Scheme III", "Adiala Road", "Peshawar Road")),
        City("Multan", 6, "61", ("Multan Industrial Estate, Phase II", "Vehari Road")),
        City("Gujrat", 3, "53", ("G.T. Road", "Bhimber Road")),
        City("Sheikhupura", 3, "56", ("Lahore-Sheikhupura Road", "Sargodha Road")),
        City("Kasur", 2, "49", ("Lahore-Kasur Road",)),
        City("Bahawalpur", 2, "62", ("Small Industrial Estate", "Ahmedpur Road")),
    ),
    "Sindh": (
        City("Karachi", 30, "21", ("S.I.T.E. Area", "Korangi Industrial Area", "North Karachi Industrial Area",
                                   "Port Qasim Industrial Zone", "Federal B. Industrial Area")),
        City("Hyderabad", 6, "22", ("S.I.T.E. Area", "Kotri Road")),
        City("Nooriabad", 3, "25", ("Nooriabad Industrial Estate",)),
        City("Sukkur", 2, "71", ("S.I.T.E. Area", "Military Road")),
    ),
    "Khyber Pakhtunkhwa": (
        City("Peshawar", 6, "91", ("Hayatabad Industrial Estate", "Kohat Road")),
        City("Haripur", 5, "995", ("Hattar Industrial Estate", "Hattar Special Economic Zone")),
        City("Nowshera", 2, "923", ("Risalpur Industrial Estate",)),
        City("Mardan", 2, "937", ("Mardan Industrial Estate",)),
        City("Abbottabad", 2, "992", ("Mansehra Road",)),
    ),
    "Balochistan": (
        City("Quetta", 4, "81", ("Sariab Road", "Industrial Area, Sirki Road")),
        City("Hub", 4, "853", ("Hub Industrial Trading Estate",)),
        City("Gwadar", 1, "86", ("Gwadar Free Zone",)),
    ),
    "Islamabad Capital Territory": (
        City("Islamabad", 1, "51", ("I-9 Industrial Area", "I-10/3 Industrial Area", "Kahuta Road Industrial Triangle")),
    ),
    "Gilgit-Baltistan": (
        City("Gilgit", 3, "5811", ("Jutial", "Danyore Road")),
        City("Skardu", 1, "5815", ("College Road",)),
    ),
    "Azad Jammu and Kashmir": (
        City("Mirpur", 4, "5827", ("Industrial Area, Sector F-1", "Allama Iqbal Road")),
        City("Muzaffarabad", 3, "5822", ("Chattar Klass", "Upper Chattar")),
        City("Bhimber", 1, "5828", ("Samahni Road",)),
    ),
}  # fmt: skip

# Firms per province besides Punjab, which takes the rest: the industry sits mostly in Punjab and Sindh.
PROVINCE_QUOTAS = {
    "Sindh": 46,
    "Khyber Pakhtunkhwa": 18,
    "Islamabad Capital Territory": 14,
    "Azad Jammu and Kashmir": 9,
    "Balochistan": 7,
    "Gilgit-Baltistan": 4,
}
# Provinces far from the electronics hubs get only simple (phase 1) lines: housings, cables, packaging.
REMOTE_PROVINCES = ("Balochistan", "Gilgit-Baltistan", "Azad Jammu and Kashmir")

# Listing states other than verified; the rest of the generated firms are verified.
STATUS_QUOTAS = {
    ListingStatus.SUBMITTED: 8,
    ListingStatus.CHANGES_REQUESTED: 5,
    ListingStatus.DRAFT: 9,
    ListingStatus.REJECTED: 2,
}
SUSPENSION_REASONS = (
    "ISO 9001 certificate could not be confirmed with the issuing body during a spot check; suspended pending investigation.",
    "Did not answer three requests from EDB to confirm capacity after a site visit found the SMT line idle.",
    "Factory moved to a new address; listing suspended until the new site is visited and capacity re-verified.",
)
# What staff asked of the firms sent back for changes: (field of the review form, reason).
CHANGE_REASONS = (
    ("capabilities", "Monthly capacity looks high for the equipment listed; give the number of lines and shifts."),
    ("capabilities", "Say which processes are done in-house and which are subcontracted."),
    ("certificates", "Upload the ISO 9001 certificate itself, not the auditor's invoice."),
    ("description", "Describe the products you make rather than the company history."),
    ("contact", "The phone number did not answer; give a number staff can reach during working hours."),
    ("legal_name", "Use the legal name exactly as registered with SECP."),
)
REJECTION_REASONS = (
    "Trading company importing finished accessories; the portal lists manufacturers only.",
    "The NTN and address could not be matched to a registered business after two requests.",
)
VERIFIED_OWNERS = 6  # verified firms with an owner account besides the flagship (every unverified firm has one)

EXPORT_MARKETS = (
    "United Arab Emirates", "Saudi Arabia", "China", "Germany", "United Kingdom", "United States", "Afghanistan",
    "Bangladesh", "Sri Lanka", "Kenya", "Turkey", "Qatar", "Oman", "Netherlands", "Malaysia",
)  # fmt: skip
MOBILE_PREFIXES = ("300", "301", "302", "303", "311", "321", "333", "345")


class CertDetails(NamedTuple):
    number: str  # pattern: {year} and {n3}..{n6} are filled with the issue year and random digits
    issuers: tuple[str, ...]
    validity_years: int
    kind: str  # system (a plant), product (a model series), approval, lab or people


CERTIFICATIONS = {
    "iso-9001": CertDetails("QMS-{year}-{n5}", ("PNAC-accredited certification body", "Margalla Certification Services", "Northgate Quality Registrars"), 3, "system"),
    "iso-14001": CertDetails("EMS-{year}-{n5}", ("PNAC-accredited certification body", "Northgate Quality Registrars"), 3, "system"),
    "iso-45001": CertDetails("OHS-{year}-{n4}", ("PNAC-accredited certification body", "Lumen Assurance International"), 3, "system"),
    "iatf-16949": CertDetails("IATF-{n6}", ("IATF-recognised certification body",), 3, "system"),
    "qc-080000": CertDetails("IECQ-H {n4}.{year}", ("IECQ certification body",), 3, "system"),
    "sa8000": CertDetails("SA-{year}-{n4}", ("SAAS-accredited audit body",), 3, "system"),
    "iso-iec-17025": CertDetails("PNAC-TL-{n3}", ("Pakistan National Accreditation Council (PNAC)",), 4, "lab"),
    "ipc-a-610": CertDetails("IPC-610-{n6}", ("IPC-certified trainer programme",), 2, "people"),
    "rohs": CertDetails("RoHS-{year}{n5}", ("Accredited third-party test laboratory (IEC 62321 report)", "Kestrel Compliance Labs"), 3, "product"),
    "reach": CertDetails("REACH-SVHC-{n5}", ("Accredited third-party test laboratory", "Kestrel Compliance Labs"), 2, "product"),
    "ce": CertDetails("CE-DoC-{year}-{n4}", ("Manufacturer's declaration backed by an EU test laboratory report",), 5, "product"),
    "fcc": CertDetails("FCC-{n6}", ("FCC-recognised test laboratory",), 5, "product"),
    "ul": CertDetails("E{n6}", ("UL Solutions",), 5, "product"),
    "iec-62133": CertDetails("CB-PK-{year}-{n4}", ("IECEE CB Scheme test laboratory",), 3, "product"),
    "un-38-3": CertDetails("UN38.3-{year}-{n5}", ("Accredited battery test laboratory",), 3, "product"),
    "pta-type-approval": CertDetails("PTA/TA/{year}/{n4}", ("Pakistan Telecommunication Authority",), 3, "approval"),
    "psqca": CertDetails("PSQCA/CM/{n5}", ("Pakistan Standards and Quality Control Authority",), 3, "product"),
}  # fmt: skip


@dataclass(frozen=True)
class Profile:
    """What a firm in one component category looks like: names, processes, scale and certificates."""

    firms: int  # generated firms with this category as their main line
    nouns: tuple[str, ...]  # second part of the firm name
    short: str  # for trade names
    processes: tuple[str, ...]  # always done
    optional: tuple[str, ...]  # sometimes done
    unit: str  # one of the category's units (portal/taxonomy/data/components.csv)
    capacity: tuple[int, int]  # per month
    moq: tuple[int, int]
    lead: tuple[int, int]  # days
    employees: tuple[int, int]
    equipment: tuple[str, ...]  # {n} becomes a small count
    materials: tuple[str, ...]
    makes: tuple[str, ...]  # first sentence of the description
    notes: tuple[str, ...]
    certs: tuple[tuple[str, float], ...]  # fitting certification and the chance a firm holds it
    related: tuple[str, ...] = ()  # plausible second lines


PROFILES = {
    "pcb-bare": Profile(
        firms=6,
        nouns=("Circuitworks", "Boardcraft", "Laminate Circuits"),
        short="PCB",
        processes=("pcb-fabrication",),
        optional=("testing",),
        unit="m2",
        capacity=(1_500, 12_000),
        moq=(5, 50),
        lead=(7, 21),
        employees=(40, 350),
        equipment=(
            "{n} CNC drilling machines, PTH copper plating line, LDI exposure",
            "horizontal etching line, solder-mask screen printers, flying-probe tester",
            "vacuum lamination press for up to 8 layers, ENIG and HASL finishing lines",
        ),
        materials=("FR-4 (Tg 140–170), 1–2 oz copper", "high-Tg FR-4 and halogen-free laminates", "CEM-3 and FR-4"),
        makes=(
            "Fabricates single-sided, double-sided and multilayer PCBs for chargers, feature phones and accessories.",
            "Makes rigid printed circuit boards, FR-4 double-sided and 4–6 layer multilayer, with ENIG, HASL and OSP finishes.",
        ),
        notes=(
            "Quick-turn prototypes in 5 working days.",
            "Gerber review and DFM feedback within 24 hours.",
            "Panelisation to the customer's SMT line specification.",
        ),
        certs=(("rohs", 0.5), ("ul", 0.35), ("iso-14001", 0.25), ("reach", 0.2)),
        related=("pcb-flex", "pcba"),
    ),
    "pcb-flex": Profile(
        firms=4,
        nouns=("Flexcircuits", "Flex Interconnect", "Polyflex"),
        short="Flex",
        processes=("pcb-fabrication",),
        optional=("smt", "testing"),
        unit="m2",
        capacity=(300, 2_500),
        moq=(2, 20),
        lead=(10, 28),
        employees=(30, 220),
        equipment=(
            "roll-to-roll etching line for polyimide, UV laser drilling, coverlay lamination press",
            "{n} coverlay hot presses, stiffener bonding, electrical test fixtures",
        ),
        materials=("adhesiveless polyimide (PI) laminate, 12–25 µm", "polyimide coverlay, FR-4 and steel stiffeners"),
        makes=(
            "Makes flexible printed circuits (FPC) and rigid-flex interconnects for display, camera and battery connections in handsets.",
            "Produces single- and double-layer FPC flex cables on polyimide, including side-key and fingerprint-sensor flexes.",
        ),
        notes=(
            "Can populate connectors and passives on FPC on its own SMT line.",
            "Impedance-controlled designs on request.",
        ),
        certs=(("rohs", 0.6), ("ul", 0.3), ("reach", 0.3), ("iso-14001", 0.2)),
        related=("pcb-bare", "antenna", "pcba"),
    ),
    "pcba": Profile(
        firms=14,
        nouns=("Circuit Assemblies", "EMS Works", "Electro-Assemblies", "Boardline Electronics"),
        short="EMS",
        processes=("smt",),
        optional=("tht", "testing", "repair"),
        unit="boards",
        capacity=(15_000, 250_000),
        moq=(500, 5_000),
        lead=(10, 30),
        employees=(40, 600),
        equipment=(
            "{n} Yamaha-class SMT lines, reflow oven, AOI",
            "{n} high-speed pick-and-place lines with SPI, 10-zone reflow and AOI; X-ray for BGA",
            "wave-soldering machine, selective soldering, ICT and FCT stations",
        ),
        materials=(
            "lead-free SAC305 solder paste; customer-supplied or locally sourced FR-4 boards",
            "turnkey or consigned components, moisture-sensitive parts kept in dry cabinets",
        ),
        makes=(
            "Contract electronics manufacturer offering SMT and through-hole (THT) assembly of phone-accessory and IoT boards.",
            "Populates PCBs for chargers, power banks, smart meters and feature phones on automated SMT lines, with box build on request.",
            "EMS provider doing PCBA (surface mount, DIP insertion and wave soldering) for local assemblers and accessory brands.",
        ),
        notes=(
            "0201 passives and 0.4 mm-pitch BGAs supported.",
            "NPI line for prototypes and short runs.",
            "Conformal coating available.",
        ),
        certs=(("ipc-a-610", 0.5), ("rohs", 0.55), ("iso-14001", 0.25), ("qc-080000", 0.15), ("iatf-16949", 0.1)),
        related=("motherboard", "charger", "assembly-service", "pcb-bare"),
    ),
    "motherboard": Profile(
        firms=5,
        nouns=("Mainboard Technologies", "Logic Boards", "Board Systems"),
        short="Boards",
        processes=("smt", "testing"),
        optional=("tht", "repair"),
        unit="boards",
        capacity=(20_000, 300_000),
        moq=(2_000, 10_000),
        lead=(20, 45),
        employees=(120, 900),
        equipment=(
            "{n} fully automatic SMT lines with 3D SPI, 3D AOI and X-ray",
            "RF calibration and MMI test stations, underfill dispensing, laser marking",
        ),
        materials=(
            "HDI main PCBs to the brand's BOM, lead-free solder paste and underfill",
            "SoC, memory and PMIC kits from the brand; locally sourced passives where approved",
        ),
        makes=(
            "Assembles phone main boards (mainboards) for smartphones and feature phones under SKD programmes, from SMT to RF calibration.",
            "Builds handset logic boards to brand designs: fine-pitch SMT, underfill of BGA packages, calibration and functional test.",
        ),
        notes=("Secure area for brand firmware and IMEI writing.", "Board-level repair and rework of RMA returns."),
        certs=(("ipc-a-610", 0.6), ("rohs", 0.6), ("iso-14001", 0.3), ("qc-080000", 0.25)),
        related=("pcba", "assembly-service"),
    ),
    "display-module": Profile(
        firms=4,
        nouns=("Display Technologies", "Optoelectronics", "Screenworks"),
        short="Display",
        processes=("final-assembly", "testing"),
        optional=("smt",),
        unit="pieces",
        capacity=(30_000, 400_000),
        moq=(3_000, 20_000),
        lead=(25, 50),
        employees=(80, 500),
        equipment=(
            "class-1000 clean room with COG/FOG bonding and backlight assembly",
            "{n} ACF bonding machines, polariser attachment, optical inspection and ageing racks",
        ),
        materials=(
            "imported TFT-LCD and IPS cells, locally made backlights and FPC tails",
            "OLED panels and optically clear adhesive (OCA)",
        ),
        makes=(
            "Assembles LCD display modules (LCM) from imported TFT and IPS cells: bonding, backlight and FPC attachment, and lamination to the touch panel.",
            "Makes display modules for feature phones and entry smartphones, TFT LCDs with integrated touch, and refurbishes OLED screens.",
        ),
        notes=(
            'Sizes from 1.8" feature-phone screens to 6.8" smartphone panels.',
            "Touch panel and cover glass laminated in-house.",
        ),
        certs=(("rohs", 0.6), ("reach", 0.3), ("iso-14001", 0.3), ("qc-080000", 0.2)),
        related=("touch-cover-glass", "pcb-flex"),
    ),
    "touch-cover-glass": Profile(
        firms=5,
        nouns=("Glassworks", "Touch Systems", "Cover Glass Industries"),
        short="Glass",
        processes=("cnc-machining", "surface-finishing"),
        optional=("printing", "testing"),
        unit="pieces",
        capacity=(50_000, 600_000),
        moq=(5_000, 20_000),
        lead=(15, 35),
        employees=(60, 400),
        equipment=(
            "{n} CNC glass-edging machines, chemical-strengthening furnaces, silk-screen printing",
            "AF/AR coating chamber, OCA laminators, capacitive touch testers",
        ),
        materials=(
            "aluminosilicate cover glass 0.55–0.7 mm with anti-fingerprint coating",
            "soda-lime and aluminosilicate glass, ITO film sensors",
        ),
        makes=(
            "Cuts, CNC-edges and chemically tempers cover glass and cover lenses for phones, with silk-screened black borders.",
            "Makes capacitive touch panels (CTP) and tempered cover glass, laminating the digitizer to the lens.",
        ),
        notes=("2.5D edge finishing available.", "Screen protectors cut on the same glass line."),
        certs=(("rohs", 0.5), ("reach", 0.3), ("iso-14001", 0.25)),
        related=("protective", "display-module"),
    ),
    "battery": Profile(
        firms=8,
        nouns=("Energy Cells", "Power Cells", "Battery Works"),
        short="Cells",
        processes=("cell-assembly", "testing"),
        optional=("smt",),
        unit="cells",
        capacity=(20_000, 500_000),
        moq=(2_000, 10_000),
        lead=(20, 40),
        employees=(50, 450),
        equipment=(
            "cell grading machines, {n} automatic spot-welding stations, BMS assembly and capacity testers",
            "formation and ageing racks, OCV/IR sorting, pouch sealing and X-ray inspection",
        ),
        materials=(
            "imported Li-ion pouch and 18650 cells with a locally assembled protection board (BMS)",
            "lithium-polymer (LiPo) cells of 1,500–5,000 mAh, nickel strip, PCM boards",
        ),
        makes=(
            "Assembles lithium-ion and lithium-polymer battery packs for phones and power banks: cell grading, spot welding, BMS fitting and pack testing.",
            "Builds Li-ion phone batteries and power-bank packs from imported cells, with protection boards and 100% capacity testing.",
        ),
        notes=("Dangerous-goods packing for air shipment.", "Cycle-life and safety test reports for every model."),
        certs=(("iec-62133", 0.9), ("un-38-3", 0.85), ("rohs", 0.35), ("psqca", 0.2), ("iso-14001", 0.15)),
        related=("charger", "pcba"),
    ),
    "charger": Profile(
        firms=14,
        nouns=("Chargecraft", "Power Adapters", "Switchmode Industries", "Adapterworks"),
        short="Power",
        processes=("smt", "final-assembly", "testing"),
        optional=("tht", "injection-molding"),
        unit="pieces",
        capacity=(50_000, 800_000),
        moq=(2_000, 10_000),
        lead=(15, 35),
        employees=(40, 500),
        equipment=(
            "{n} SMT lines, THT insertion and wave soldering, hi-pot and burn-in racks",
            "ultrasonic case welding, automatic load testers, {n} final assembly lines",
        ),
        materials=(
            "PC/ABS V-0 flame-retardant housings, GaN and silicon switching ICs",
            "transformers wound in-house, imported controller ICs",
        ),
        makes=(
            "Makes wall chargers and travel adapters from 5 W to 65 W, including USB-C PD and GaN fast chargers.",
            "Designs and assembles phone chargers and power adapters: PCBA, case moulding, ultrasonic welding and 100% hi-pot and burn-in testing.",
        ),
        notes=(
            "Own design team for PD and QC fast-charge protocols.",
            "Can supply a matching cable in one retail pack.",
        ),
        certs=(("pta-type-approval", 0.5), ("rohs", 0.5), ("ce", 0.4), ("psqca", 0.3), ("ul", 0.15), ("fcc", 0.15)),
        related=("cable", "pcba", "battery"),
    ),
    "cable": Profile(
        firms=14,
        nouns=("Cableworks", "Wire & Cable Industries", "Interconnects"),
        short="Cables",
        processes=("cable-assembly",),
        optional=("injection-molding", "testing"),
        unit="pieces",
        capacity=(100_000, 2_000_000),
        moq=(3_000, 20_000),
        lead=(10, 25),
        employees=(30, 400),
        equipment=(
            "{n} wire extrusion lines, automatic cutting and stripping, overmoulding presses",
            "crimping and soldering stations, {n} low-pressure overmolding machines, cable bend testers",
        ),
        materials=(
            "tinned copper conductors, TPE and braided nylon jackets",
            "PVC and TPE compounds, USB-C and Micro-USB connectors",
        ),
        makes=(
            "Makes USB Type-C, Micro-USB and Lightning-compatible data and charging cables, including braided fast-charge cables.",
            "Produces data cables and small wire harnesses: conductor stranding, jacket extrusion, connector soldering and overmoulding.",
        ),
        notes=("E-marker cables for 100 W USB PD on request.", "Custom lengths and colours from 3,000 pcs."),
        certs=(("rohs", 0.55), ("reach", 0.3), ("ce", 0.25), ("psqca", 0.2)),
        related=("charger", "earphones", "connector"),
    ),
    "audio": Profile(
        firms=5,
        nouns=("Acoustics", "Sound Components", "Audio Parts"),
        short="Acoustics",
        processes=("final-assembly", "testing"),
        optional=("stamping", "injection-molding"),
        unit="pieces",
        capacity=(100_000, 1_500_000),
        moq=(5_000, 50_000),
        lead=(20, 40),
        employees=(50, 350),
        equipment=(
            "voice-coil winding machines, magnet charging, {n} acoustic test booths",
            "diaphragm forming presses, automated speaker-box assembly, frequency-response analysers",
        ),
        materials=(
            "NdFeB magnets, PET/PEN diaphragms, copper-clad aluminium wire",
            "MEMS microphone dies packaged by partners, acoustic mesh",
        ),
        makes=(
            "Makes micro-speakers, receivers (earpieces) and buzzers for handsets, with in-house voice-coil winding.",
            "Produces speaker boxes, receivers and electret and MEMS microphones for phones and smart speakers.",
        ),
        notes=("Acoustic tuning with the brand's industrial designers.", "Waterproof (IP67) speaker variants."),
        certs=(("rohs", 0.6), ("reach", 0.3)),
        related=("earphones",),
    ),
    "earphones": Profile(
        firms=9,
        nouns=("Audio Accessories", "Earwear", "Headsets"),
        short="Buds",
        processes=("final-assembly", "testing"),
        optional=("cable-assembly", "injection-molding", "smt"),
        unit="sets",
        capacity=(20_000, 400_000),
        moq=(1_000, 5_000),
        lead=(15, 35),
        employees=(30, 300),
        equipment=(
            "{n} earphone assembly lines, acoustic and Bluetooth test stations",
            "ultrasonic welding, TWS charging-case assembly, pad printing",
        ),
        materials=(
            "imported Bluetooth SoCs and 10 mm drivers, ABS/PC shells",
            "TPE cables, silicone ear tips, 3.5 mm and USB-C plugs",
        ),
        makes=(
            "Makes wired handsfree earphones and TWS earbuds for phone bundles and retail.",
            "Assembles headsets and earphones (driver fitting, cable assembly, shell welding and acoustic testing) for accessory brands.",
        ),
        notes=("In-box handsfree for phone assemblers.", "Private-label packaging available."),
        certs=(("rohs", 0.5), ("ce", 0.4), ("fcc", 0.2), ("reach", 0.2)),
        related=("audio", "cable", "packaging"),
    ),
    "camera-module": Profile(
        firms=4,
        nouns=("Optronics", "Imaging", "Camera Modules"),
        short="Optics",
        processes=("final-assembly", "testing"),
        optional=("smt",),
        unit="pieces",
        capacity=(20_000, 250_000),
        moq=(5_000, 20_000),
        lead=(30, 60),
        employees=(80, 400),
        equipment=(
            "class-100 clean room, active-alignment lens assembly, MTF testers",
            "COB die attach and wire bonding, {n} focus-and-glue stations",
        ),
        materials=(
            "imported CMOS image sensors and lens stacks, FPC tails",
            "sensor dies, IR-cut filters, voice-coil motors (VCM)",
        ),
        makes=(
            "Assembles compact camera modules (CCM) for front and rear phone cameras: die attach, lens alignment and focus, and image-quality test.",
            "Makes fixed-focus and autofocus camera modules from 2 MP to 50 MP for entry and mid-range handsets.",
        ),
        notes=(
            "Works with the brand's sensor and lens suppliers.",
            "Image tuning support for common handset platforms.",
        ),
        certs=(("rohs", 0.6), ("qc-080000", 0.25), ("iso-14001", 0.25)),
        related=("pcb-flex",),
    ),
    "antenna": Profile(
        firms=5,
        nouns=("RF Systems", "Antenna Works", "Wireless Components"),
        short="RF",
        processes=("stamping", "testing"),
        optional=("pcb-fabrication", "injection-molding", "surface-finishing"),
        unit="pieces",
        capacity=(100_000, 1_500_000),
        moq=(5_000, 30_000),
        lead=(15, 35),
        employees=(25, 250),
        equipment=(
            "anechoic chamber and vector network analysers, {n} LDS laser stations",
            "progressive stamping presses for spring contacts, plating line",
        ),
        materials=(
            "LDS-grade PC/ABS, copper-nickel-gold plating",
            "phosphor bronze, FPC antenna stock, ferrite sheets for NFC coils",
        ),
        makes=(
            "Designs and makes phone antennas (LDS, FPC and stamped-metal types) and NFC coils, with RF tuning in an anechoic chamber.",
            "Produces FPC antennas, stamped LTE and Wi-Fi antennas and NFC coils for handsets and IoT modules.",
        ),
        notes=("Antenna design and OTA performance reports.", "Quick RF matching for new housings."),
        certs=(("rohs", 0.6), ("reach", 0.3), ("iso-14001", 0.2)),
        related=("pcb-flex", "connector", "housing-metal"),
    ),
    "connector": Profile(
        firms=6,
        nouns=("Connectworks", "Contact Technologies", "Terminals"),
        short="Connect",
        processes=("stamping", "injection-molding"),
        optional=("surface-finishing", "testing"),
        unit="pieces",
        capacity=(500_000, 8_000_000),
        moq=(10_000, 100_000),
        lead=(20, 45),
        employees=(40, 350),
        equipment=(
            "{n} high-speed progressive stamping presses, insert-moulding machines, selective gold plating",
            "automatic connector assembly machines, CCD inspection",
        ),
        materials=("phosphor bronze and brass strip, LCP and PA9T housings", "gold and tin plating over nickel"),
        makes=(
            "Makes board-to-board, SIM and FPC connectors and USB-C receptacles: stamping, insert moulding, plating and automated assembly.",
            "Produces battery connectors, spring contacts, audio jacks and SIM sockets for phones and accessories.",
        ),
        notes=("Tape-and-reel packing for SMT placement.", "Custom terminals from the customer's drawing."),
        certs=(("rohs", 0.6), ("reach", 0.3), ("ul", 0.2), ("iatf-16949", 0.1)),
        related=("cable", "antenna", "housing-metal"),
    ),
    "passive": Profile(
        firms=4,
        nouns=("Passive Components", "Magnetics", "Capacitor Works"),
        short="Passives",
        processes=("testing", "surface-finishing"),
        optional=(),
        unit="pieces",
        capacity=(2_000_000, 50_000_000),
        moq=(50_000, 500_000),
        lead=(25, 60),
        employees=(60, 400),
        equipment=(
            "automatic coil winders, {n} ferrite core lines, LCR testers and taping machines",
            "chip-resistor laser trimming, termination plating, tape-and-reel packers",
        ),
        materials=("ferrite cores, enamelled copper wire", "ceramic substrates, thick-film resistor paste"),
        makes=(
            "Makes SMD power inductors, common-mode chokes and ferrite beads for chargers and phone boards.",
            "Produces chip resistors and wound inductors, and tapes imported MLCC capacitors for local SMT lines.",
        ),
        notes=('Supplied on 7" and 13" reels.', "Samples of standard values in 3 days."),
        certs=(("rohs", 0.7), ("reach", 0.4), ("qc-080000", 0.2), ("iatf-16949", 0.15)),
        related=("charger", "pcba"),
    ),
    "semiconductor": Profile(
        firms=4,
        nouns=("Siliconworks", "Silicon Design", "Microsystems"),
        short="Silicon",
        processes=("testing",),
        optional=(),
        unit="pieces",
        capacity=(500_000, 10_000_000),
        moq=(10_000, 100_000),
        lead=(30, 75),
        employees=(15, 150),
        equipment=(
            "IC test handlers, {n} automatic test equipment (ATE) stations, laser marking",
            "EDA tool licences, FPGA prototyping and a post-silicon validation lab",
        ),
        materials=(
            "wafers from foundries abroad, packaging by OSAT partners",
            "discrete diodes and MOSFETs in SOT-23 and DFN packages",
        ),
        makes=(
            "Fabless design house for power-management and charger controller ICs, with final test, programming and taping in Pakistan.",
            "Designs mixed-signal ICs, and tests, marks and tapes discrete semiconductors (diodes, MOSFETs) for local SMT assemblers.",
        ),
        notes=("Sample kits and reference designs for charger makers.", "IC programming and pre-flashing service."),
        certs=(("rohs", 0.7), ("reach", 0.4), ("qc-080000", 0.2), ("iatf-16949", 0.1)),
        related=("passive",),
    ),
    "housing-plastic": Profile(
        firms=16,
        nouns=("Moulding Industries", "Polymer Works", "Mouldcraft", "Moulders"),
        short="Mould",
        processes=("injection-molding",),
        optional=("surface-finishing", "printing"),
        unit="pieces",
        capacity=(100_000, 1_500_000),
        moq=(3_000, 20_000),
        lead=(15, 40),
        employees=(40, 500),
        equipment=(
            "{n} injection moulding machines (80–450 t), in-house tool room",
            "UV spray-painting line, pad printing, {n} Haitian-class moulding machines",
        ),
        materials=(
            "PC, PC/ABS and ABS; glass-filled nylon for middle frames",
            "PC/ABS V-0 for charger cases, PMMA for lenses",
        ),
        makes=(
            "Injection moulding of phone back covers, battery covers, middle frames and charger cases, with spray painting and UV coating.",
            "Makes plastic housings and enclosures for phones and accessories, from mould making to painted and printed parts.",
            "Plastic moulding house producing handset housings, button caps and accessory enclosures, with moulds designed and made in-house.",
        ),
        notes=("New moulds in 4–6 weeks from approved 3D data.", "IMD/IML decoration available."),
        certs=(("rohs", 0.45), ("reach", 0.25), ("iso-14001", 0.2), ("iso-45001", 0.1)),
        related=("keypad", "protective", "housing-metal"),
    ),
    "housing-metal": Profile(
        firms=10,
        nouns=("Precision Metals", "Metal Works", "Die Casting", "Precision Engineering"),
        short="Metals",
        processes=(),
        optional=("cnc-machining", "stamping", "die-casting", "surface-finishing"),
        unit="pieces",
        capacity=(50_000, 800_000),
        moq=(2_000, 20_000),
        lead=(20, 45),
        employees=(30, 450),
        equipment=(
            "{n} CNC machining centres, anodizing line",
            "progressive stamping presses (60–200 t), {n} zinc die-casting machines",
            "fibre laser cutting, sandblasting and PVD coating",
        ),
        materials=(
            "6063 and 7075 aluminium, stainless steel 304",
            "zinc alloy (Zamak), SPCC and nickel silver for shielding cans",
        ),
        makes=(
            "CNC machining and anodizing of aluminium phone frames, SIM trays and camera rings.",
            "Makes stamped shielding cans, brackets and SIM trays, and die-cast zinc parts for phones and accessories.",
            "Precision metal parts maker (CNC, stamping and die casting) supplying frames, brackets and small metal parts.",
        ),
        notes=("Press tools and fixtures made in-house.", "Colour-matched anodizing to the brand's CMF specification."),
        certs=(("rohs", 0.4), ("reach", 0.2), ("iso-14001", 0.2), ("iso-45001", 0.15), ("iatf-16949", 0.15)),
        related=("housing-plastic", "connector", "antenna"),
    ),
    "keypad": Profile(
        firms=6,
        nouns=("Rubber Products", "Keytech", "Silicone Industries"),
        short="Keys",
        processes=("injection-molding",),
        optional=("printing", "surface-finishing"),
        unit="pieces",
        capacity=(100_000, 1_500_000),
        moq=(5_000, 30_000),
        lead=(15, 30),
        employees=(25, 200),
        equipment=(
            "{n} silicone compression-moulding presses, laser etching, pad printing",
            "dome-array assembly, PU coating line, actuation-force testers",
        ),
        materials=("silicone rubber, PC key caps, metal domes", "LSR and PU coating, stainless-steel dome sheets"),
        makes=(
            "Makes silicone rubber keypads and side keys for feature phones, with laser-etched, backlit legends.",
            "Produces keypads, dome switches and side buttons: compression moulding, PU coating and laser etching.",
        ),
        notes=("Urdu and Arabic legends.", "Samples from existing tools within a week."),
        certs=(("rohs", 0.5), ("reach", 0.3)),
        related=("housing-plastic",),
    ),
    "packaging": Profile(
        firms=14,
        nouns=("Boxcraft", "Printers & Converters", "Cartons", "Print House"),
        short="Pack",
        processes=("printing",),
        optional=(),
        unit="pieces",
        capacity=(100_000, 3_000_000),
        moq=(2_000, 20_000),
        lead=(7, 21),
        employees=(20, 350),
        equipment=(
            "{n}-colour offset press, die-cutter, rigid-box making machine",
            "foil stamping, spot UV, automatic folder-gluer",
        ),
        materials=("duplex board, art card, grey board for rigid boxes", "recycled kraft board, soy-based inks"),
        makes=(
            "Prints retail gift boxes, rigid boxes, user manuals and labels for phone brands and accessory makers.",
            "Makes printed packaging (offset-printed cartons, inserts, IMEI labels and user guides) for handset assemblers.",
        ),
        notes=("Serialised IMEI and barcode labels.", "Structural packaging design and samples in 3 days."),
        certs=(("iso-14001", 0.3), ("psqca", 0.15), ("sa8000", 0.1)),
        related=("protective",),
    ),
    "protective": Profile(
        firms=10,
        nouns=("Case Works", "Shields", "Guardcraft"),
        short="Guard",
        processes=("injection-molding",),
        optional=("printing", "surface-finishing", "cnc-machining"),
        unit="pieces",
        capacity=(50_000, 1_000_000),
        moq=(1_000, 10_000),
        lead=(7, 25),
        employees=(20, 250),
        equipment=(
            "TPU injection moulding, {n} UV printers, film laminating and die cutting",
            "tempered-glass cutting and edging line, dust-free lamination room",
        ),
        materials=(
            "TPU, PC and silicone; leather and fabric for folio cases",
            "tempered glass 0.33 mm, PET and hydrogel film",
        ),
        makes=(
            "Makes phone cases (TPU, silicone and folio) and tempered-glass screen protectors for retail and in-box bundles.",
            "Produces screen protectors and back cases, printed and packed to the brand's design.",
        ),
        notes=("Cases for new models within two weeks of a phone launch.", "Custom printing from 1,000 pcs."),
        certs=(("rohs", 0.4), ("reach", 0.25)),
        related=("packaging", "touch-cover-glass"),
    ),
    "assembly-service": Profile(
        firms=8,
        nouns=("Assembly Services", "Device Assembly", "Manufacturing Services"),
        short="Assembly",
        processes=("final-assembly", "testing"),
        optional=("smt", "repair"),
        unit="devices",
        capacity=(20_000, 400_000),
        moq=(5_000, 20_000),
        lead=(20, 45),
        employees=(150, 1_500),
        equipment=(
            "{n} CKD/SKD assembly lines, RF and MMI test stations, IMEI writing",
            "automated screw-driving, drop and tumble testers, packing lines",
        ),
        materials=(
            "CKD/SKD kits from the brand with local housings, chargers and packaging",
            "brand-supplied main boards and displays",
        ),
        makes=(
            "Contract assembler of smartphones and feature phones in CKD and SKD form, from line assembly to packing.",
            "Offers final device assembly and box build for phone and tablet brands, with IMEI registration and PTA type-approval support.",
        ),
        notes=("Bonded warehouse on site.", "Brand-dedicated lines with the brand's own QC staff."),
        certs=(
            ("pta-type-approval", 0.6),
            ("iso-14001", 0.3),
            ("iso-45001", 0.2),
            ("ipc-a-610", 0.2),
            ("sa8000", 0.15),
        ),
        related=("motherboard", "packaging", "pcba"),
    ),
    "testing-lab": Profile(
        firms=5,
        nouns=("Test Labs", "Testing & Certification", "Compliance Laboratories"),
        short="Labs",
        processes=("testing",),
        optional=(),
        unit="tests",
        capacity=(80, 600),
        moq=(1, 1),
        lead=(5, 20),
        employees=(12, 90),
        equipment=(
            "semi-anechoic EMC chamber, SAR measurement system, radio test sets",
            "drop, tumble, salt-spray and climatic chambers; battery abuse test bunker",
        ),
        materials=(
            "tests to IEC 62368-1, IEC 62133 and PTA requirements",
            "reliability and environmental tests to customer specifications",
        ),
        makes=(
            "Independent test laboratory offering RF, SAR and EMC testing of phones and accessories for PTA type approval and export.",
            "Reliability testing laboratory (drop tests, battery safety, environmental and charger safety tests) for local component makers.",
        ),
        notes=(
            "Reports accepted for PTA type-approval applications.",
            "Pre-compliance testing before export certification.",
        ),
        certs=(("iso-iec-17025", 1.0),),
    ),
}


# What the demo laboratories test for, in turn (no random draw: the rest of the demo stays as it was).
# Nobody tests for UN 38.3, which the demo battery need requires: staff's dashboard shows that gap.
LAB_TESTS = (
    ("pta-type-approval", "ce", "fcc"),
    ("iec-62133", "ul"),
    ("rohs", "reach"),
    ("iec-62133", "rohs", "ce"),
    ("pta-type-approval", "psqca"),
)


# ---------------------------------------------------------------------------------------------------------------
# Loading


def seed_demo(progress=None) -> list[str]:
    """Load the demo data set in one transaction and say what was created; safe to run again."""
    progress = progress or (lambda label, items: nullcontext(items))
    with one_act():
        sync_taxonomy()
        rng = random.Random(SEED)
        firm_plans = plan_firms(rng)
        password_hash = hash_password(DEMO_PASSWORD)
        result = _load(firm_plans, password_hash, progress)
    from portal.demo.activity import seed_activity  # needs, introductions and investment on top of the firms

    return _summary(result, len(firm_plans)) + seed_activity()


def _load(firm_plans: list[dict], password_hash: str, progress) -> dict:
    """Write whatever is missing; returns the rows created."""
    processes = {p.slug: p for p in db.session.scalars(db.select(Process))}
    certification_types = {c.slug: c for c in db.session.scalars(db.select(CertificationType))}
    firms = {
        (name.lower(), city.lower()): firm_id
        for firm_id, name, city in db.session.execute(db.select(Firm.id, Firm.legal_name, Firm.city))
    }
    existing_emails = {email.lower() for email in db.session.scalars(db.select(User.email))}
    new_users: dict[str, User] = {}
    created = {"firms": [], "users": []}

    def account(email, role, full_name, organisation, created_at=None) -> tuple[User | None, bool]:
        """The account for `email` and whether it is new; None if it existed before this run."""
        email = email.lower()
        if email in new_users:
            return new_users[email], False
        if email in existing_emails:
            return None, False
        user = User(
            email=email,
            password_hash=password_hash,
            full_name=full_name,
            role=role,
            organisation=organisation,
            email_verified_at=utcnow(),  # the demo's people act at once
        )
        if created_at is not None:
            user.created_at = user.password_changed_at = created_at
        db.session.add(user)
        new_users[email] = user
        created["users"].append(user)
        return user, True

    for email, role, full_name, organisation in DEMO_ACCOUNTS + EXTRA_ACCOUNTS:
        account(email, role, full_name, organisation)

    with progress("Demo firms", firm_plans) as plans:
        for plan in plans:
            fields = plan["firm"]
            owner, new_owner = None, False
            if plan["owner"]:
                email, full_name = plan["owner"]
                owner, new_owner = account(email, Role.SUPPLIER, full_name, fields["legal_name"], fields["created_at"])
            key = (fields["legal_name"].lower(), fields["city"].lower())
            if key in firms:
                if new_owner:  # the firm was there but its owner was not
                    db.session.add(FirmMember(firm_id=firms[key], user=owner, role=MemberRole.OWNER))
                continue
            if owner is None and plan["owner"]:  # the owner was there but the firm was not
                owner = db.session.scalar(db.select(User).where(func.lower(User.email) == plan["owner"][0].lower()))
            firm = create_firm(owner=owner, **fields)
            for capability in plan["capabilities"]:
                kwargs = {k: v for k, v in capability.items() if k != "processes"}
                tests = plan.get("lab_tests", ()) if capability["category_slug"] == "testing-lab" else ()
                firm.capabilities.append(
                    Capability(
                        **kwargs,
                        processes=[processes[s] for s in capability["processes"]],
                        tests_for=[certification_types[s] for s in tests],
                    )
                )
            for certificate in plan["certificates"]:
                firm.certificates.append(Certificate(**certificate))
            created["firms"].append(firm)
    db.session.flush()
    return created


def _summary(created: dict, planned_firms: int) -> list[str]:
    """Lines for the terminal: what was created (or that nothing was), then the accounts to sign in with."""
    firms, users = created["firms"], created["users"]
    lines = []
    if not firms and not users:
        lines.append(f"Demo data already present: found all {planned_firms} demo firms and accounts; nothing created.")
    else:
        found = planned_firms - len(firms)
        statuses = [(s, sum(f.status == s for f in firms)) for s in ListingStatus]
        suspended = sum(f.suspended for f in firms)
        lines.append(
            f"Created {len(firms)} demo firms"
            + (f" ({found} already there)" if found else "")
            + ": "
            + ", ".join(f"{count} {status.value.replace('_', ' ')}" for status, count in statuses if count)
            + (f"; {suspended} of the verified ones are suspended." if suspended else ".")
        )
        days = [c.days_to_expiry() for f in firms for c in f.certificates]
        lines.append(
            f"Created {sum(len(f.capabilities) for f in firms)} capabilities and {len(days)} certificates "
            f"({sum(d <= 0 for d in days)} expired, {sum(0 < d <= 60 for d in days)} expiring within 60 days)."
        )
        demo = {email for email, *_ in DEMO_ACCOUNTS + EXTRA_ACCOUNTS}
        owners = sum(u.email not in demo for u in users)
        lines.append(
            f"Created {len(users)} accounts ({len(users) - owners} demo, brand and investor; {owners} firm owners)."
        )
    lines.append(f"Demo accounts, all with the password {DEMO_PASSWORD}:")
    for email, role, full_name, organisation in DEMO_ACCOUNTS:
        lines.append(f"  {role.value:<9} {email:<28} {full_name}, {organisation}")
    lines.append(
        f"The {len(EXTRA_ACCOUNTS)} other brand and investor accounts and the firm owners "
        "(e-mail on the firm's example.pk domain) use the same password."
    )
    return lines


# ---------------------------------------------------------------------------------------------------------------
# Planning: plain dicts from the random generator, with no database access, so every run plans the same data.


def plan_firms(rng: random.Random) -> list[dict]:
    """Every demo firm with its capabilities, certificates and owner, in creation order."""
    phases = {row["slug"]: int(row["phase"]) for row in category_rows()}
    categories = [slug for slug, profile in PROFILES.items() for _ in range(profile.firms)]
    rng.shuffle(categories)
    provinces = _assign_provinces(rng, categories, phases)
    statuses = [status for status, count in STATUS_QUOTAS.items() for _ in range(count)]
    statuses += [ListingStatus.VERIFIED] * (len(categories) - len(statuses))
    rng.shuffle(statuses)
    verified = [i for i, status in enumerate(statuses) if status == ListingStatus.VERIFIED]
    suspended = dict(zip(rng.sample(verified, len(SUSPENSION_REASONS)), SUSPENSION_REASONS, strict=True))
    owned = {i for i, status in enumerate(statuses) if status != ListingStatus.VERIFIED}
    owned |= set(rng.sample([i for i in verified if i not in suspended], VERIFIED_OWNERS))

    lines = [[category, *_pick_related(rng, category)] for category in categories]
    certifications = [_pick_certifications(rng, PROFILES[category]) for category in categories]
    expiries = iter(_expiry_schedule(rng, sum(map(len, certifications))))

    names = Names(rng)
    plans = [_plan_flagship(rng, names)]
    for i, province in enumerate(provinces):
        city = _pick_city(rng, province)
        certificates = [(slug, next(expiries)) for slug in certifications[i]]
        plan = _plan_firm(rng, names, lines[i], province, city, statuses[i], suspended.get(i), certificates)
        plan["owner"] = _plan_owner(rng, plan["firm"]) if i in owned else None
        plans.append(plan)
    labs = (plan for plan in plans if any(c["category_slug"] == "testing-lab" for c in plan["capabilities"]))
    for number, plan in enumerate(labs):
        plan["lab_tests"] = LAB_TESTS[number % len(LAB_TESTS)]  # for its testing-lab capability
    return plans


def _plan_flagship(rng: random.Random, names: "Names") -> dict:
    spec = FLAGSHIP
    names.reserve(spec["prefix"], spec["noun"])
    plan = _plan_firm(
        rng,
        names,
        [spec["category"], *spec["extra"]],
        spec["province"],
        next(c for c in CITIES[spec["province"]] if c.name == spec["city"]),
        ListingStatus.VERIFIED,
        None,
        spec["certificates"],
        name=(spec["prefix"], spec["noun"], spec["legal_form"], spec["trade_name"]),
    )
    plan["owner"] = (DEMO_ACCOUNTS[0][0], DEMO_ACCOUNTS[0][2])  # the demo supplier account
    return plan


def _assign_provinces(rng: random.Random, categories: list[str], phases: dict[str, int]) -> list[str]:
    """Province per firm by quota; the remote provinces get only phase-1 (simple) lines."""
    quotas = dict(PROVINCE_QUOTAS, Punjab=len(categories) - sum(PROVINCE_QUOTAS.values()))
    remote = [p for p in REMOTE_PROVINCES for _ in range(quotas[p])]
    hubs = [p for p in PROVINCES if p not in REMOTE_PROVINCES for _ in range(quotas[p])]
    rng.shuffle(remote)
    rng.shuffle(hubs)
    simple = [i for i, slug in enumerate(categories) if phases[slug] == 1]
    remote_firms = set(rng.sample(simple, len(remote)))
    return [remote.pop() if i in remote_firms else hubs.pop() for i in range(len(categories))]


def _pick_city(rng: random.Random, province: str) -> City:
    cities = CITIES[province]
    return rng.choices(cities, weights=[c.weight for c in cities])[0]


def _pick_related(rng: random.Random, category: str) -> list[str]:
    """Zero to two second lines that a maker of `category` plausibly also runs."""
    related = PROFILES[category].related
    count = min(len(related), rng.choices((0, 1, 2), weights=(40, 45, 15))[0])
    return rng.sample(related, count)


class Names:
    """Unique invented firm names and web domains; prefixes are used evenly before any repeats."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.pairs: set[tuple[str, str]] = set()
        self.domains: set[str] = set()
        self.queue: list[str] = []

    def reserve(self, prefix: str, noun: str) -> None:
        self.pairs.add((prefix, noun))

    def pick(self, category: str) -> tuple[str, str]:
        nouns = PROFILES[category].nouns
        while True:
            if not self.queue:
                self.queue = list(NAME_PREFIXES)
                self.rng.shuffle(self.queue)
            prefix, noun = self.queue.pop(), self.rng.choice(nouns)
            if (prefix, noun) not in self.pairs:
                self.pairs.add((prefix, noun))
                return prefix, noun

    def domain(self, words: str, city: str) -> str:
        base = re.sub(r"[^a-z0-9]", "", words.lower())
        domain = base if base not in self.domains else base + re.sub(r"[^a-z]", "", city.lower())
        self.domains.add(domain)
        return f"{domain}.example.pk"


def _plan_firm(rng, names, categories, province, city, status, suspension, certificates, name=None) -> dict:
    """One firm's fields, capabilities and certificates."""
    profile = PROFILES[categories[0]]
    if name is None:
        prefix, noun = names.pick(categories[0])
        legal_form = rng.choices([f for f, _ in LEGAL_FORMS], weights=[w for _, w in LEGAL_FORMS])[0]
        trade_name = f"{prefix} {profile.short}" if rng.random() < 0.35 else ""
    else:
        prefix, noun, legal_form, trade_name = name
    legal_name = f"{prefix} {noun}{legal_form}"
    domain = names.domain(trade_name or f"{prefix} {noun.split()[0]}", city.name)
    verified = status == ListingStatus.VERIFIED
    draft = status == ListingStatus.DRAFT
    now = _start_of_today()
    this_year = today().year
    created_at = now - timedelta(
        days=rng.randint(60, 900) if verified else rng.randint(3, 120), minutes=rng.randint(0, 1440)
    )
    submitted_at = None if draft else created_at + timedelta(hours=rng.randint(2, 60))
    verified_at = min(submitted_at + timedelta(days=rng.randint(2, 40)), now - timedelta(days=1)) if verified else None
    exporter = verified and rng.random() < 0.4
    markets = rng.sample(EXPORT_MARKETS, rng.randint(1, 4)) if exporter else []
    equipment = [_fill(rng, phrase) for phrase in rng.sample(profile.equipment, rng.randint(1, 2))]
    ntn = f"{rng.randint(1_000_000, 9_999_999)}-{rng.randint(0, 9)}"  # National Tax Number
    firm = {
        "legal_name": legal_name,
        "trade_name": trade_name,
        "city": city.name,
        "province": province,
        "address": f"{_street_number(rng)}, {rng.choice(city.localities)}, {city.name}",
        "website": "" if draft and rng.random() < 0.5 else f"https://{domain}",
        "contact_email": f"{rng.choice(('info', 'info', 'sales', 'contact'))}@{domain}",
        "phone": _phone(rng, city),
        "year_founded": rng.randint(1984, this_year - 2) if verified else rng.randint(2008, this_year - 1),
        "employees": _round(rng.triangular(*profile.employees, profile.employees[0] * 2), 5),
        "export_markets": markets,
        "description": _describe(rng, profile, categories, city, equipment[0], markets),
        "ntn": ntn if rng.random() < (0.5 if draft else 0.92) else None,
        "status": status,
        "suspended": suspension is not None,
        "suspension_reason": suspension,
        "review_reasons": _review_reasons(rng, status),
        "submitted_at": submitted_at,
        "verified_at": verified_at,
        "created_at": created_at,
        "updated_at": verified_at or created_at,
    }
    capabilities = [
        _plan_capability(rng, slug, main=(n == 0), status=status, equipment=equipment if n == 0 else None)
        for n, slug in enumerate(categories)
    ]
    certs = [_plan_certificate(rng, slug, days, categories[0], city, firm) for slug, days in certificates]
    return {"firm": firm, "capabilities": capabilities, "certificates": certs, "owner": None}


def _review_reasons(rng: random.Random, status: ListingStatus) -> dict[str, str]:
    """Staff's reasons for a listing sent back or rejected, as the review form stores them."""
    if status == ListingStatus.CHANGES_REQUESTED:
        return dict(rng.sample(CHANGE_REASONS, 2)) if rng.random() < 0.5 else dict([rng.choice(CHANGE_REASONS)])
    if status == ListingStatus.REJECTED:
        return {"listing": rng.choice(REJECTION_REASONS)}
    return {}


def _plan_capability(rng, category: str, *, main: bool, status: ListingStatus, equipment: list[str] | None) -> dict:
    profile = PROFILES[category]
    processes = list(profile.processes) + [p for p in profile.optional if rng.random() < 0.5]
    if not processes:
        processes = [rng.choice(profile.optional)]
    scale = 1.0 if main else rng.uniform(0.2, 0.6)  # a second line is smaller than the main one
    low, high = profile.capacity
    if status == ListingStatus.VERIFIED:
        review = ReviewStatus.VERIFIED if main or rng.random() < 0.9 else ReviewStatus.PENDING
    else:
        review = ReviewStatus.REJECTED if status == ListingStatus.REJECTED else ReviewStatus.PENDING
    return {
        "category_slug": category,
        "processes": sorted(set(processes)),
        "monthly_capacity": _round(max(low * scale, rng.triangular(low, high, low + (high - low) * 0.3) * scale)),
        "capacity_unit": profile.unit,
        "min_order_quantity": _round(rng.randint(*profile.moq)),
        "lead_time_days": rng.randint(*profile.lead),
        "equipment": "; ".join(_capitalise(e) for e in equipment or [_fill(rng, rng.choice(profile.equipment))]),
        "materials": "; ".join(rng.sample(profile.materials, rng.randint(1, len(profile.materials)))),
        "notes": rng.choice(profile.notes) if rng.random() < 0.7 else "",
        "is_main_line": main,
        "review_status": review,
    }


def _pick_certifications(rng: random.Random, profile: Profile) -> list[str]:
    """ISO 9001 for many, then what fits the main line; at most four."""
    slugs = ["iso-9001"] if rng.random() < 0.6 and "iso-iec-17025" not in dict(profile.certs) else []
    slugs += [slug for slug, chance in profile.certs if rng.random() < chance]
    return slugs[:4]


def _expiry_schedule(rng: random.Random, count: int) -> list[int]:
    """Days to expiry for `count` certificates: 8% expired, 10% due within 60 days (some within a week,
    some within a month), the rest valid 6–30 months ahead; by quota so every run shows each case."""
    week, month = max(2, round(count * 0.025)), max(2, round(count * 0.035))
    days = [-rng.randint(3, 300) for _ in range(round(count * 0.08))]
    days += [rng.randint(1, 7) for _ in range(week)] + [rng.randint(8, 30) for _ in range(month)]
    days += [rng.randint(31, 60) for _ in range(max(0, round(count * 0.10) - week - month))]
    days += [rng.randint(183, 912) for _ in range(count - len(days))]
    rng.shuffle(days)
    return days


def _plan_certificate(rng, slug: str, days: int, category: str, city: City, firm: dict) -> dict:
    details = CERTIFICATIONS[slug]
    expiry = today() + timedelta(days=days)
    validity = max(details.validity_years * 365, days + rng.randint(30, 200))  # issued in the past
    issue = expiry - timedelta(days=validity)
    digits = {f"n{k}": str(rng.randrange(10 ** (k - 1), 10**k)) for k in (3, 4, 5, 6)}
    review = ReviewStatus.PENDING
    verified_at = None
    if firm["status"] == ListingStatus.REJECTED:
        review = ReviewStatus.REJECTED
    elif firm["status"] == ListingStatus.VERIFIED and rng.random() < 0.88:
        review = ReviewStatus.VERIFIED
        issued = datetime.combine(issue, time(10), tzinfo=UTC) + timedelta(days=rng.randint(3, 20))
        verified_at = min(max(firm["verified_at"], issued), _at(expiry) - timedelta(days=1), _start_of_today())
    return {
        "type_slug": slug,
        "number": details.number.format(year=issue.year, **digits),
        "issuing_body": rng.choice(details.issuers),
        "issue_date": issue,
        "expiry_date": expiry,
        "scope": _scope(rng, details.kind, category, city, digits),
        "review_status": review,
        "verified_at": verified_at,
        "created_at": max(firm["created_at"], _at(issue)),
    }


def _scope(rng, kind: str, category: str, city: City, digits: dict) -> str:
    what = next(row["name"] for row in category_rows() if row["slug"] == category)
    series = f"{rng.choice('ABCDEFHKMRSTZ')}{rng.choice('ABCDEFHKMRSTZ')}-{digits['n3']}"
    return {
        "system": f"Manufacture of {_lower_first(what)} at the {city.name} plant",
        "product": f"{what}, model series {series}",
        "approval": f"{what}, model {series}",
        "lab": "RF, EMC, electrical safety and reliability testing",
        "people": "Class 2 workmanship: certified operators and inspectors",
    }[kind]


def _plan_owner(rng: random.Random, firm: dict) -> tuple[str, str]:
    """An invented person with an e-mail address on the firm's domain."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    domain = firm["contact_email"].split("@")[1]
    return f"{first[0]}.{last}@{domain}".lower(), f"{first} {last}"


def _describe(rng, profile: Profile, categories: list[str], city: City, equipment: str, markets: list[str]) -> str:
    """Two or three sentences: what the firm makes, with what, and for whom."""
    sentences = [rng.choice(profile.makes)]
    materials = rng.choice(profile.materials)
    sentences.append(
        rng.choice(
            (
                f"The {city.name} plant runs {equipment}.",
                f"Its {city.name} facility has {equipment}, working mainly with {materials}.",
            )
        )
    )
    if len(categories) > 1:
        names = {row["slug"]: row["name"] for row in category_rows()}
        second = names[categories[1]]
        sentences.append(f"Also supplies {_lower_first(second)}.")
    elif markets:
        sentences.append(f"Exports to {_join(markets)}.")
    return " ".join(sentences)


def _fill(rng: random.Random, phrase: str) -> str:
    return phrase.format(n=rng.randint(2, 8))


def _capitalise(text: str) -> str:
    return text[0].upper() + text[1:]


def _lower_first(text: str) -> str:
    """Lower-case a leading capital for mid-sentence use, but leave acronyms such as PCB alone."""
    return text[0].lower() + text[1:] if text[1:2].islower() else text


def _street_number(rng: random.Random) -> str:
    return rng.choice(
        (
            f"Plot {rng.randint(1, 180)}-{rng.choice('ABCDE')}",
            f"Plot {rng.randint(1, 400)}",
            f"Building {rng.randint(2, 60)}, Street {rng.randint(1, 24)}",
        )
    )


def _phone(rng: random.Random, city: City) -> str:
    """A landline with the city's area code, or a mobile number for some smaller firms."""
    if rng.random() < 0.3:
        return f"+92 {rng.choice(MOBILE_PREFIXES)} {rng.randint(1_000_000, 9_999_999)}"
    digits = 8 if city.area_code in ("21", "42", "51") else 9 - len(city.area_code)
    number = str(rng.randint(2 * 10 ** (digits - 1), 10**digits - 1))
    return f"+92 {city.area_code} {number[:-4]} {number[-4:]}"


def _round(value: float, step: int | None = None) -> int:
    """Round to a number people would quote: two significant figures, or to `step`."""
    if step:
        return max(step, int(round(value / step) * step))
    value = int(value)
    magnitude = 10 ** max(0, len(str(value)) - 2)
    return max(1, round(value / magnitude) * magnitude)


def _start_of_today() -> datetime:
    """The reference time of planned timestamps: fixed for the day, so a plan is the same all day."""
    return datetime.combine(today(), time(0), tzinfo=UTC)


def _at(day: date) -> datetime:
    return datetime.combine(day, time(9), tzinfo=UTC)


def _join(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
