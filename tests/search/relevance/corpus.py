"""A seeded corpus of fictional firms written in many voices, each kept beside its known attributes.

Firms describe themselves as real listings do: terse lists, marketing prose, Pakistani English,
Roman Urdu words, spec sheets; abbreviations or their expansions, British or American spelling;
numbers as values or ranges in many notations ("5W–65W", "4,000-5,000 mAh", "2 to 8 layer",
"0.4 mm pitch", '6.5"'). What each firm really makes, holds and states (`FirmFacts`) is decided
first and the text written from it, so judgements never depend on the words chosen.

Rows are written with `tests.bench.corpus.write_firms` (SQLAlchemy Core executemany), fast enough
for 100,000 firms; the same seed gives the same firms and the same facts.
"""

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from portal.suppliers.models import ListingStatus, ReviewStatus
from portal.suppliers.models import slugify as slugify_name
from tests.bench.corpus import (
    CITIES,
    NAME_MIDDLES,
    NAME_ROOTS,
    NAME_SUFFIXES,
    NAME_TRADES,
    CorpusStats,
    listing_fields,
    write_firms,
)
from tests.search.relevance.facts import EXPIRED, UNVERIFIED, VALID, FirmFacts, Spec

SEED = 1947


@dataclass(frozen=True)
class Kit:
    """How firms of one category talk about it and what they state."""

    weight: float
    terms: tuple[str, ...]  # what they call it: trade words, abbreviations and expansions, both spellings
    roman: tuple[str, ...]  # Roman Urdu / colloquial names
    processes: tuple[str, ...]
    certs: tuple[str, ...]  # asked of this line besides the common ones
    specs: tuple[str, ...] = ()  # spec kinds of SPEC_KINDS this line states
    capacity: int = 100_000
    unit: str = "pcs"


# fmt: off
KITS = {
    "charger": Kit(9, ("chargers", "mobile chargers", "wall chargers", "travel adapters", "power adapters", "AC adaptors",
                       "fast chargers", "PD chargers", "GaN chargers", "SMPS adapters", "switch-mode power supplies", "USB chargers"),
                   ("charger", "mobile charger", "chargers ka maal"),
                   ("smt", "tht", "injection-molding", "final-assembly", "testing"), ("ce", "ul", "fcc", "rohs", "psqca", "pta-type-approval"),
                   ("watts", "volts"), 150_000, "units"),
    "battery": Kit(5, ("Li-ion battery packs", "lithium-ion batteries", "LiPo cells", "lithium polymer batteries", "Li-Po packs",
                       "mobile batteries", "power banks", "battery packs", "rechargeable cells", "BMS battery packs"),
                   ("battery", "mobile battery", "betri", "cell"),
                   ("cell-assembly", "testing", "smt"), ("iec-62133", "un-38-3", "ce", "psqca"), ("mah", "cell_volts"), 100_000, "packs"),
    "cable": Kit(9, ("USB cables", "data cables", "charging cables", "Type-C cables", "USB-C leads", "micro USB cords",
                     "braided cables", "cable assemblies", "wire harnesses", "fast-charge cables"),
                 ("data cable", "charging cable", "taar"),
                 ("cable-assembly", "injection-molding", "testing"), ("rohs", "reach", "ce"), ("amps", "cable_watts"), 300_000),
    "pcb-bare": Kit(4, ("PCBs", "printed circuit boards", "bare boards", "multilayer PCBs", "FR4 boards", "HDI PCBs",
                        "double sided PCBs", "printed wiring boards", "PWBs", "circuit boards"),
                    ("circuit board", "PCB plate"),
                    ("pcb-fabrication", "testing"), ("ul", "rohs", "reach", "iso-14001"), ("layers", "copper"), 5_000, "m²"),
    "pcb-flex": Kit(2, ("flexible printed circuits", "FPCs", "flex PCBs", "flex circuits", "rigid-flex boards", "flexible circuit boards",
                        "polyimide flex cables"),
                    ("flex patti",),
                    ("pcb-fabrication", "smt", "testing"), ("rohs", "ul"), ("flex_layers", "polyimide"), 1_500, "m²"),
    "pcba": Kit(7, ("PCB assembly", "PCBA", "SMT assembly", "surface mount assembly", "EMS", "electronics manufacturing services",
                    "contract electronics manufacturing", "board stuffing", "through-hole assembly"),
                ("board bharai", "PCB assembly ka kaam"),
                ("smt", "tht", "testing", "repair"), ("ipc-a-610", "qc-080000", "rohs", "iatf-16949"), ("pitch",), 200_000, "boards"),
    "motherboard": Kit(3, ("mobile motherboards", "phone mainboards", "main logic boards", "MLBs", "logic boards", "smartphone main boards",
                           "handset main PCBs"),
                       ("mother board", "mobile ka board"),
                       ("smt", "testing", "repair"), ("ipc-a-610", "qc-080000", "iatf-16949"), ("pitch",), 50_000, "boards"),
    "display-module": Kit(2, ("LCD modules", "LCMs", "TFT displays", "IPS panels", "OLED screens", "AMOLED displays", "display modules",
                              "mobile screens", "LCD panels"),
                          ("screen", "mobile screen", "LCD"),
                          ("final-assembly", "testing", "repair"), ("rohs",), ("inches",), 30_000, "modules"),
    "touch-cover-glass": Kit(2, ("cover glass", "touch panels", "touchscreens", "digitisers", "digitizers", "cover lenses",
                                 "toughened glass lenses", "tempered cover glass", "CTP touch panels"),
                             ("touch", "sheesha"),
                             ("cnc-machining", "printing", "surface-finishing"), ("rohs",), ("inches", "glass_mm"), 100_000),
    "audio": Kit(2, ("micro speakers", "loudspeakers", "receivers", "earpieces", "MEMS microphones", "mics", "buzzers",
                     "acoustic components"),
                 ("speaker", "mic"),
                 ("final-assembly", "testing"), ("rohs",), ("driver_mm",), 200_000),
    "earphones": Kit(5, ("earphones", "handsfree", "hands-free kits", "headsets", "earbuds", "TWS earbuds", "headphones",
                         "wired earphones"),
                     ("handsfree", "hands free", "headphone"),
                     ("injection-molding", "final-assembly", "testing", "printing"), ("ce", "rohs", "fcc"), ("driver_mm",), 100_000, "pairs"),
    "camera-module": Kit(1, ("camera modules", "CCMs", "compact camera modules", "image sensor modules", "lens modules",
                             "front and rear cameras"),
                         ("camera",),
                         ("smt", "final-assembly", "testing"), ("rohs",), (), 50_000, "modules"),
    "antenna": Kit(2, ("antennas", "antennae", "LDS antennas", "FPC antennas", "NFC coils", "RF antennas", "aerials"),
                   ("antenna",),
                   ("stamping", "printing", "testing"), ("rohs",), (), 200_000),
    "connector": Kit(3, ("connectors", "sockets", "USB-C receptacles", "board-to-board connectors", "BTB connectors",
                         "SIM card connectors", "FPC connectors", "audio jacks"),
                     ("connector", "socket"),
                     ("stamping", "injection-molding", "surface-finishing"), ("rohs", "reach", "iatf-16949"), ("pitch",), 500_000),
    "passive": Kit(1, ("passive components", "passives", "MLCCs", "chip capacitors", "resistors", "inductors", "ferrite beads"),
                   ("capacitor",),
                   ("testing",), ("qc-080000", "rohs", "iatf-16949"), (), 5_000_000),
    "semiconductor": Kit(0.5, ("semiconductors", "ICs", "integrated circuits", "PMICs", "power management ICs", "diodes and transistors",
                               "chip testing"),
                         ("chip",),
                         ("testing",), ("qc-080000", "iatf-16949"), (), 1_000_000),
    "housing-plastic": Kit(7, ("plastic housings", "back covers", "battery covers", "middle frames", "injection moulded parts",
                               "injection molded parts", "plastic enclosures", "mobile casings"),
                           ("mobile body", "plastic body", "dhancha"),
                           ("injection-molding", "surface-finishing", "printing"), ("iso-14001", "rohs"), (), 200_000),
    "housing-metal": Kit(4, ("metal frames", "aluminium frames", "aluminum frames", "CNC frames", "SIM trays", "shielding cans",
                             "die-cast parts", "stamped parts", "metal brackets"),
                         ("metal frame", "dhaat ka frame"),
                         ("cnc-machining", "die-casting", "stamping", "surface-finishing"), ("iso-14001", "iatf-16949"), (), 100_000),
    "keypad": Kit(2, ("keypads", "rubber keypads", "silicone keypads", "buttons", "side keys", "dome switches"),
                  ("button", "keypad"),
                  ("injection-molding", "printing", "surface-finishing"), ("rohs",), (), 200_000, "sets"),
    "packaging": Kit(7, ("packaging", "gift boxes", "retail boxes", "cartons", "printed boxes", "user manuals", "labels",
                         "rigid boxes", "packing material"),
                     ("dabba", "packing", "dabbe"),
                     ("printing",), ("iso-14001", "psqca"), (), 500_000),
    "protective": Kit(7, ("phone cases", "mobile covers", "back cases", "screen protectors", "tempered glass protectors",
                          "toughened glass protectors", "TPU covers", "silicone cases"),
                      ("mobile cover", "back cover", "glass protector"),
                      ("injection-molding", "printing", "cnc-machining"), ("rohs", "reach"), ("protector_mm",), 300_000),
    "assembly-service": Kit(4, ("final assembly", "CKD assembly", "SKD assembly", "box build", "contract assembly",
                                "OEM assembly", "ODM manufacturing", "phone assembly"),
                            ("mobile assembly", "assembling"),
                            ("final-assembly", "testing", "repair", "smt"), ("pta-type-approval", "iso-14001", "sa8000"), (), 100_000, "handsets"),
    "testing-lab": Kit(1, ("testing laboratory", "test lab", "certification lab", "RF testing", "SAR testing", "EMC testing",
                           "reliability testing", "drop testing"),
                       ("lab", "testing"),
                       ("testing",), ("iso-iec-17025",), (), 2_000, "tests"),
}

# Related lines a firm often makes too.
RELATED = {
    "charger": ("cable", "pcba", "housing-plastic"), "battery": ("charger", "pcba"), "cable": ("charger", "connector", "earphones"),
    "pcb-bare": ("pcb-flex", "pcba"), "pcb-flex": ("pcb-bare", "antenna", "connector"), "pcba": ("motherboard", "charger", "pcb-bare"),
    "motherboard": ("pcba", "assembly-service"), "display-module": ("touch-cover-glass",), "touch-cover-glass": ("display-module", "protective"),
    "audio": ("earphones",), "earphones": ("audio", "cable", "packaging"), "camera-module": ("pcb-flex",), "antenna": ("pcb-flex", "connector"),
    "connector": ("cable", "housing-metal"), "passive": ("semiconductor",), "semiconductor": ("passive",),
    "housing-plastic": ("keypad", "protective", "housing-metal"), "housing-metal": ("housing-plastic", "connector"),
    "keypad": ("housing-plastic",), "packaging": ("protective",), "protective": ("packaging", "touch-cover-glass"),
    "assembly-service": ("motherboard", "pcba", "packaging"), "testing-lab": ("assembly-service",),
}

PROCESS_WORDS = {
    "smt": ("SMT", "surface mount", "surface-mount technology", "pick and place", "reflow soldering"),
    "tht": ("through-hole", "THT", "DIP insertion", "wave soldering"),
    "pcb-fabrication": ("PCB fabrication", "etching and plating", "drilling, plating and solder mask", "board fab"),
    "injection-molding": ("injection moulding", "injection molding", "plastic moulding", "mould making", "tooling"),
    "die-casting": ("die casting", "zinc die-casting", "pressure die casting"),
    "cnc-machining": ("CNC machining", "CNC milling", "CNC"),
    "stamping": ("metal stamping", "press tooling", "progressive die stamping"),
    "surface-finishing": ("anodising", "anodizing", "spray painting", "UV coating", "electroplating", "PVD coating"),
    "printing": ("offset printing", "pad printing", "silk screen printing", "screen printing"),
    "cell-assembly": ("cell grading", "spot welding", "pack assembly", "BMS fitting"),
    "cable-assembly": ("cable assembly", "overmoulding", "overmolding", "crimping"),
    "final-assembly": ("final assembly", "box build", "line assembly"),
    "testing": ("functional testing", "burn-in", "ICT/FCT", "reliability testing", "QC testing"),
    "repair": ("repair", "rework", "refurbishment", "RMA handling"),
}

CERT_WORDS = {
    "iso-9001": ("ISO 9001", "ISO 9001:2015", "ISO9001", "ISO-9001 QMS"),
    "iso-14001": ("ISO 14001", "ISO 14001:2015", "ISO14001"),
    "iso-45001": ("ISO 45001", "ISO45001"),
    "iatf-16949": ("IATF 16949", "IATF16949", "IATF 16949:2016"),
    "iso-iec-17025": ("ISO/IEC 17025", "ISO 17025", "17025 accredited"),
    "ipc-a-610": ("IPC-A-610", "IPC-A-610 Class 3", "IPC 610"),
    "qc-080000": ("IECQ QC 080000", "QC080000", "HSPM QC 080000"),
    "rohs": ("RoHS", "RoHS compliant", "ROHS"),
    "reach": ("REACH", "REACH compliant"),
    "ce": ("CE", "CE marked", "CE marking"),
    "fcc": ("FCC", "FCC approved"),
    "ul": ("UL", "UL listed", "UL certified"),
    "iec-62133": ("IEC 62133", "IEC62133"),
    "un-38-3": ("UN 38.3", "UN38.3"),
    "pta-type-approval": ("PTA type approval", "PTA approved", "PTA type-approved"),
    "psqca": ("PSQCA", "PSQCA certified"),
    "sa8000": ("SA8000", "SA 8000"),
}
COMMON_CERTS = ("iso-9001", "iso-14001", "iso-45001", "rohs", "reach", "psqca", "ce", "qc-080000", "sa8000")

PROVINCE_WORDS = {
    "Punjab": ("Punjab",),
    "Sindh": ("Sindh", "Sind"),
    "Khyber Pakhtunkhwa": ("Khyber Pakhtunkhwa", "KPK", "KP", "Khyber-Pakhtunkhwa"),
    "Islamabad Capital Territory": ("Islamabad Capital Territory", "ICT"),
    "Balochistan": ("Balochistan", "Baluchistan"),
    "Azad Jammu and Kashmir": ("Azad Jammu and Kashmir", "AJK", "Azad Kashmir"),
    "Gilgit-Baltistan": ("Gilgit-Baltistan", "GB"),
}
# Some firms add their line in Urdu script to a listing written in English.
URDU = {
    "charger": "موبائل چارجر", "battery": "بیٹری", "cable": "ڈیٹا کیبل", "earphones": "ہینڈز فری",
    "protective": "موبائل کور", "packaging": "پیکنگ ڈبے", "display-module": "موبائل اسکرین", "housing-plastic": "موبائل باڈی",
}
CITY_WORDS = {"Rawalpindi": ("Rawalpindi", "Pindi"), "Karachi": ("Karachi", "KHI"), "Lahore": ("Lahore", "LHR")}
# fmt: on

# Firm statuses: most are public; the rest must never be returned.
HIDDEN_SHARE = 0.08


def _num(value: float, rng: random.Random) -> str:
    if value >= 1000 and rng.random() < 0.5:
        return f"{value:,.0f}"
    return f"{value:g}"


def _spec(rng: random.Random, unit: str, low: float, high: float, units: tuple[str, ...]) -> tuple[list[Spec], str]:
    """State `unit` from `low` to `high` one of the ways firms write it; the facts follow the words."""
    u = rng.choice(units)
    lo, hi = _num(low, rng), _num(high, rng)
    if low == high:
        return [Spec(unit, high, high)], f"{hi}{u}"
    style = 4 if low == 0 else rng.randrange(6)
    if style == 4:
        return [Spec(unit, 0, high)], f"up to {hi}{u}"
    if style == 5:
        whole = float(low).is_integer() and float(high).is_integer()
        middle = round((low + high) / 2) if whole else round((low + high) / 2, 2)
        return [Spec(unit, v, v) for v in (low, middle, high)], f"{lo}{u}, {_num(middle, rng)}{u} and {hi}{u}"
    text = (f"{lo}{u}–{hi}{u}", f"{lo}-{hi}{u}", f"{lo} to {hi}{u}", f"from {lo}{u} to {hi}{u}")[style]
    return [Spec(unit, low, high)], text


def _pick_range(rng: random.Random, lows, highs) -> tuple[float, float]:
    low = rng.choice(lows)
    return low, rng.choice([h for h in highs if h >= low])


SPEC_KINDS = {
    "watts": lambda r: _spec(r, "W", *_pick_range(r, (5, 5, 10, 18, 20), (18, 20, 25, 33, 45, 65, 100, 120)), ("W", " W", " watt", "-watt", " watts")),
    "volts": lambda r: _spec(r, "V", 5, r.choice((9, 12, 20)), ("V", " V", " volt")),
    "mah": lambda r: _spec(r, "mAh", *_pick_range(r, (1000, 1500, 2000, 3000, 4000, 5000), (3000, 4000, 5000, 6000, 10000, 20000)), ("mAh", " mAh", "mah", " MAH")),
    "cell_volts": lambda r: _spec(r, "V", 3.7, r.choice((3.7, 3.85, 4.2)), ("V", " V")),
    "amps": lambda r: _spec(r, "A", *_pick_range(r, (1, 2, 2.4, 3), (3, 5, 6)), ("A", " A", " amp")),
    "cable_watts": lambda r: _spec(r, "W", 0, r.choice((18, 60, 100, 240)), ("W", " W", " watt")) if r.random() < 0.6 else _spec(r, "W", 60, 60, ("W",)),
    "layers": lambda r: _spec(r, "layers", *_pick_range(r, (1, 2, 2, 4), (2, 4, 6, 8, 10, 12, 16)), (" layer", "-layer", "L", " layers")),
    "copper": lambda r: _spec(r, "µm", *_pick_range(r, (12, 18, 35), (35, 70, 105)), (" µm", "um", " micron")),
    "flex_layers": lambda r: _spec(r, "layers", 1, r.choice((1, 2, 4, 6)), (" layer", "-layer", "L")),
    "polyimide": lambda r: _spec(r, "µm", *_pick_range(r, (12, 12.5, 25), (25, 50)), (" µm", "um", " micron")),
    "pitch": lambda r: _spec(r, "mm", *(lambda p: (p, p))(r.choice((0.3, 0.35, 0.4, 0.5))), (" mm pitch", "mm pitch", " mm")),
    "inches": lambda r: _spec(r, "inch", *_pick_range(r, (1.8, 2.4, 4, 5, 5.5), (2.8, 4, 5.5, 6.1, 6.5, 6.8, 7)), (" inch", '"', "-inch", " in")),
    "glass_mm": lambda r: _spec(r, "mm", *_pick_range(r, (0.4, 0.55), (0.55, 0.7, 1.1)), (" mm thick", "mm glass", " mm")),
    "driver_mm": lambda r: _spec(r, "mm", *(lambda d: (d, d))(r.choice((6, 8, 10, 13, 15))), (" mm drivers", "mm driver", " mm")),
    "protector_mm": lambda r: _spec(r, "mm", *(lambda d: (d, d))(r.choice((0.26, 0.33, 0.4))), (" mm tempered glass", "mm thick", " mm")),
}  # fmt: skip


def _capacity_text(rng: random.Random, capacity: int, unit: str) -> str:
    style = rng.randrange(5)
    if style == 0:
        return f"{capacity:,} {unit} per month"
    if style == 1:
        return f"{capacity} {unit}/month"
    if style == 2 and capacity >= 100_000:
        return f"{capacity / 100_000:g} lakh {unit} monthly"
    if style == 3 and capacity >= 1000:
        return f"monthly capacity {capacity // 1000}K {unit}"
    return f"capacity of {capacity:,} {unit} a month"


@dataclass
class _Draft:
    """What is decided about a firm before its text is written."""

    name: str
    city: str
    province: str
    estate: str
    year: int
    categories: list
    terms: list  # (category, term) mentioned
    spec_texts: list
    process_texts: list
    cert_texts: list
    capacity_text: str
    roman: str


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _terse(d: _Draft, rng) -> str:
    bits = [", ".join(t for _, t in d.terms)]
    bits += d.spec_texts
    bits += [" / ".join(d.process_texts)] if d.process_texts else []
    bits += [", ".join(d.cert_texts)] if d.cert_texts else []
    bits.append(d.capacity_text)
    bits.append(d.city)
    return rng.choice((". ", " | ", "; ")).join(b[:1].upper() + b[1:] for b in bits if b) + "."


def _marketing(d: _Draft, rng) -> str:
    what = _join([t for _, t in d.terms])
    text = (
        f"{d.name} is a leading innovator delivering world-class {what} to global brands from our "
        f"state-of-the-art facility in {d.city}."
    )
    if d.spec_texts:
        text += f" Our portfolio spans {_join(d.spec_texts)}."
    if d.process_texts:
        text += f" In-house {_join(d.process_texts)} ensures uncompromising quality."
    if d.cert_texts:
        text += f" Proudly {_join(d.cert_texts)} certified."
    return text + rng.choice((" Partner with us for the future.", " Quality you can trust.", ""))


def _pakistani_english(d: _Draft, rng) -> str:
    what = _join([t for _, t in d.terms])
    text = f"We are leading manufacturer and supplier of {what} since {d.year}."
    if d.spec_texts:
        text += f" Having complete range {_join(d.spec_texts)}."
    text += f" Our production capacity is {d.capacity_text}."
    if d.process_texts:
        text += f" We are also doing {_join(d.process_texts)} under one roof."
    if d.cert_texts:
        text += f" Company is having {_join(d.cert_texts)}."
    return text + f" Located at {d.estate}, {d.city}, {d.province}. Kindly contact for rates."


def _roman_urdu(d: _Draft, rng) -> str:
    what = _join([t for _, t in d.terms])
    text = f"{d.roman[:1].upper()}{d.roman[1:]} ka kaam {d.year} se. Hum {what} banate hain"
    text += f", {_join(d.spec_texts)}." if d.spec_texts else "."
    text += f" Maal {d.capacity_text} tayyar hota hai."
    if d.cert_texts:
        text += f" {_join(d.cert_texts)} bhi hai."
    return text + f" Factory {d.city} mein hai, {d.province}. Wholesale aur export dono."


def _spec_sheet(d: _Draft, rng) -> str:
    lines = [f"Products: {'; '.join(t for _, t in d.terms)}"]
    if d.spec_texts:
        lines.append(f"Range: {', '.join(d.spec_texts)}")
    if d.process_texts:
        lines.append(f"Processes: {', '.join(d.process_texts)}")
    if d.cert_texts:
        lines.append(f"Certifications: {', '.join(d.cert_texts)}")
    lines.append(f"Capacity: {d.capacity_text}")
    lines.append(f"Location: {d.city}, {d.province}")
    return ". ".join(lines) + "."


VOICES = (_terse, _marketing, _pakistani_english, _roman_urdu, _spec_sheet)
VOICE_WEIGHTS = (25, 20, 25, 10, 20)


class RelevanceFirms:
    """Makes one firm at a time (rows for the database and its facts) from a seeded generator."""

    def __init__(self, seed: int = SEED):
        self.rng = random.Random(seed)
        self.now = datetime.now(UTC)
        self.today = self.now.date()
        self.slugs = list(KITS)
        self.weights = [KITS[s].weight for s in self.slugs]
        self.provinces = list(CITIES)
        self.province_weights = [w for w, _ in CITIES.values()]
        self.used_slugs: set[str] = set()
        self.facts: dict[int, FirmFacts] = {}

    def _categories(self) -> list[str]:
        rng = self.rng
        chosen = [rng.choices(self.slugs, self.weights)[0]]
        for _ in range(rng.choices((0, 1, 2), (55, 33, 12))[0]):
            extra = rng.choice(RELATED[chosen[0]]) if rng.random() < 0.75 else rng.choices(self.slugs, self.weights)[0]
            if extra not in chosen:
                chosen.append(extra)
        return chosen

    def _certificates(self, main: str) -> list[tuple[str, str]]:
        rng = self.rng
        count = rng.choices((0, 1, 2, 3, 4), (20, 30, 25, 15, 10))[0]
        pool = list(dict.fromkeys(("iso-9001", *KITS[main].certs, *COMMON_CERTS)))
        weights = [6 if s == "iso-9001" else 4 if s in KITS[main].certs else 1 for s in pool]
        chosen: list[str] = []
        while len(chosen) < count:
            pick = rng.choices(pool, weights)[0]
            if pick not in chosen:
                chosen.append(pick)
        return [(slug, rng.choices((VALID, EXPIRED, UNVERIFIED), (72, 15, 13))[0]) for slug in chosen]

    def firm(self, firm_id: int, first_capability_id: int, first_certificate_id: int):
        """The rows of one firm (firm, capabilities, capability processes, certificates); its facts are kept."""
        rng = self.rng
        categories = self._categories()
        main = categories[0]
        kit = KITS[main]
        province = rng.choices(self.provinces, self.province_weights)[0]
        city, area_code, estate = rng.choice(CITIES[province][1])
        trade = " ".join(
            filter(None, (rng.choice(NAME_ROOTS), rng.choice(NAME_MIDDLES), rng.choice(NAME_TRADES[main])))
        )
        legal_name = f"{trade} {rng.choice(NAME_SUFFIXES)}"
        slug = base = slugify_name(legal_name)[:70]
        n = 1
        while slug in self.used_slugs:
            n += 1
            slug = f"{base}-{n}"
        self.used_slugs.add(slug)

        processes = {
            c: rng.sample(KITS[c].processes, min(len(KITS[c].processes), rng.randint(1, 3))) for c in categories
        }
        certificates = self._certificates(main)
        specs, spec_texts = [], []
        for category in categories:
            for kind in KITS[category].specs:
                if rng.random() < 0.75:
                    stated, text = SPEC_KINDS[kind](rng)
                    specs += stated
                    spec_texts.append(text)
        capacity = int(kit.capacity * rng.choice((0.1, 0.25, 0.5, 1, 1.5, 2, 3, 5)))
        terms = [(main, t) for t in rng.sample(kit.terms, rng.randint(1, 3))]
        terms += [(c, rng.choice(KITS[c].terms)) for c in categories[1:] if rng.random() < 0.7]
        all_processes = list(dict.fromkeys(p for ps in processes.values() for p in ps))
        draft = _Draft(
            name=trade,
            city=rng.choice(CITY_WORDS.get(city, (city,))),
            province=rng.choice(PROVINCE_WORDS[province]),
            estate=estate,
            year=rng.randrange(1975, 2025),
            categories=categories,
            terms=terms,
            spec_texts=spec_texts,
            process_texts=[rng.choice(PROCESS_WORDS[p]) for p in all_processes if rng.random() < 0.6],
            # Firms mention some certificates, sometimes ones that lapsed or were never verified.
            cert_texts=[rng.choice(CERT_WORDS[s]) for s, _ in certificates if rng.random() < 0.5],
            capacity_text=_capacity_text(rng, capacity, kit.unit),
            roman=rng.choice(kit.roman),
        )
        description = rng.choices(VOICES, VOICE_WEIGHTS)[0](draft, rng)
        if main in URDU and rng.random() < 0.1:
            description += f" ({URDU[main]})"

        hidden = rng.random() < HIDDEN_SHARE
        status = rng.choice((ListingStatus.DRAFT, ListingStatus.SUBMITTED, ListingStatus.VERIFIED)) if hidden else None
        status = status or ListingStatus.VERIFIED
        suspended = hidden and status is ListingStatus.VERIFIED
        created = self.now - timedelta(days=rng.randrange(30, 1500))
        self.facts[firm_id] = FirmFacts(
            firm_id=firm_id,
            public=not hidden,
            categories=tuple(categories),
            processes=frozenset(all_processes),
            certificates=tuple(certificates),
            city=city,
            province=province,
            specs=tuple(specs),
            capacity=capacity,
        )
        firm = {
            **listing_fields(rng, firm_id, legal_name, trade, slug, (city, area_code, estate), province),
            "year_founded": draft.year,
            "employees": rng.randrange(10, 900),
            "export_markets": [],
            "description": description,
            "ntn": None,
            "status": status.value,
            "suspended": suspended,
            "suspension_reason": "Buyer complaint under investigation." if suspended else None,
            "submitted_at": created if status is not ListingStatus.DRAFT else None,
            "verified_at": created + timedelta(days=3) if status is ListingStatus.VERIFIED else None,
            "created_at": created,
            "updated_at": created + timedelta(days=5),
        }
        capabilities, links = [], []
        for offset, category in enumerate(categories):
            capability_id = first_capability_id + offset
            kit_c = KITS[category]
            capabilities.append(
                {
                    "id": capability_id,
                    "firm_id": firm_id,
                    "category_slug": category,
                    "monthly_capacity": capacity if offset == 0 else int(kit_c.capacity * rng.choice((0.25, 0.5, 1))),
                    "capacity_unit": kit_c.unit,
                    "min_order_quantity": None,
                    "lead_time_days": rng.choice((None, 10, 14, 21, 30)),
                    "equipment": "",
                    "materials": "",
                    "notes": "",
                    "is_main_line": offset == 0,
                    "review_status": ReviewStatus.VERIFIED.value,
                    "created_at": created,
                }
            )
            links += [{"capability_id": capability_id, "process_slug": p} for p in processes[category]]
        rows = []
        for i, (type_slug, state) in enumerate(certificates):
            expiry = self.today + timedelta(
                days=rng.randrange(-400, -1) if state == EXPIRED else rng.randrange(30, 1000)
            )
            review = ReviewStatus.PENDING if state == UNVERIFIED else ReviewStatus.VERIFIED
            rows.append(
                {
                    "id": first_certificate_id + i,
                    "firm_id": firm_id,
                    "type_slug": type_slug,
                    "number": f"{type_slug.upper()[:8]}-{rng.randrange(10_000, 99_999)}",
                    "issuing_body": "Margalla Conformity Bureau",
                    "issue_date": expiry - timedelta(days=3 * 365),
                    "expiry_date": expiry,
                    "scope": "",
                    "review_status": review.value,
                    "verified_at": created if review is ReviewStatus.VERIFIED else None,
                    "created_at": created,
                }
            )
        return firm, capabilities, links, rows


def generate(size: int, seed: int = SEED, progress: bool = False) -> tuple[CorpusStats, dict[int, FirmFacts]]:
    """Write `size` firms into the app's database (needs an app context and the taxonomy); return
    the write's figures and every firm's facts by id."""
    firms = RelevanceFirms(seed)
    stats = write_firms(firms.firm, size, progress)
    return stats, firms.facts
