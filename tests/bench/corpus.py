"""A realistic, fictional corpus of supplier firms, inserted fast enough to benchmark at 100,000 firms.

SQLAlchemy Core executemany in batches (one transaction each) rather than the ORM: the ORM would
take many minutes at this size. Ids are assigned here, so capabilities and certificates can point
at their firm without a round trip. The same seed gives the same firms, so figures compare across
runs; dates are relative to today, so certificate expiry stays "around today" whenever it runs.

Descriptions mix the spellings real listings use (mould/mold, colour/color, FPC/flexible printed
circuit, SMT/surface-mount, "10,000 mAh"/"10000 mAh") because the search benchmarks query them.
"""

import itertools
import random
import string
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from datetime import time as dt_time

from sqlalchemy import func, select, text

from portal.extensions import db
from portal.lookalikes import skeleton
from portal.suppliers.models import Capability, Certificate, Firm, ListingStatus, ReviewStatus, capability_process
from portal.suppliers.models import slugify as slugify_name
from portal.taxonomy.models import CertificationType, ComponentCategory, Process
from portal.taxonomy.units import usual_unit

BATCH = 5_000

# Variants each {slot} in a phrase expands to; every variant is equally likely.
SLOTS = {
    "mould": ("mould", "mold"),
    "moulded": ("moulded", "molded"),
    "moulding": ("moulding", "molding"),
    "colour": ("colour", "color"),
    "aluminium": ("aluminium", "aluminum"),
    "fpc": ("FPC", "flexible printed circuit", "flex PCB"),
    "smt": ("SMT", "surface-mount"),
    "ems": ("EMS", "electronics manufacturing services"),
    "typec": ("USB Type-C", "USB-C", "Type-C"),
    "liion": ("Li-ion", "lithium-ion"),
    "layers": ("2", "4", "6", "8", "10"),
    "mah": ("1,500", "3,000", "4,000", "5,000", "10,000", "20,000", "5000", "10000"),
    "watts": ("10", "18", "20", "25", "33", "45", "65"),
    "lines": ("2", "3", "4", "6"),
    "days": ("5", "7", "10", "14"),
}


@dataclass(frozen=True)
class Profile:
    """How firms making one component category look: what, how much, with what and how they say it."""

    weight: float  # share of firms whose main line this is
    noun: str
    unit: str
    capacity: int  # a typical monthly capacity; firms range from a tenth to five times it
    processes: Sequence[str]
    related: Sequence[str]  # categories such a firm often makes too
    certs: Sequence[str]  # certifications its buyers ask for
    equipment: Sequence[str]
    materials: Sequence[str]
    phrases: Sequence[str]  # templates whose {slots} expand to every variant in SLOTS


# fmt: off
# Phase 1 parts (chargers, cables, housings, packaging) are the most common local makers; phase 3 the rarest.
PROFILES = {
    "pcb-bare": Profile(4, "bare printed circuit boards", "m²", 5_000, ["pcb-fabrication", "testing"], ["pcb-flex", "pcba"], ["rohs", "reach", "iso-14001"],
        ("CNC drilling and LDI exposure", "automatic plating line, flying probe testers"),
        ("FR-4 and CEM-1 laminate", "high-Tg FR-4, aluminium-core laminate"),
        ("{layers}-layer FR-4 boards with ENIG or HASL finish", "quick-turn prototypes and volume runs of {layers}-layer printed circuit boards",
         "HDI PCBs with laser-drilled microvias for phone mainboards", "double-sided PCB fabrication with solder mask in any {colour}")),
    "pcb-flex": Profile(2, "flexible printed circuits", "m²", 1_500, ["pcb-fabrication", "smt", "testing"], ["pcb-bare", "antenna", "connector"], ["rohs", "iso-9001"],
        ("roll-to-roll exposure line, laser cutting", "coverlay laminators, electrical testers"),
        ("polyimide with rolled-annealed copper", "adhesiveless polyimide laminate, PI stiffeners"),
        ("{fpc} jumpers for display and camera connections", "single- and {layers}-layer polyimide {fpc}s with stiffeners",
         "rigid-flex boards and {fpc} cables for handsets", "{fpc} assemblies with {smt} components mounted")),
    "pcba": Profile(7, "PCB assembly services", "boards", 200_000, ["smt", "tht", "testing", "repair"], ["motherboard", "charger", "pcb-bare"], ["ipc-a-610", "qc-080000", "rohs"],
        ("pick-and-place lines, reflow ovens, AOI", "selective wave soldering, ICT fixtures", "3D SPI, X-ray inspection, conformal coating"),
        ("lead-free SAC305 solder paste", "customer-consigned components"),
        ("{ems} provider with {lines} {smt} lines and AOI", "{smt} and through-hole assembly of {layers}-layer boards",
         "turnkey PCBA: component sourcing, {smt} placement and functional testing", "{smt} placement down to 0201 with 3D SPI and X-ray inspection")),
    "motherboard": Profile(3, "phone mainboards", "boards", 50_000, ["smt", "testing", "repair"], ["pcba", "assembly-service", "semiconductor"], ["ipc-a-610", "qc-080000"],
        ("high-speed SMT lines, RF calibration stations", "BGA rework stations, underfill dispensers"),
        ("HDI boards from approved vendors", "customer-supplied chipsets"),
        ("mainboard assembly for feature phones and smartphones on {lines} {smt} lines", "motherboard {smt} with underfill, RF calibration and firmware flashing",
         "logic board assembly and rework for 4G smartphones")),
    "display-module": Profile(1.5, "display modules", "modules", 30_000, ["final-assembly", "testing", "repair"], ["touch-cover-glass", "assembly-service"], ["rohs"],
        ("ACF bonding machines in a class 1000 clean room", "OCA laminators, optical inspection"),
        ("TFT glass and backlight units", "OCA film and polarisers"),
        ("LCD and TFT display module assembly with backlight lamination", "IPS and OLED screen module refurbishment",
         "COG and FOG bonding of display panels with {fpc} tails")),
    "touch-cover-glass": Profile(1.5, "touch panels and cover glass", "pieces", 100_000, ["cnc-machining", "printing", "surface-finishing"], ["display-module", "protective"], ["rohs"],
        ("CNC edging centres, ion-exchange furnace", "screen printers, AF coating line"),
        ("aluminosilicate glass", "soda-lime glass and OCA"),
        ("tempered cover glass with silk-screened {colour} borders", "capacitive touch panels and digitizers laminated to the cover lens",
         "CNC-edged, chemically strengthened cover glass with AF coating")),
    "battery": Profile(4, "lithium-ion battery packs", "packs", 100_000, ["cell-assembly", "testing"], ["charger", "assembly-service"], ["iec-62133", "un-38-3", "ce"],
        ("cell grading cabinets, laser welders", "BMS test benches and ageing racks"),
        ("18650 and pouch cells, nickel strip", "lithium polymer pouch cells"),
        ("{liion} battery packs from {mah} mAh for handsets", "{mah} mAh lithium polymer power bank packs with BMS",
         "cell grading, spot welding and BMS assembly for {liion} packs", "power banks up to {mah} mAh with {typec} PD output")),
    "charger": Profile(9, "chargers and power adapters", "units", 150_000, ["smt", "tht", "injection-molding", "final-assembly", "testing"], ["cable", "pcba", "housing-plastic"], ["ce", "ul", "fcc", "rohs", "psqca"],
        ("SMT line, burn-in racks, hi-pot testers", "ultrasonic welders and injection moulding machines"),
        ("V-0 rated PC/ABS, ferrite transformers", "fire-retardant PC"),
        ("{watts} W fast chargers with {typec} PD and QC 3.0", "wall and travel chargers in {moulded} PC/ABS housings",
         "GaN chargers up to {watts} W", "power adapters with in-house {smt} and burn-in testing")),
    "cable": Profile(9, "USB and data cables", "pieces", 300_000, ["cable-assembly", "injection-molding", "testing"], ["charger", "connector", "earphones"], ["rohs", "reach", "ce"],
        ("automatic cut-strip machines, overmoulding presses", "crimping machines and pull testers"),
        ("TPE jacket and nylon braid, tinned copper", "PVC jacket, oxygen-free copper"),
        ("{typec} and micro-USB charging cables with {moulded} strain relief", "braided data cables in custom {colour}s",
         "wire harness and cable assembly with over{moulding} and crimping", "fast-charge cables rated 3 A and 5 A")),
    "audio": Profile(2, "speakers, receivers and microphones", "pieces", 200_000, ["final-assembly", "testing"], ["earphones", "keypad"], ["rohs"],
        ("voice-coil winding machines, acoustic test boxes",),
        ("neodymium magnets, PET diaphragms",),
        ("micro speakers and receivers for handsets", "MEMS microphone modules and buzzers", "acoustic components tested in an anechoic chamber")),
    "earphones": Profile(6, "earphones and headsets", "pairs", 100_000, ["injection-molding", "final-assembly", "testing", "printing"], ["cable", "audio", "packaging"], ["ce", "rohs", "fcc"],
        ("ultrasonic welders, acoustic testers",),
        ("ABS shells, TPE ear tips, enamelled copper wire",),
        ("wired handsfree earphones with in-line mic", "TWS earbuds with charging cases {moulded} in {colour}-matched ABS",
         "headsets in retail packaging for mobile brands")),
    "camera-module": Profile(1, "camera modules", "modules", 50_000, ["smt", "final-assembly", "testing"], ["pcb-flex", "display-module"], ["rohs"],
        ("active alignment stations in a class 100 clean room",),
        ("CMOS sensors and lens holders",),
        ("front and rear camera module assembly with active alignment", "CCM lens module assembly on {fpc}", "image sensor module testing with MTF charts")),
    "antenna": Profile(2, "antennas", "pieces", 200_000, ["stamping", "printing", "testing"], ["pcb-flex", "housing-plastic", "connector"], ["rohs"],
        ("LDS laser, network analysers",),
        ("LDS-grade PC, copper-nickel plating",),
        ("LDS antennas for {moulded} housings", "{fpc} antennas and NFC coils", "stamped metal antennas with RF testing in a chamber")),
    "connector": Profile(3, "connectors and sockets", "pieces", 500_000, ["stamping", "injection-molding", "surface-finishing"], ["cable", "pcb-flex", "housing-metal"], ["rohs", "reach"],
        ("progressive die presses, insert moulding machines",),
        ("phosphor bronze contacts, LCP housings",),
        ("{typec} receptacles and board-to-board connectors", "SIM and memory card connectors with gold-plated contacts", "{fpc} connectors at 0.5 mm pitch")),
    "passive": Profile(1, "passive components", "pieces", 5_000_000, ["testing"], ["semiconductor", "pcba"], ["qc-080000", "rohs"],
        ("tape-and-reel machines, LCR testers",),
        ("ceramic powders, ferrite cores",),
        ("chip resistors and MLCC capacitors in 0402 and 0603", "ferrite beads and power inductors for chargers", "tape-and-reel passives for {smt} lines")),
    "semiconductor": Profile(0.5, "semiconductor packaging and test", "pieces", 1_000_000, ["testing"], ["passive", "pcba", "motherboard"], ["qc-080000", "iatf-16949"],
        ("IC programmers, automatic test handlers",),
        ("lead frames, mould compound",),
        ("back-end packaging and testing of diodes and transistors", "IC programming and PMIC testing services", "testing of power semiconductors for chargers")),
    "housing-plastic": Profile(8, "plastic housings and back covers", "pieces", 200_000, ["injection-molding", "surface-finishing", "printing"], ["keypad", "protective", "housing-metal"], ["iso-14001", "rohs"],
        ("injection moulding machines 80-450 t with robotic sprue pickers", "two-shot injection molding presses and a UV spray line"),
        ("PC/ABS, PC and PMMA", "ABS with colour masterbatch"),
        ("injection {moulded} back covers and middle frames in PC/ABS", "in-house {mould} making and {mould} maintenance with {lines} CNC centres",
         "UV coating and spray painting with {colour} matching to brand standards", "{mould} flow analysis and two-shot {moulding}")),
    "housing-metal": Profile(5, "metal frames and small metal parts", "pieces", 100_000, ["cnc-machining", "die-casting", "stamping", "surface-finishing"], ["housing-plastic", "connector"], ["iso-14001"],
        ("5-axis CNC centres and an anodizing line", "die-casting cells 160-400 t", "progressive die presses 60-200 t"),
        ("6063 and 7075 aluminium alloy", "SUS304 stainless steel, zinc alloy"),
        ("CNC-machined {aluminium} frames with anodizing in any {colour}", "zinc and {aluminium} die-cast brackets and SIM trays", "stamped shielding cans and progressive-die parts")),
    "keypad": Profile(3, "keypads and buttons", "sets", 200_000, ["injection-molding", "printing", "surface-finishing"], ["housing-plastic", "protective"], ["rohs"],
        ("compression moulding presses, laser etchers",),
        ("silicone rubber, PC keycaps",),
        ("silicone rubber keypads with laser-etched legends", "side keys and dome switches for feature phones", "P+R keypads in custom {colour}s")),
    "packaging": Profile(8, "retail packaging and printed matter", "pieces", 500_000, ["printing"], ["protective", "earphones"], ["iso-14001"],
        ("offset presses and automatic die-cutters", "rigid box machines and UV coaters"),
        ("art card, greyboard and kraft liner", "recycled board"),
        ("rigid gift boxes and retail cartons in four-{colour} offset print", "user manuals, warranty cards and labels printed to order",
         "corrugated shipping cartons and {moulded} pulp trays")),
    "protective": Profile(8, "phone cases and screen protectors", "pieces", 300_000, ["injection-molding", "printing", "cnc-machining"], ["touch-cover-glass", "packaging", "housing-plastic"], ["rohs", "reach"],
        ("injection molding machines and UV printers", "glass cutting line and tempering furnace"),
        ("TPU, PC and silicone", "aluminosilicate glass, OCA"),
        ("TPU and PC phone cases in seasonal {colour}s", "9H tempered glass screen protectors cut to model", "back cases with UV-printed designs and {moulded} bumpers")),
    "assembly-service": Profile(5, "final phone assembly (CKD/SKD)", "handsets", 100_000, ["final-assembly", "testing", "repair", "smt"], ["motherboard", "pcba", "battery", "packaging"], ["pta-type-approval", "iso-14001", "sa8000"],
        ("assembly lines with IMEI programming stations", "RF test stations and drop testers"),
        ("CKD and SKD kits from brand partners",),
        ("CKD and SKD assembly of smartphones and feature phones", "contract assembly on {lines} lines with IMEI writing and PTA-ready testing",
         "box build and OEM assembly for global brands, {smt} in-house")),
    "testing-lab": Profile(2, "testing and certification services", "tests", 2_000, ["testing"], ["assembly-service"], ["iso-iec-17025"],
        ("shielded anechoic chamber and SAR system", "climatic chambers and drop testers"),
        ("",),
        ("RF, SAR and EMC testing for PTA type approval", "drop, tumble and reliability testing of handsets", "battery safety testing to IEC 62133 and UN 38.3")),
}

GENERIC = Profile(1, "electronic components", "pieces", 50_000, (), (), (), ("",), ("",), ("components for phone assemblers",))

INTROS = (
    "{name} is based in {city} and makes {what}.",
    "Founded in {year}, {name} supplies {what} to phone assemblers from {city}.",
    "{name} manufactures {what} at its plant in {city}, {province}.",
    "Family-owned since {year}, {name} produces {what} in {city}.",
    "{name} makes {what} for local and export brands.",
)
CLOSINGS = (
    "Exports to the Gulf and Central Asia.",
    "In-house QC lab; every lot is traceable.",
    "Open to joint ventures with global brands.",
    "Seeking investment for a second production line.",
    "Supplies local assemblers under the Mobile Device Manufacturing Policy.",
    "Samples in {days} days; short lead times on repeat orders.",
    "Custom {colour} matching and private-label branding.",
    "Night shifts available for peak-season orders.",
)

# Weights follow where Pakistan's electronics makers are: Punjab and Sindh first.
CITIES = {
    "Punjab": (48, [("Lahore", "42", "Sundar Industrial Estate"), ("Lahore", "42", "Quaid-e-Azam Industrial Estate"),
                    ("Faisalabad", "41", "M-3 Industrial City"), ("Rawalpindi", "51", "Chaklala Industrial Area"),
                    ("Gujranwala", "55", "GT Road Industrial Area"), ("Sialkot", "52", "Small Industrial Estate"),
                    ("Multan", "61", "Industrial Estate")]),
    "Sindh": (30, [("Karachi", "21", "SITE Area"), ("Karachi", "21", "Korangi Industrial Area"),
                   ("Karachi", "21", "North Karachi Industrial Area"), ("Hyderabad", "22", "SITE Hyderabad"),
                   ("Sukkur", "71", "SITE Sukkur")]),
    "Khyber Pakhtunkhwa": (9, [("Peshawar", "91", "Hayatabad Industrial Estate"), ("Haripur", "995", "Hattar Industrial Estate"),
                               ("Mardan", "937", "Industrial Estate")]),
    "Islamabad Capital Territory": (6, [("Islamabad", "51", "I-9 Industrial Area"), ("Islamabad", "51", "I-10 Industrial Area")]),
    "Balochistan": (3, [("Quetta", "81", "Industrial Estate"), ("Hub", "853", "Hub Industrial Trading Estate")]),
    "Azad Jammu and Kashmir": (2, [("Mirpur", "5827", "Industrial Estate"), ("Muzaffarabad", "5822", "Small Industries Estate")]),
    "Gilgit-Baltistan": (2, [("Gilgit", "5811", "Small Industrial Estate")]),
}

NAME_ROOTS = (
    "Indus", "Ravi", "Chenab", "Jhelum", "Sutlej", "Margalla", "Karakoram", "Hindukush", "Mehran", "Kohinoor",
    "Shaheen", "Sitara", "Hilal", "Noor", "Zarq", "Faran", "Saffron", "Cedar", "Falcon", "Zenith", "Orbit",
    "Pinnacle", "Crescent", "Meridian", "Nexa", "Veloce", "Quanta", "Arif", "Bilal", "Danish", "Ehsan",
    "Farooq", "Ghazi", "Hamza", "Iqra", "Junaid", "Kamran", "Laila", "Mubeen", "Nadia", "Omer", "Parveen",
    "Qasim", "Rehan", "Saima", "Tariq", "Usman", "Wajid", "Yasir", "Zubair", "Deosai", "Nanga", "Rakaposhi",
    "Thar", "Kirthar", "Sulaiman", "Swat", "Kaghan", "Hunza", "Neelum",
)
NAME_MIDDLES = ("", "", "", "Tech", "Precision", "Allied", "United", "Modern", "Smart", "Digital", "Prime", "Royal", "New", "Star", "Micro", "Pak-Gulf")
NAME_TRADES = {
    "pcb-bare": ("Circuits", "PCB", "Boards"), "pcb-flex": ("Flex Circuits", "Flexitech"), "pcba": ("Electronics", "EMS", "Assemblies"),
    "motherboard": ("Mobile Boards", "Electronics"), "display-module": ("Displays", "Optronics"), "touch-cover-glass": ("Glass", "Touch Systems"),
    "battery": ("Power Cells", "Energy", "Batteries"), "charger": ("Power", "Chargers", "Electric"), "cable": ("Cables", "Wires", "Connect"),
    "audio": ("Acoustics", "Audio"), "earphones": ("Audio", "Sound"), "camera-module": ("Optics", "Imaging"), "antenna": ("RF Systems", "Antennas"),
    "connector": ("Connectors", "Interconnect"), "passive": ("Components", "Passives"), "semiconductor": ("Semiconductors", "Microsystems"),
    "housing-plastic": ("Plastics", "Moulders", "Polymers"), "housing-metal": ("Metal Works", "Engineering", "Die Casters"),
    "keypad": ("Rubber Industries", "Keypads"), "packaging": ("Packages", "Printers", "Packaging"), "protective": ("Accessories", "Cases"),
    "assembly-service": ("Mobile Industries", "Devices", "Telecom"), "testing-lab": ("Test Labs", "Testing Services"),
}
NAME_SUFFIXES = ("(Private) Limited", "(Pvt.) Ltd.", "Industries", "& Co.", "Limited", "Enterprises")
EXPORT_MARKETS = ("UAE", "Saudi Arabia", "Afghanistan", "China", "United Kingdom", "Germany", "Kenya", "Bangladesh", "Uzbekistan", "USA", "Qatar", "Oman")
CAPABILITY_NOTES = ("", "", "", "Night shift on request.", "Capacity can double within 3 months.", "Samples free for qualified buyers.", "Second line planned for next year.")
COMMON_CERTS = ("iso-9001", "iso-14001", "iso-45001", "rohs", "reach", "psqca", "ce", "qc-080000", "sa8000")
ISSUERS = {
    "psqca": ("Pakistan Standards and Quality Control Authority",),
    "pta-type-approval": ("Pakistan Telecommunication Authority",),
    "": ("Indus Certification Services", "Crescent Assessment (Pvt) Ltd", "Margalla Conformity Bureau", "Meridian Registrar Pakistan"),
}
SUSPENSION_REASONS = ("Certificate evidence could not be confirmed.", "Buyer complaint under investigation.", "Factory address could not be confirmed at inspection.")

# Firm statuses: ~90% verified; 2% of all firms (all verified ones) are suspended.
STATUSES = (ListingStatus.VERIFIED, ListingStatus.SUBMITTED, ListingStatus.DRAFT, ListingStatus.CHANGES_REQUESTED, ListingStatus.REJECTED)
STATUS_WEIGHTS = (90, 4, 3, 2, 1)
SUSPENDED_SHARE_OF_VERIFIED = 0.02 / 0.90
# fmt: on


@dataclass(frozen=True)
class CorpusStats:
    firms: int
    public_firms: int
    capabilities: int
    capability_processes: int
    certificates: int
    seconds: float

    @property
    def firms_per_s(self) -> float:
        return self.firms / self.seconds


def _expand(template: str, sentence: bool = False) -> tuple[str, ...]:
    """Every spelling of one phrase, worked out once so picking one per firm costs a single choice()."""
    slots = [field for _, field, _, _ in string.Formatter().parse(template) if field]
    slots = list(dict.fromkeys(slots))
    texts = (template.format(**dict(zip(slots, v, strict=True))) for v in itertools.product(*(SLOTS[s] for s in slots)))
    # str.capitalize() would lower-case the rest ("SMT" -> "smt", "mAh" -> "mah"): upper-case the first letter only.
    return tuple(f"{t[:1].upper()}{t[1:]}." if sentence else t for t in texts)


def _variants(templates, sentence: bool = False) -> tuple[tuple[str, ...], ...]:
    return tuple(_expand(t, sentence) for t in templates)


def listing_fields(rng: random.Random, firm_id: int, legal_name: str, trade: str, slug: str, place, province: str):
    """A generated firm's identity and contact columns; `place` is a (city, area code, estate) of CITIES."""
    city, area_code, estate = place
    trade_name = trade if rng.random() < 0.4 else ""
    return {
        "id": firm_id,
        "legal_name": legal_name,
        "trade_name": trade_name,
        # Rows go in by bulk INSERT, past the model's hook that keeps what each name reads as.
        "legal_name_skeleton": skeleton(legal_name)[:200],
        "trade_name_skeleton": skeleton(trade_name)[:200],
        "slug": slug,
        "city": city,
        "province": province,
        "address": f"Plot {rng.randrange(1, 400)}, {estate}, {city}",
        "website": f"https://www.{slug}.example" if rng.random() < 0.6 else "",
        "contact_email": f"sales@{slug}.example",
        "phone": f"+92 {area_code} {rng.randrange(1_000_000, 9_999_999)}",
    }


class _FirmFactory:
    """Makes rows for one firm at a time from a seeded random generator."""

    def __init__(self, rng: random.Random, categories: dict[str, str], processes: set[str], certs: set[str]):
        self.rng = rng
        self.now = datetime.now(UTC)
        self.today = self.now.date()
        self.categories = categories
        self.profiles = {slug: PROFILES.get(slug, GENERIC) for slug in categories}
        self.slugs = list(self.profiles)
        self.cum_weights = list(itertools.accumulate(p.weight for p in self.profiles.values()))
        self.phrases = {slug: _variants(p.phrases, sentence=True) for slug, p in self.profiles.items()}
        self.processes = {slug: [s for s in p.processes if s in processes] for slug, p in self.profiles.items()}
        # Buyers of a line ask for its own certifications (IEC 62133 for batteries...) more than the common ones.
        self.certs = {
            slug: {s: 4 if s in p.certs else 1 for s in (*p.certs, *COMMON_CERTS) if s in certs}
            for slug, p in self.profiles.items()
        }
        self.closings = _variants(CLOSINGS)
        self.provinces = list(CITIES)
        self.province_cum = list(itertools.accumulate(w for w, _ in CITIES.values()))
        self.status_cum = list(itertools.accumulate(STATUS_WEIGHTS))
        self.used_slugs: dict[str, int] = {}

    def pick(self, variants: tuple[tuple[str, ...], ...]) -> str:
        return self.rng.choice(self.rng.choice(variants))

    def firm(self, firm_id: int, first_capability_id: int, first_certificate_id: int):
        """Rows for firm `firm_id`: (firm, capabilities, capability processes, certificates)."""
        rng = self.rng
        categories = self._categories()
        main = categories[0]
        province = rng.choices(self.provinces, cum_weights=self.province_cum)[0]
        city, area_code, estate = rng.choice(CITIES[province][1])
        root = rng.choice(NAME_ROOTS)
        middle = rng.choice(NAME_MIDDLES)
        trade = " ".join(filter(None, (root, middle, rng.choice(NAME_TRADES.get(main, ("Industries",))))))
        suffix = rng.choice(NAME_SUFFIXES)
        if slugify_name(f"{trade} {suffix}")[:72] in self.used_slugs:
            trade = f"{trade} {city}"  # as real firms tell themselves apart from a namesake
        legal_name = f"{trade} {suffix}"
        slug = self._unique_slug(legal_name)
        year = rng.randrange(1972, 2025)
        status = rng.choices(STATUSES, cum_weights=self.status_cum)[0]
        verified = status is ListingStatus.VERIFIED
        suspended = verified and rng.random() < SUSPENDED_SHARE_OF_VERIFIED
        created = self.now - timedelta(seconds=rng.randrange(4 * 365 * 86_400))
        age = self.now - created
        what = self.profiles[main].noun
        parts = [rng.choice(INTROS).format(name=trade, city=city, province=province, year=year, what=what)]
        own = self.phrases[main]
        parts += [rng.choice(v) for v in rng.sample(own, min(len(own), rng.randint(1, 2)))]
        parts += [self.pick(self.phrases[other]) for other in categories[1:] if rng.random() < 0.6]
        if rng.random() < 0.7:
            parts.append(self.pick(self.closings))

        firm = {
            **listing_fields(rng, firm_id, legal_name, trade, slug, (city, area_code, estate), province),
            "year_founded": year if rng.random() < 0.95 else None,
            "employees": min(5_000, int(rng.lognormvariate(4, 1.1)) + 5),
            "export_markets": rng.sample(EXPORT_MARKETS, rng.choice((0, 0, 0, 1, 2, 3, 4))),
            "description": " ".join(parts),
            "ntn": f"{rng.randrange(1_000_000, 9_999_999)}-{rng.randrange(10)}" if rng.random() < 0.85 else None,
            "status": status.value,
            "suspended": suspended,
            "suspension_reason": rng.choice(SUSPENSION_REASONS) if suspended else None,
            "submitted_at": created + age * 0.05 if status is not ListingStatus.DRAFT else None,
            "verified_at": created + age * 0.1 if verified else None,
            "created_at": created,
            "updated_at": created + age * (0.1 + 0.9 * rng.random()),
        }
        capabilities, links = [], []
        for offset, category in enumerate(categories):
            capability_id = first_capability_id + offset
            capabilities.append(self._capability(capability_id, firm_id, category, offset == 0, verified, created))
            options = self.processes[category]
            links += [
                {"capability_id": capability_id, "process_slug": p}
                for p in rng.sample(options, min(len(options), rng.randint(1, 3)))
            ]
        certificates = [
            self._certificate(first_certificate_id + i, firm_id, type_slug, main, created)
            for i, type_slug in enumerate(self._cert_types(main))
        ]
        return firm, capabilities, links, certificates

    def _categories(self) -> list[str]:
        """1-3 distinct categories; the extra ones usually related to the main line, as real firms are."""
        rng = self.rng
        main = rng.choices(self.slugs, cum_weights=self.cum_weights)[0]
        chosen = [main]
        for _ in range(rng.choices((0, 1, 2), weights=(50, 35, 15))[0]):
            related = [s for s in self.profiles[main].related if s in self.profiles and s not in chosen]
            if related and rng.random() < 0.7:
                extra = rng.choice(related)
            else:
                extra = rng.choices(self.slugs, cum_weights=self.cum_weights)[0]
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def _capability(self, capability_id, firm_id, category, main_line, firm_verified, created):
        rng = self.rng
        profile = self.profiles[category]
        if firm_verified:
            review = rng.choices((ReviewStatus.VERIFIED, ReviewStatus.PENDING, ReviewStatus.REJECTED), (92, 6, 2))[0]
        else:
            review = ReviewStatus.PENDING
        capacity = int(profile.capacity * rng.choice((0.1, 0.2, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 5)))
        return {
            "id": capability_id,
            "firm_id": firm_id,
            "category_slug": category,
            "monthly_capacity": capacity,
            "capacity_unit": usual_unit(category),
            "min_order_quantity": rng.choice((None, capacity // 100, capacity // 50, capacity // 20)) or None,
            "lead_time_days": rng.choice((None, 7, 10, 14, 21, 30, 45, 60)),
            "equipment": rng.choice(profile.equipment),
            "materials": rng.choice(profile.materials),
            "notes": rng.choice(CAPABILITY_NOTES),
            "is_main_line": main_line,
            "review_status": review.value,
            "created_at": created,
        }

    def _cert_types(self, main: str) -> list[str]:
        """0-4 distinct certifications; ISO 9001 most often, then what buyers of the main line ask for."""
        rng = self.rng
        count = rng.choices((0, 1, 2, 3, 4), weights=(20, 30, 25, 15, 10))[0]
        if not count:
            return []
        pool = dict(self.certs[main])
        chosen = ["iso-9001"] if rng.random() < 0.7 and pool.pop("iso-9001", None) else []
        while len(chosen) < count and pool:
            pick = rng.choices(list(pool), weights=list(pool.values()))[0]
            chosen.append(pick)
            del pool[pick]
        return chosen

    def _certificate(self, certificate_id, firm_id, type_slug, main, firm_created):
        rng = self.rng
        # Expiry from eight months ago to three years ahead: about one in six has expired.
        expiry = self.today + timedelta(days=rng.randrange(-240, 1095))
        issued = expiry - timedelta(days=3 * 365)
        # Uploaded once both the firm and the certificate existed; reviewed some days later.
        created = max(firm_created, datetime.combine(issued, dt_time(9), UTC))
        created = min(created + timedelta(days=rng.randrange(1, 30)), self.now)
        review = rng.choices((ReviewStatus.VERIFIED, ReviewStatus.PENDING, ReviewStatus.REJECTED), (80, 15, 5))[0]
        return {
            "id": certificate_id,
            "firm_id": firm_id,
            "type_slug": type_slug,
            "number": f"{type_slug.upper().replace('-', '')[:8]}-{expiry.year - 3}-{rng.randrange(10_000, 99_999)}",
            "issuing_body": rng.choice(ISSUERS.get(type_slug, ISSUERS[""])),
            "issue_date": issued,
            "expiry_date": expiry,
            "scope": f"Manufacture of {self.categories[main].lower()}",
            "review_status": review.value,
            "verified_at": created + (self.now - created) * 0.1 if review is ReviewStatus.VERIFIED else None,
            "created_at": created,
        }

    def _unique_slug(self, legal_name: str) -> str:
        base = slugify_name(legal_name)[:72]
        seen = self.used_slugs[base] = self.used_slugs.get(base, 0) + 1
        return base if seen == 1 else f"{base}-{seen}"


def generate_corpus(size: int, seed: int = 2026, progress: bool = True) -> CorpusStats:
    """Insert `size` firms with capabilities, processes and certificates; needs an app context.

    The taxonomy must already be in the database (the migrations load it).
    """
    with db.engine.connect() as conn:
        categories = dict(sorted(conn.execute(select(ComponentCategory.slug, ComponentCategory.name)).all()))
        processes = set(conn.scalars(select(Process.slug)))
        certs = set(conn.scalars(select(CertificationType.slug)))
    if not categories:
        raise RuntimeError("the component taxonomy is empty: run the migrations first")
    factory = _FirmFactory(random.Random(seed), categories, processes, certs)
    return write_firms(factory.firm, size, progress)


def write_firms(make_firm, size: int, progress: bool = True) -> CorpusStats:
    """Insert `size` firms made by `make_firm(firm_id, first_capability_id, first_certificate_id)`,
    which returns the rows of one firm: (firm, capabilities, capability processes, certificates)."""
    started = time.perf_counter()
    engine = db.engine
    firm, capability, certificate = Firm.__table__, Capability.__table__, Certificate.__table__
    with engine.connect() as conn:
        next_id = {t: (conn.scalar(select(func.max(t.c.id))) or 0) + 1 for t in (firm, capability, certificate)}

    counts = dict.fromkeys(("firms", "public", "capabilities", "links", "certificates"), 0)
    batch = max(1, min(BATCH, size // 10))
    next_report = 0.1
    for start in range(0, size, batch):
        firms, capabilities, links, certificates = [], [], [], []
        for _ in range(min(batch, size - start)):
            f, caps, lks, certs_ = make_firm(next_id[firm], next_id[capability], next_id[certificate])
            firms.append(f)
            capabilities += caps
            links += lks
            certificates += certs_
            next_id[firm] += 1
            next_id[capability] += len(caps)
            next_id[certificate] += len(certs_)
        with engine.begin() as conn:
            for table, rows in (
                (firm, firms),
                (capability, capabilities),
                (capability_process, links),
                (certificate, certificates),
            ):
                if rows:
                    conn.execute(table.insert(), rows)
        counts["firms"] += len(firms)
        counts["public"] += sum(1 for f in firms if f["status"] == ListingStatus.VERIFIED and not f["suspended"])
        counts["capabilities"] += len(capabilities)
        counts["links"] += len(links)
        counts["certificates"] += len(certificates)
        if progress and counts["firms"] >= next_report * size:
            elapsed = time.perf_counter() - started
            print(
                f"corpus: {counts['firms']:,}/{size:,} firms ({counts['firms'] / size:.0%}) in {elapsed:.1f} s",
                file=sys.stderr,
                flush=True,
            )
            next_report = counts["firms"] / size + 0.1 - 1e-9

    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Ids were given explicitly, so move the sequences past them; ANALYZE stands in for autovacuum.
            # SQLite gets no ANALYZE: the portal never runs it on its own file either.
            for table in (firm, capability, certificate):
                conn.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), (SELECT max(id) FROM {table.name}))"
                    )
                )
            conn.execute(text("ANALYZE"))
    return CorpusStats(
        counts["firms"],
        counts["public"],
        counts["capabilities"],
        counts["links"],
        counts["certificates"],
        time.perf_counter() - started,
    )
