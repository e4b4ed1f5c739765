from bridge_pipeline.http.secrets import Secret, basic_auth_value
from bridge_pipeline.observability.redaction import REDACTED, Redactor


def test_secret_never_prints_its_value():
    secret = Secret("very-secret-value")
    assert "very-secret-value" not in repr(secret)
    assert "very-secret-value" not in str(secret)
    assert "very-secret-value" not in f"{secret}"
    assert secret.reveal() == "very-secret-value"


def test_redactor_blanks_plain_and_url_encoded_spellings():
    redactor = Redactor([Secret("s3cr=t/value+1")])
    text = "got s3cr=t/value+1 and s3cr%3Dt%2Fvalue%2B1 and s3cr%3Dt%2Fvalue%2B1"
    assert redactor.redact(text) == f"got {REDACTED} and {REDACTED} and {REDACTED}"


def test_redactor_blanks_a_basic_auth_encoding():
    secret = Secret("client-secret-xyz")
    encoded = basic_auth_value("client-id", secret)
    redactor = Redactor([secret, encoded])
    assert encoded not in redactor.redact(f"Authorization: Basic {encoded}")


def test_very_short_strings_are_not_treated_as_secrets():
    assert Redactor(["abc"]).redact("abc abc") == "abc abc"
