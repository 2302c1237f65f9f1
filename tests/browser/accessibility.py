"""What the browser tests measure on a page: axe-core's violations, and overflow past the screen's edge.

axe-core is vendored (`vendor/axe.min.js`, see its README) and evaluated in the page through the
browser's debugging protocol, which the portal's Content-Security-Policy does not govern.
"""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
# WCAG 2.1 A and AA, and axe's best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
BLOCKING = ("serious", "critical")
# Moderate in axe's scale, but a reader of a screen reader's heading list meets it on every card.
ALWAYS_BLOCKING = ("heading-order",)

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }));
}"""

# Elements wider than the page: what a reader at 390 px would have to scroll sideways to see.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = document.documentElement.scrollWidth;
  const culprits = [];
  if (wide > width) {
    for (const element of document.body.querySelectorAll("*")) {
      const box = element.getBoundingClientRect();
      if ((box.right > width + 1 || box.left < -1) && box.width > 0 && !element.closest(".table-scroll, .visually-hidden, .visually-hidden-focusable")) {
        culprits.push(element.tagName.toLowerCase() + (element.className && typeof element.className === "string" ? "." + element.className.trim().split(/\\s+/).join(".") : ""));
        if (culprits.length >= 3) break;
      }
    }
  }
  return {width, wide, culprits};
}"""


def axe_violations(page) -> list[dict]:
    """axe-core's violations on the page as shown now: [{id, impact, help, nodes}]."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    return page.evaluate(RUN_AXE, AXE_TAGS)


def blocking(violations: list[dict]) -> list[dict]:
    return [v for v in violations if v["impact"] in BLOCKING or v["id"] in ALWAYS_BLOCKING]


def horizontal_overflow(page) -> dict | None:
    """None when the document fits the viewport's width; else its widths and the first culprits."""
    found = page.evaluate(OVERFLOW)
    return found if found["wide"] > found["width"] else None
