"""A script that knows only the OpenAPI document and a brand's token creates a need and reads its matches."""

from urllib.parse import urlsplit

from tests.factories import make_firm


def test_a_script_using_only_the_document_creates_a_need_and_reads_its_matches(client, cast):
    make_firm(
        "Ravi Power", capabilities=[{"category": "charger", "capacity": 90000}], certificates=[{"type": "iso-9001"}]
    )
    document = client.get("/api/v1/openapi.json").get_json()
    base = urlsplit(document["servers"][0]["url"]).path
    operations = {
        op["operationId"]: (method, path, op) for path, item in document["paths"].items() for method, op in item.items()
    }
    headers = {"Authorization": f"Bearer {cast.token('brand')}"}

    method, path, create = operations["create_need"]
    example = create["requestBody"]["content"]["application/json"]["example"]
    created = client.open(base + path, method=method, json=example, headers=headers)
    assert created.status_code == 201
    need_id = created.get_json()["id"]

    method, path, matches = operations["need_matches"]
    (param,) = [p["name"] for p in matches["parameters"] if p["in"] == "path"]
    found = client.open(
        base + path.replace("{" + param + "}", str(need_id)) + "?limit=5", method=method, headers=headers
    )
    assert found.status_code == 200
    assert [(m["name"], bool(m["reasons"])) for m in found.get_json()["items"]] == [("Ravi Power", True)]
