"""Buyer queries with what each one wants, written from the firms' attributes as sourcing engineers,
buyers and workshop owners type them; never from the search engine's thesaurus or its answers.

Each query's intent names the categories (any of them), processes, certificate, place and
quantity it asks for; `judge.grade` turns that into a 0-3 grade per firm. The same queries are
judged over the generated corpus and over the demo data; the demo set adds a few worded the way
the demo firms write.
"""

from dataclasses import dataclass

from tests.search.relevance.judge import Intent, Quantity

SINGLE = "single term"
ABBREVIATION = "abbreviation"
EXPANSION = "expansion"
MISSPELLING = "misspelling"
SPLIT = "split/joined word"
NUMBER = "number with unit"
CERTIFICATE = "certificate"
PLACE = "place"
MULTI = "multi-attribute"
ROMAN_URDU = "Roman Urdu"
URDU = "Urdu script"
TYPES = (SINGLE, ABBREVIATION, EXPANSION, MISSPELLING, SPLIT, NUMBER, CERTIFICATE, PLACE, MULTI, ROMAN_URDU, URDU)


@dataclass(frozen=True)
class Query:
    text: str
    type: str
    intent: Intent


def q(text, type_, cats=(), procs=(), cert=None, city=(), province=None, qty=None) -> Query:
    cats = (cats,) if isinstance(cats, str) else cats
    procs = (procs,) if isinstance(procs, str) else procs
    city = (city,) if isinstance(city, str) else city
    quantity = Quantity(*qty) if qty else None
    return Query(text, type_, Intent(tuple(cats), tuple(procs), cert, tuple(city), province, quantity))


BOARDS = ("pcb-bare", "pcb-flex")
GLASS = ("touch-cover-glass", "protective")  # "tempered glass" means cover glass to some, screen protectors to most
KP, ICT, AJK, GB = "Khyber Pakhtunkhwa", "Islamabad Capital Territory", "Azad Jammu and Kashmir", "Gilgit-Baltistan"

# The queries of issue 15's table, as the issue wrote them.
ISSUE_TABLE = [
    q("ISO 9001", CERTIFICATE, cert="iso-9001"),
    q("IATF certified", CERTIFICATE, cert="iatf-16949"),
    q("RoHS cables", CERTIFICATE, "cable", cert="rohs"),
    q("20W adapter", NUMBER, "charger", qty=(20, "W")),
    q("motherbord", MISSPELLING, "motherboard"),
    q("mother board", SPLIT, "motherboard"),
    q("bettery", MISSPELLING, "battery"),
    q("eight layer board", NUMBER, "pcb-bare", qty=(8, "layers")),
    q("toughened glass", SINGLE, GLASS),
    q("KPK connectors", PLACE, "connector", province=KP),
    q("lithium polymer 4000 mAh", NUMBER, "battery", qty=(4000, "mAh")),
    q("بیٹری", URDU, "battery"),
]

QUERIES = ISSUE_TABLE + [
    # single terms
    q("charger", SINGLE, "charger"),
    q("battery", SINGLE, "battery"),
    q("data cable", SINGLE, "cable"),
    q("earphones", SINGLE, "earphones"),
    q("packaging", SINGLE, "packaging"),
    q("phone case", SINGLE, "protective"),
    q("speaker", SINGLE, "audio"),
    q("antenna", SINGLE, "antenna"),
    q("connectors", SINGLE, "connector"),
    q("keypad", SINGLE, "keypad"),
    q("camera module", SINGLE, "camera-module"),
    q("screen protector", SINGLE, "protective"),
    q("capacitors", SINGLE, "passive"),
    q("display", SINGLE, "display-module"),
    q("adaptor", SINGLE, "charger"),
    q("gift box", SINGLE, "packaging"),
    # abbreviations
    q("PCB", ABBREVIATION, BOARDS),
    q("PCBA", ABBREVIATION, "pcba"),
    q("FPC", ABBREVIATION, "pcb-flex"),
    q("LCM", ABBREVIATION, "display-module"),
    q("TWS", ABBREVIATION, "earphones"),
    q("BMS", ABBREVIATION, "battery"),
    q("EMS", ABBREVIATION, "pcba"),
    q("SMT", ABBREVIATION, procs="smt"),
    q("MLCC", ABBREVIATION, "passive"),
    q("CKD", ABBREVIATION, "assembly-service"),
    q("SKD", ABBREVIATION, "assembly-service"),
    q("LiPo", ABBREVIATION, "battery"),
    q("PMIC", ABBREVIATION, "semiconductor"),
    q("BTB connector", ABBREVIATION, "connector"),
    q("CTP", ABBREVIATION, "touch-cover-glass"),
    q("THT", ABBREVIATION, procs="tht"),
    q("PSU", ABBREVIATION, "charger"),
    q("CNC", ABBREVIATION, procs="cnc-machining"),
    # expansions
    q("printed circuit board", EXPANSION, BOARDS),
    q("flexible printed circuit", EXPANSION, "pcb-flex"),
    q("surface mount technology", EXPANSION, procs="smt"),
    q("electronics manufacturing services", EXPANSION, "pcba"),
    q("liquid crystal display", EXPANSION, "display-module"),
    q("true wireless earbuds", EXPANSION, "earphones"),
    q("battery management system", EXPANSION, "battery"),
    q("multilayer ceramic capacitor", EXPANSION, "passive"),
    q("completely knocked down assembly", EXPANSION, "assembly-service"),
    q("power management IC", EXPANSION, "semiconductor"),
    q("board to board connector", EXPANSION, "connector"),
    q("lithium ion battery", EXPANSION, "battery"),
    q("switch mode power supply", EXPANSION, "charger"),
    q("through hole assembly", EXPANSION, procs="tht"),
    q("organic light emitting diode display", EXPANSION, "display-module"),
    q("printed circuit board assembly", EXPANSION, "pcba"),
    # misspellings
    q("chargr", MISSPELLING, "charger"),
    q("conector", MISSPELLING, "connector"),
    q("antena", MISSPELLING, "antenna"),
    q("packageing", MISSPELLING, "packaging"),
    q("earfones", MISSPELLING, "earphones"),
    q("speeker", MISSPELLING, "audio"),
    q("capaciter", MISSPELLING, "passive"),
    q("injecton molding", MISSPELLING, procs="injection-molding"),
    q("semiconducter", MISSPELLING, "semiconductor"),
    q("plastik housing", MISSPELLING, "housing-plastic"),
    q("screen protecter", MISSPELLING, "protective"),
    q("baterry pack", MISSPELLING, "battery"),
    q("flexable pcb", MISSPELLING, "pcb-flex"),
    q("tempred glass", MISSPELLING, GLASS),
    q("adoptor", MISSPELLING, "charger"),
    q("keybaord", MISSPELLING, "keypad"),
    # split and joined words
    q("main board", SPLIT, "motherboard"),
    q("head phones", SPLIT, "earphones"),
    q("ear buds", SPLIT, "earphones"),
    q("hands free", SPLIT, "earphones"),
    q("touch screen", SPLIT, "touch-cover-glass"),
    q("powerbank", SPLIT, "battery"),
    q("type c cable", SPLIT, "cable"),
    q("flexPCB", SPLIT, "pcb-flex"),
    q("key pad", SPLIT, "keypad"),
    q("loud speaker", SPLIT, "audio"),
    q("diecasting", SPLIT, procs="die-casting"),
    q("screenprotector", SPLIT, "protective"),
    q("micro phone", SPLIT, "audio"),
    q("wallcharger", SPLIT, "charger"),
    q("datacable", SPLIT, "cable"),
    # numbers with units
    q("20 W charger", NUMBER, "charger", qty=(20, "W")),
    q("65 watt charger", NUMBER, "charger", qty=(65, "W")),
    q("18W fast charger", NUMBER, "charger", qty=(18, "W")),
    q("9V charger", NUMBER, "charger", qty=(9, "V")),
    q("4000mAh battery", NUMBER, "battery", qty=(4000, "mAh")),
    q("10000mAh power bank", NUMBER, "battery", qty=(10000, "mAh")),
    q("8 layer PCB", NUMBER, "pcb-bare", qty=(8, "layers")),
    q("6L PCB", NUMBER, "pcb-bare", qty=(6, "layers")),
    q("4-layer flex circuit", NUMBER, "pcb-flex", qty=(4, "layers")),
    q("0.4 mm pitch connector", NUMBER, "connector", qty=(0.4, "mm")),
    q("6.5 inch LCD", NUMBER, "display-module", qty=(6.5, "inch")),
    q('6.5" display', NUMBER, "display-module", qty=(6.5, "inch")),
    q("3A cable", NUMBER, "cable", qty=(3, "A")),
    q("100W USB-C cable", NUMBER, "cable", qty=(100, "W")),
    q("10 mm driver earphones", NUMBER, "earphones", qty=(10, "mm")),
    q("35 micron copper PCB", NUMBER, "pcb-bare", qty=(35, "µm")),
    q("0.33mm tempered glass protector", NUMBER, "protective", qty=(0.33, "mm")),
    q("charger 100,000 units per month", NUMBER, "charger", qty=(100_000, "units/month")),
    q("connectors 1 million pcs per month", NUMBER, "connector", qty=(1_000_000, "units/month")),
    # certificates
    q("ISO9001", CERTIFICATE, cert="iso-9001"),
    q("ISO 9001:2015", CERTIFICATE, cert="iso-9001"),
    q("IATF 16949", CERTIFICATE, cert="iatf-16949"),
    q("IPC-A-610 class 3", CERTIFICATE, cert="ipc-a-610"),
    q("RoHS", CERTIFICATE, cert="rohs"),
    q("REACH compliant", CERTIFICATE, cert="reach"),
    q("UL listed", CERTIFICATE, cert="ul"),
    q("CE", CERTIFICATE, cert="ce"),
    q("FCC", CERTIFICATE, cert="fcc"),
    q("PTA type approval", CERTIFICATE, cert="pta-type-approval"),
    q("IEC 62133", CERTIFICATE, cert="iec-62133"),
    q("UN38.3", CERTIFICATE, cert="un-38-3"),
    q("ISO 14001", CERTIFICATE, cert="iso-14001"),
    q("SA8000", CERTIFICATE, cert="sa8000"),
    q("ISO 17025 lab", CERTIFICATE, "testing-lab", cert="iso-iec-17025"),
    q("PSQCA", CERTIFICATE, cert="psqca"),
    q("CE charger", CERTIFICATE, "charger", cert="ce"),
    # places
    q("Lahore", PLACE, city="Lahore"),
    q("Karachi chargers", PLACE, "charger", city="Karachi"),
    q("packaging Karachi", PLACE, "packaging", city="Karachi"),
    q("Faisalabad cables", PLACE, "cable", city="Faisalabad"),
    q("battery Punjab", PLACE, "battery", province="Punjab"),
    q("Islamabad PCB", PLACE, BOARDS, city="Islamabad"),
    q("Pindi earphones", PLACE, "earphones", city="Rawalpindi"),
    q("Sindh packaging", PLACE, "packaging", province="Sindh"),
    q("KP plastic housing", PLACE, "housing-plastic", province=KP),
    q("Khyber Pakhtunkhwa", PLACE, province=KP),
    q("Peshawar", PLACE, city="Peshawar"),
    q("Balochistan", PLACE, province="Balochistan"),
    q("AJK", PLACE, province=AJK),
    q("Gilgit Baltistan", PLACE, province=GB),
    q("suppliers in ICT", PLACE, province=ICT),
    q("Sialkot keypads", PLACE, "keypad", city="Sialkot"),
    # multi-attribute, 3-8 words
    q("ISO 9001 certified charger manufacturer Lahore", MULTI, "charger", cert="iso-9001", city="Lahore"),
    q("RoHS compliant USB-C cable supplier Karachi", MULTI, "cable", cert="rohs", city="Karachi"),
    q("65W GaN charger with CE", MULTI, "charger", cert="ce", qty=(65, "W")),
    q("lithium polymer battery IEC 62133 Punjab", MULTI, "battery", cert="iec-62133", province="Punjab"),
    q("8 layer PCB fabrication UL certified", MULTI, "pcb-bare", procs="pcb-fabrication", cert="ul", qty=(8, "layers")),
    q("SMT assembly IPC-A-610 Lahore factory", MULTI, "pcba", procs="smt", cert="ipc-a-610", city="Lahore"),
    q(
        "injection moulded back covers ISO 14001 Karachi",
        MULTI,
        "housing-plastic",
        procs="injection-molding",
        cert="iso-14001",
        city="Karachi",
    ),
    q("CKD phone assembly PTA approved", MULTI, "assembly-service", cert="pta-type-approval"),
    q("TWS earbuds manufacturer with FCC in Punjab", MULTI, "earphones", cert="fcc", province="Punjab"),
    q("die cast aluminium frames IATF supplier", MULTI, "housing-metal", procs="die-casting", cert="iatf-16949"),
    q(
        "printed gift boxes offset printing Karachi ISO 9001",
        MULTI,
        "packaging",
        procs="printing",
        cert="iso-9001",
        city="Karachi",
    ),
    q("5000 mAh Li-ion battery pack UN38.3 certified supplier", MULTI, "battery", cert="un-38-3", qty=(5000, "mAh")),
    q("USB-C 3A data cable RoHS REACH", MULTI, "cable", cert="rohs", qty=(3, "A")),
    q(
        "connector 0.4mm pitch stamping RoHS Lahore",
        MULTI,
        "connector",
        procs="stamping",
        cert="rohs",
        qty=(0.4, "mm"),
        city="Lahore",
    ),
    q("6.5 inch LCD module supplier Karachi Sindh", MULTI, "display-module", qty=(6.5, "inch"), province="Sindh"),
    q("tempered glass screen protector factory KPK", MULTI, "protective", province=KP),
    q(
        "mobile charger 20W PSQCA certified factory in Lahore",
        MULTI,
        "charger",
        cert="psqca",
        qty=(20, "W"),
        city="Lahore",
    ),
    # Roman Urdu
    q("charger banane wale Lahore", ROMAN_URDU, "charger", city="Lahore"),
    q("mobile battery ka karkhana", ROMAN_URDU, "battery"),
    q("sasta data cable wholesale", ROMAN_URDU, "cable"),
    q("mobile cover banane wali factory Karachi", ROMAN_URDU, "protective", city="Karachi"),
    q("dabba packing printing", ROMAN_URDU, "packaging", procs="printing"),
    q("handsfree banane wale", ROMAN_URDU, "earphones"),
    q("plastic body mould wala", ROMAN_URDU, "housing-plastic"),
    q("PCB board banane wale Karachi", ROMAN_URDU, BOARDS, city="Karachi"),
    q("mobile screen ki factory", ROMAN_URDU, "display-module"),
    q("mobile assembly plant Lahore mein", ROMAN_URDU, "assembly-service", city="Lahore"),
    q("taar aur cable ka kaam Faisalabad", ROMAN_URDU, "cable", city="Faisalabad"),
    q("speaker aur mic supplier", ROMAN_URDU, "audio"),
    q("betri pack banane wale", ROMAN_URDU, "battery"),
    q("charger ka maal 20 watt", ROMAN_URDU, "charger", qty=(20, "W")),
    # Urdu script
    q("چارجر", URDU, "charger"),
    q("موبائل چارجر", URDU, "charger"),
    q("ڈیٹا کیبل", URDU, "cable"),
    q("ہینڈز فری", URDU, "earphones"),
    q("موبائل کور", URDU, "protective"),
    q("پیکنگ", URDU, "packaging"),
    q("لاہور چارجر", URDU, "charger", city="Lahore"),
    q("کراچی", URDU, city="Karachi"),
    q("سرکٹ بورڈ", URDU, BOARDS),
    q("اسپیکر", URDU, "audio"),
    q("موبائل اسکرین", URDU, "display-module"),
    q("بیٹری کراچی", URDU, "battery", city="Karachi"),
    q("اینٹینا", URDU, "antenna"),
]

# Worded the way the demo firms write, judged over the demo data only.
DEMO_EXTRA = [
    q("0.4 mm pitch BGA assembly", NUMBER, "pcba", qty=(0.4, "mm")),
    q("USB-C PD charger 45W", NUMBER, "charger", qty=(45, "W")),
    q("LiPo cells 3000 mAh", NUMBER, "battery", qty=(3000, "mAh")),
    q("100 W USB PD cable", NUMBER, "cable", qty=(100, "W")),
    q("IPC-A-610 EMS Lahore", MULTI, "pcba", cert="ipc-a-610", city="Lahore"),
    q("ISO 17025 accredited test lab Islamabad", MULTI, "testing-lab", cert="iso-iec-17025", city="Islamabad"),
    q("spot welding battery packs IEC 62133", MULTI, "battery", procs="cell-assembly", cert="iec-62133"),
    q("anodized aluminum SIM tray CNC", MULTI, "housing-metal", procs="cnc-machining"),
]
DEMO_QUERIES = QUERIES + DEMO_EXTRA
