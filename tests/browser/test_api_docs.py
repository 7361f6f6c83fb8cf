"""The API documentation page draws Swagger UI from our own static files under the strict CSP."""

import pytest

from tests.browser.conftest import assert_accessible, screenshot


@pytest.mark.parametrize("width", [320, 375, 1280])
def test_the_api_docs_render_under_the_strict_csp(open_tab, user, width):
    page = open_tab("laptop", user=user)
    page.set_viewport_size({"width": width, "height": 900})
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto("/api/v1/docs/")
    page.wait_for_selector(".swagger-ui .opblock-summary-path")
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert any("/api/v1/supporters" in path for path in paths)
    assert not page.csp_violations, page.csp_violations
    host = page.url.split("/api/")[0]
    assert all(url.startswith(host) or url.startswith("data:") for url in requests), requests
    screenshot(page, f"api-docs-{width}")


def test_the_token_page_is_accessible(open_tab, user, screen):
    page = open_tab(screen, user=user)
    page.goto("/accounts/settings/tokens/")
    page.fill("input[name=name]", "Phone shortcut")
    page.check("input[value=read_write]")
    page.click("text=Make token")
    assert page.input_value("#new-token").startswith("sn_")
    assert "Read and write" in page.content()
    assert_accessible(page)
    screenshot(page, "api-tokens")
