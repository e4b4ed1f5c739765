import pytest

from bridge_pipeline.http.errors import UnsafeUrlError
from bridge_pipeline.http.url_guard import UrlGuard

PUBLIC = {"zoom.us": ["170.114.52.2"], "ssrweb.zoom.us": ["170.114.52.3"], "storage.example": ["93.184.215.14"]}
PRIVATE = {"intranet.example": ["10.1.2.3"], "rebind.zoom.us": ["127.0.0.1"]}


def resolver(host):
    return {**PUBLIC, **PRIVATE}.get(host, [])


def production():
    return UrlGuard("zoom", ("zoom.us", "*.zoom.us"), "production", resolver)


def test_production_accepts_https_on_allowed_hosts_and_subdomains():
    assert production().check("https://zoom.us/rec/download/abc").host == "zoom.us"
    assert production().check("https://ssrweb.zoom.us/file?sig=1").host == "ssrweb.zoom.us"


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://zoom.us/rec/download/abc", "only calls https"),
        ("https://evil.example/rec", "not on the allow-list"),
        ("https://zoom.us.evil.example/rec", "not on the allow-list"),
        ("https://user:pw@zoom.us/rec", "user credentials"),
        ("ftp://zoom.us/rec", "only calls https"),
        ("https://rebind.zoom.us/x", "non-public address 127.0.0.1"),
    ],
)
def test_production_refuses_unsafe_urls(url, reason):
    with pytest.raises(UnsafeUrlError, match=reason):
        production().check(url)


def test_production_redirect_may_leave_the_allow_list_for_a_public_host():
    assert production().check("https://storage.example/obj?sig=abc", redirect=True).host == "storage.example"


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/x",
        "https://10.0.0.8/x",
        "https://192.168.1.1/x",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/x",
        "https://[::ffff:10.0.0.1]/x",
        "https://localhost/x",
        "https://intranet.example/x",
    ],
)
def test_production_redirect_to_private_or_loopback_addresses_is_refused(url):
    with pytest.raises(UnsafeUrlError, match="localhost|non-public"):
        production().check(url, redirect=True)


def test_refusal_message_hides_the_signed_query():
    with pytest.raises(UnsafeUrlError) as caught:
        production().check("http://zoom.us/file?sig=very-secret-signature")
    assert "very-secret-signature" not in str(caught.value)


def test_sandbox_allows_http_on_explicitly_listed_loopback_host_only():
    guard = UrlGuard("teams", ("127.0.0.1",), "sandbox")
    assert guard.check("http://127.0.0.1:8123/v1.0/users").port == 8123
    with pytest.raises(UnsafeUrlError, match="not on the allow-list"):
        guard.check("http://10.0.0.1/x", redirect=True)
    with pytest.raises(UnsafeUrlError, match="not on the allow-list"):
        guard.check("http://localhost:8123/x")


def test_mode_must_be_named_explicitly():
    with pytest.raises(ValueError):
        UrlGuard("zoom", (), "sandboxed")
