from playwright.sync_api import expect


def test_the_api_reference_lists_every_endpoint_readably_without_any_outside_request(web):
    outside = []
    web.page.on("request", lambda r: r.url.startswith(web.base_url) or outside.append(r.url))
    web.goto("/api/docs/")
    expect(web.page.get_by_role("heading", name="Pathways API")).to_be_visible()
    expect(web.page.get_by_text("/api/v1/taxonomy/terms/").first).to_be_visible()
    assert outside == []
