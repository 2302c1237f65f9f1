"""Routes of the URL map as the reliability tests request them, with URL arguments from the world fixture."""

import pytest
from werkzeug.routing.converters import AnyConverter


def rules_by_key(app) -> dict:
    """Each rule under its row's key: the endpoint, or "endpoint rule" when the endpoint has several."""
    rules = list(app.url_map.iter_rules())
    several = {r.endpoint for r in rules if sum(1 for o in rules if o.endpoint == r.endpoint) > 1}
    return {(f"{r.endpoint} {r.rule}" if r.endpoint in several else r.endpoint): r for r in rules}


def url_for_rule(rule, world) -> str:
    values = {}
    for name in rule.arguments:
        known = world.by_endpoint.get(rule.endpoint, {})
        if name in known:
            values[name] = known[name]
        elif name in world.values:
            values[name] = world.values[name]
        elif isinstance(rule._converters.get(name), AnyConverter):
            values[name] = sorted(rule._converters[name].items)[0]
        else:
            pytest.fail(f"no value for <{name}> of {rule.rule}: add one to the world fixture")
    _domain, path = rule.build(values, append_unknown=False)
    query = world.query.get(rule.endpoint)
    return f"{path}?{query}" if query else path
