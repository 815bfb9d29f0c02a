"""What the OpenAPI description says beyond each view's own `extend_schema` (settings.SPECTACULAR_SETTINGS):

- text the API stores refuses control characters (haven.records.text): SafeCharField's schema says so with a
  pattern, so a client (and schemathesis) knows such a value is invalid input rather than finding out from a 400;
- every operation's error answers. Each view documents those of its own rules (`write_responses`, NOT_FOUND ...);
  `add_error_responses`, a postprocessing hook, adds those every operation shares: 403 (not signed in, a token
  that is not valid, a second factor or a new password still to give) and, for an operation that reads
  parameters or a body, 400 (a malformed value) and 404 (an id of a missing or invisible record, in the path, the
  query or the body, or a page past the last), and 415 for one that reads a body (a body of another type)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension

# haven.records.text.UNSAFE_CHARACTER, as an ECMA-262 pattern for JSON Schema.
SAFE_TEXT_PATTERN = r"^[^\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]*$"

ERROR_SCHEMA = {
    "type": "object",
    "description": "`{\"detail\": message}`, or the messages by field: `{field: [message, ...]}`",
    "properties": {"detail": {"type": "string"}},
}
SHARED_ERRORS = {
    "403": _("Not signed in, an API token that is not valid, two-factor verification or a new password still "
             "due, or a record you may see but not change."),
    "400": _("Invalid input: the messages by field, `{field: [message, ...]}`."),
    "404": _("No such record, or one you may not see; or a page past the last."),
    "415": _("The body is not of a type this operation reads."),
}


class SafeCharFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "haven.api.serializers.SafeCharField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and schema.get("type") == "string" and "enum" not in schema:
            schema.setdefault("pattern", SAFE_TEXT_PATTERN)
        return schema


class CountryCodeFieldExtension(OpenApiSerializerFieldExtension):
    """A country: the schema lists the ISO 3166-1 alpha-2 codes (or empty); the alpha-3 codes and English names
    the field also converts are a convenience the contract does not promise."""

    target_class = "haven.api.serializers.CountryCodeField"
    priority = 1  # before SafeCharFieldExtension, which matches it as a subclass

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request":
            schema["enum"] = ["", *country_codes()] if self.target.allow_blank else country_codes()
        return schema


def country_codes() -> list[str]:
    """The ISO 3166-1 alpha-2 codes (settings.SPECTACULAR_SETTINGS names their enum CountryCodeEnum)."""
    import pycountry

    return sorted(country.alpha_2 for country in pycountry.countries)


class DecimalFieldExtension(OpenApiSerializerFieldExtension):
    """Amounts: at least one digit before the optional decimals (drf-spectacular's pattern also matches "" and
    "-", which DRF refuses)."""

    target_class = "rest_framework.serializers.DecimalField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        field = self.target
        if schema.get("type") == "string" and field.max_digits is not None and field.decimal_places is not None:
            whole = field.max_digits - field.decimal_places
            sign = "-?" if field.min_value is None or field.min_value < 0 else ""
            decimals = rf"(?:\.\d{{1,{field.decimal_places}}})?" if field.decimal_places else ""
            schema["pattern"] = rf"^{sign}\d{{1,{whole}}}{decimals}$"
        return schema


class FileFieldExtension(OpenApiSerializerFieldExtension):
    """An upload holds at least one byte: DRF refuses an empty file."""

    target_class = "rest_framework.serializers.FileField"
    match_subclasses = True

    def map_serializer_field(self, auto_schema, direction):
        schema = auto_schema._map_serializer_field(self.target, direction, bypass_extensions=True)
        if direction == "request" and not getattr(self.target, "allow_empty_file", False):
            schema["minLength"] = 1
        return schema


def _shared_codes(operation: dict) -> list[str]:
    codes = ["403"]
    if operation.get("parameters") or "requestBody" in operation:
        codes += ["400", "404"]
    if "requestBody" in operation:
        codes.append("415")
    return codes


def _json_bodies_only(operation: dict) -> None:
    """A body is documented as JSON where the operation reads JSON: DRF's form parsers still read form posts, but a
    form cannot say null or hold a list of objects, so the documented contract is the JSON one (an upload keeps
    multipart/form-data, its only type)."""
    content = operation.get("requestBody", {}).get("content", {})
    if "application/json" in content:
        for media_type in [name for name in content if name != "application/json"]:
            del content[media_type]


def add_error_responses(result, generator, request, public):
    """drf-spectacular postprocessing hook (settings.SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""
    for methods in result.get("paths", {}).values():
        for operation in methods.values():
            _json_bodies_only(operation)
            responses = operation.setdefault("responses", {})
            for code in _shared_codes(operation):
                documented = responses.setdefault(code, {"description": str(SHARED_ERRORS[code])})
                documented.setdefault("content", {"application/json": {"schema": ERROR_SCHEMA}})
    return result
