"""Two hosts, one PostgreSQL, one Redis: what one host does, the other shows at once, and a host
killed mid-request loses nothing its clients were told was done."""

import re
import threading
import time
from datetime import date, timedelta

import pytest

from tests.cluster.conftest import API_LIMIT, cluster_app
from tests.cluster.web import Web
from tests.factories import PDF_BYTES
from tests.needs.test_needs import FORM as NEED_FORM
from tests.staff import row, supplier_csv

pytestmark = pytest.mark.cluster

FIRM = "Zarghun Power Cells (Pvt) Ltd"


@pytest.fixture(scope="session")
def imported(cluster, staff) -> dict:
    """Import a verified firm through host A, then search for it on host B until found."""
    csv = supplier_csv(
        row(
            name=FIRM,
            city="Quetta",
            province="Balochistan",
            description="Lithium-ion cells and battery packs for feature phones.",
            categories="battery",
            processes="",
            certifications=f"iso-9001:{date.today() + timedelta(days=400)}",
            verified="yes",
        )
    )
    answer = staff.post_form(f"{cluster.a.url}/staff/imports", {}, files={"csv_file": ("firms.csv", csv, "text/csv")})
    assert answer.status == 200, answer.text[-2000:]
    assert "Zarghun" in answer.text
    done = time.monotonic()
    anonymous = Web()
    while time.monotonic() - done < 10:
        page = anonymous.get(f"{cluster.b.url}/suppliers/?q=zarghun")
        if FIRM in page.text:
            return {"seconds_until_found_on_b": time.monotonic() - done}
    pytest.fail("the firm imported through host A was not found on host B within 10 seconds")


def test_a_staff_import_through_a_is_found_by_search_on_b_within_a_second(imported):
    assert imported["seconds_until_found_on_b"] < 1.0


@pytest.fixture(scope="session")
def need(cluster) -> int:
    """A need posted through host B's API."""
    body = {
        "title": "Li-ion packs for a feature phone",
        "category": "battery",
        "description": "1,800 mAh packs with protection circuits.",
        "quantity_per_month": 20000,
        "required_certifications": [],
        "processes": [],
        "deadline": (date.today() + timedelta(days=30)).isoformat(),
    }
    answer = Web().post_json(f"{cluster.b.url}/api/v1/needs", body, cluster.tokens["brand"])
    assert answer.status == 201, answer.text
    return answer.json()["id"]


def test_a_need_posted_on_b_is_matched_on_a(cluster, imported, need):
    answer = Web().get(f"{cluster.a.url}/api/v1/needs/{need}/matches", cluster.tokens["brand"])
    assert answer.status == 200, answer.text
    assert FIRM in [item["name"] for item in answer.json()["items"]]


def test_a_file_uploaded_through_a_downloads_through_b(cluster, brand, need):
    page = f"{cluster.a.url}/needs/{need}"
    drawing = PDF_BYTES + b"% the drawing of the pack\n"
    answer = brand.post_form(
        f"{page}/attachments", {}, files={"file": ("pack.pdf", drawing, "application/pdf")}, csrf_from=page
    )
    assert answer.status == 302, answer.text[-2000:]
    listed = re.search(rf"/needs/{need}/attachments/(\d+)\"", brand.get(f"{cluster.b.url}/needs/{need}").text)
    assert listed, "host B lists the attachment"
    download = brand.get(f"{cluster.b.url}/needs/{need}/attachments/{listed.group(1)}")
    assert (download.status, download.body) == (200, drawing)


def test_the_rate_limit_is_shared_by_both_hosts(cluster):
    web, token = Web(), cluster.tokens["investor"]
    statuses = [
        web.get(f"{(cluster.a, cluster.b)[n % 2].url}/api/v1/taxonomy", token).status for n in range(API_LIMIT + 4)
    ]
    assert statuses == [200] * API_LIMIT + [429] * 4


def test_killing_a_mid_request_loses_nothing_and_b_keeps_serving(cluster, brand):
    acknowledged, failures, refused, stop = [], [], [], threading.Event()
    form = {
        **NEED_FORM,
        "title": "Housings",
        "category": "housing-plastic",
        "quantity_unit": "pieces",
        "processes": [],
        "certifications": [],
    }

    def post_needs_to_a():
        while not stop.is_set():
            try:
                answer = brand.post_form(f"{cluster.a.url}/needs/new", form)
            except Exception as error:  # the host died under the request
                failures.append(repr(error))
                return
            if answer.status == 302 and (found := re.search(r"/needs/(\d+)", answer.headers.get("Location", ""))):
                acknowledged.append(int(found.group(1)))
            else:
                refused.append(f"{answer.status}: {answer.text[-500:]}")
                return

    writers = [threading.Thread(target=post_needs_to_a) for _ in range(3)]
    for writer in writers:
        writer.start()
    deadline = time.monotonic() + 30
    while len(acknowledged) < 4 and time.monotonic() < deadline:
        time.sleep(0.01)
    cluster.a.kill()
    stop.set()
    for writer in writers:
        writer.join(timeout=30)

    assert not refused
    assert len(acknowledged) >= 4 and failures, "writes were under way on host A when it died"
    assert Web().get(f"{cluster.b.url}/readyz").status == 200
    for need_id in acknowledged:
        assert brand.get(f"{cluster.b.url}/needs/{need_id}").status == 200, f"need {need_id} was acknowledged"
    assert FIRM in Web().get(f"{cluster.b.url}/suppliers/?q=zarghun").text
    assert _audit_chain_breaks(cluster) == []


def _audit_chain_breaks(cluster) -> list[str]:
    """The trail checked as the hosts wrote it: their key and every host's checkpoints."""
    from portal.audit import verify_chain
    from portal.extensions import db

    folders = [host.instance / "audit-checkpoints" for host in (cluster.a, cluster.b)]
    app = cluster_app(AUDIT_CHECKPOINT_DIR=str(folders[0]))
    with app.app_context():
        breaks = verify_chain(checkpoint_files=sorted(folders[1].glob("*.jsonl")))
        db.session.remove()
        db.engine.dispose()
    return breaks
